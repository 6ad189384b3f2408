import { indentUnit, insertLinesIntoBlock } from '../../edits';
import type { Fix } from '../../types';
import { CONNECTION_UPGRADE_VARIABLE as MAP_TARGET, connectionUpgradeMap, locationHeader, setHeaderFix } from '../fixes';
import { headerStatus } from '../levels';
import { connectionHeaderUpgrades, type WebSocketLocation } from '../locations';
import { findingFor, WEBSOCKET_DOCS, type WebSocketRule } from './rule';

const CONNECTION_LINE = 'proxy_set_header Connection "upgrade";';

/** The variable a map of the configuration sets from $http_upgrade, if any. */
const upgradeMap = (ws: WebSocketLocation) => [...ws.maps].find(([, source]) => source.toLowerCase() === '$http_upgrade')?.[0];

/**
 * The map idiom (connectionUpgradeMap): uses an existing map from $http_upgrade, or adds one at the
 * http level when the configuration has one we can edit (and the variable name is free).
 */
function mapIdiomFix(ws: WebSocketLocation): Fix | undefined {
  const existing = upgradeMap(ws);
  const line = `proxy_set_header Connection $${existing ?? MAP_TARGET};`;
  if (existing) return setHeaderFix(ws, 'connection', line, ' (map from $http_upgrade)');
  if (ws.maps.has(MAP_TARGET)) return undefined;
  const http = ws.levels.find((level) => level.block?.name.value === 'http');
  const httpFile = http && ws.workspace.file(http.file);
  if (!http?.block || !httpFile) return undefined;
  const fix = setHeaderFix(ws, 'connection', line, ` and the map $http_upgrade $${MAP_TARGET} at http level`);
  return { ...fix, edits: [insertLinesIntoBlock(httpFile, http.block, [], connectionUpgradeMap(indentUnit(httpFile))), ...fix.edits] };
}

/**
 * nginx sends "Connection: close" to the upstream unless told otherwise; the handshake needs
 * "Connection: upgrade" (an empty value sends no header, "close" breaks it).
 */
export const connectionHeaderRule: WebSocketRule = {
  id: 'ws-missing-connection',
  severity: 'warning',
  docs: WEBSOCKET_DOCS,
  description: 'A WebSocket location whose Connection header is missing or does not upgrade.',
  check(ws) {
    const upgrades = connectionHeaderUpgrades(ws.maps);
    const status = headerStatus(ws.levels, 'connection', upgrades);
    // Lost through inheritance: ws-headers-not-inherited says so.
    if (status.lost) return [];
    const header = status.effective;
    if (header && upgrades(header)) return [];
    // The preferred fix is the idiom the configuration already follows: its map, else the plain value.
    const mapFix = mapIdiomFix(ws);
    const plain = setHeaderFix(ws, 'connection', CONNECTION_LINE);
    const fixes = mapFix && upgradeMap(ws) ? [{ ...mapFix, preferred: true }, plain] : [{ ...plain, preferred: true }, ...(mapFix ? [mapFix] : [])];
    if (!header) {
      return [findingFor(this, ws, locationHeader(ws),
        `WebSocket proxying needs 'proxy_set_header Connection' with "upgrade": nginx sends "Connection: close" by default`,
        { fixes })];
    }
    const value = header.directive.args[1]?.value ?? '';
    const shown = value === '' ? '""' : `"${value}"`;
    return [findingFor(this, ws, locationHeader(ws),
      `"Connection ${shown}" breaks the WebSocket upgrade: the upstream needs "Connection: upgrade"`,
      {
        related: [{ file: header.file, span: header.directive, message: `Connection is set to ${shown} here` }],
        fixes,
      })];
  },
};
