import { insertLinesAtBlockStart, indentUnit } from '../../edits';
import type { Fix } from '../../types';
import { addHeadersFix, locationHeader } from '../fixes';
import { headerStatus } from '../levels';
import { connectionValueUpgrades, type WebSocketLocation } from '../locations';
import { findingFor, type WebSocketRule } from './rule';

const CONNECTION_LINE = 'proxy_set_header Connection "upgrade";';

/**
 * The map idiom (ngx_http_proxy_module docs, "WebSocket proxying"): Connection is "upgrade" only
 * when the client asked for one, "close" otherwise. Uses an existing map from $http_upgrade, or
 * adds one at the http level when the configuration has one we can edit.
 */
function mapIdiomFix(ws: WebSocketLocation): Fix | undefined {
  const existing = [...ws.maps].find(([, source]) => source.toLowerCase() === '$http_upgrade')?.[0];
  const line = `proxy_set_header Connection $${existing ?? 'connection_upgrade'};`;
  if (existing) return addHeadersFix(ws, [line], `Add "${line}" (map from $http_upgrade)`);
  const http = ws.levels.find((level) => level.block?.name.value === 'http');
  const httpFile = http && ws.workspace.file(http.file);
  if (!http?.block || !httpFile) return undefined;
  const unit = indentUnit(httpFile);
  const map = ['map $http_upgrade $connection_upgrade {', `${unit}default upgrade;`, `${unit}''      close;`, '}'];
  const fix = addHeadersFix(ws, [line], `Add "${line}" and the map $http_upgrade $connection_upgrade at http level`);
  return { ...fix, edits: [insertLinesAtBlockStart(httpFile, http.block, map), ...fix.edits] };
}

/**
 * nginx sends "Connection: close" to the upstream unless told otherwise; the handshake needs
 * "Connection: upgrade" (an empty value or "close" breaks it).
 */
export const connectionHeaderRule: WebSocketRule = {
  id: 'ws-missing-connection',
  severity: 'warning',
  description: 'A WebSocket location whose Connection header is missing or does not upgrade.',
  check(ws) {
    const status = headerStatus(ws.levels, 'connection');
    if (status.lost.length > 0) return [];
    const header = status.effective;
    const value = header?.directive.args[1]?.value;
    if (header && value !== undefined && connectionValueUpgrades(value, ws.maps)) return [];
    const mapFix = mapIdiomFix(ws);
    if (!header) {
      const fixes = [{ ...addHeadersFix(ws, [CONNECTION_LINE], `Add '${CONNECTION_LINE}'`), preferred: true }];
      return [findingFor(this, ws, locationHeader(ws),
        `WebSocket proxying needs 'proxy_set_header Connection' with "upgrade": nginx sends "Connection: close" by default`,
        { fixes: mapFix ? [...fixes, mapFix] : fixes })];
    }
    const shown = value === '' ? '""' : `"${value}"`;
    const inThisFile = header.file === ws.file.path;
    const replace: Fix[] = inThisFile
      ? [{ title: `Change to '${CONNECTION_LINE}'`, preferred: true,
          edits: [{ file: ws.file.path, span: header.directive, newText: CONNECTION_LINE }] }]
      : [];
    return [findingFor(this, ws, locationHeader(ws),
      `"Connection ${shown}" breaks the WebSocket upgrade: the upstream needs "Connection: upgrade"`,
      {
        related: [{ file: header.file, span: header.directive, message: `Connection is set to ${shown} here` }],
        fixes: mapFix ? [...replace, mapFix] : replace,
      })];
  },
};
