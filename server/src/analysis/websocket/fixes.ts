// Edits shared by the WebSocket quick fixes.

import type { Span } from '../../parser';
import { insertLinesIntoBlock } from '../edits';
import type { Fix, TextEdit } from '../types';
import { headerName, headerStatus } from './headerStatus';
import { listInForce, named, type Placed } from './levels';
import type { WebSocketLocation } from './locations';

/** `location ~ ^/ws` without its block: where location diagnostics are shown. */
export function locationHeader(ws: WebSocketLocation): Span {
  const { location } = ws;
  return { start: location.name.start, end: location.args[location.args.length - 1]?.end ?? location.name.end };
}

/** The variable that the map idiom defines. */
export const CONNECTION_UPGRADE_VARIABLE = 'connection_upgrade';

/**
 * The map idiom (ngx_http_proxy_module docs, "WebSocket proxying"): Connection is "upgrade" only
 * when the client asked for one, "close" otherwise. Its lines, indented by `unit`.
 */
export const connectionUpgradeMap = (unit: string) => [
  `map $http_upgrade $${CONNECTION_UPGRADE_VARIABLE} {`, `${unit}default upgrade;`, `${unit}''      close;`, '}',
];

/** A directive's source text, from whichever file it is written in. */
export function sourceText(ws: WebSocketLocation, placed: Placed): string {
  const text = ws.workspace.file(placed.file)?.text ?? '';
  return text.slice(placed.directive.start, placed.directive.end);
}

/** A configuration line quoted for a fix title. */
export const quoted = (line: string) => (line.includes('"') ? `'${line}'` : `"${line}"`);

/** Replaces a directive with `line`, in whichever file it is written. */
export const replaceDirective = (placed: Placed, line: string): TextEdit => ({ file: placed.file, span: placed.directive, newText: line });

/** Inserts lines into the location: after its own proxy_set_header lines, else after proxy_pass. */
export function insertIntoLocation(ws: WebSocketLocation, lines: readonly string[]): TextEdit {
  const own = ws.levels[0];
  const anchors = [ws.proxyPass, ...named(own, 'proxy_set_header')].map((placed) => placed.directive);
  return insertLinesIntoBlock(ws.file, ws.location, anchors, lines);
}

/**
 * Sets header `name` (lowercase) to `line` for the location. A header of that name in the location's
 * own list is replaced (two would both be sent). Otherwise the line is added to the location; when
 * the location has no proxy_set_header of its own, adding one stops the inheritance of the list set
 * above (ngx_http_proxy_module docs), so that list is re-declared too, but for `name`.
 */
export function setHeaderFix(ws: WebSocketLocation, name: string, line: string, detail = ''): Fix {
  const status = headerStatus(ws.levels, name);
  if (status.effective && status.effectiveLevel === ws.levels[0]) {
    // Only the value changes, so the line keeps its column alignment.
    const value = /^proxy_set_header\s+\S+\s+(.*);$/.exec(line)?.[1];
    const word = status.effective.directive.args[1];
    const edit = value && word ? { file: status.effective.file, span: word, newText: value } : replaceDirective(status.effective, line);
    return { title: `Change to ${quoted(line)}${detail}`, edits: [edit] };
  }
  const ownList = named(ws.levels[0], 'proxy_set_header').length > 0;
  const inherited = ownList ? [] : (listInForce(ws.levels, 'proxy_set_header')?.entries ?? []).filter((header) => headerName(header) !== name);
  const suffix = inherited.length > 0 ? ` (and re-declare the ${inherited.length} inherited proxy_set_header)` : '';
  return {
    title: `Add ${quoted(line)}${detail}${suffix}`,
    edits: [insertIntoLocation(ws, [...inherited.map((header) => sourceText(ws, header)), line])],
  };
}
