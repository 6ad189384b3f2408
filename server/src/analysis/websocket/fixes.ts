// Edits shared by the WebSocket quick fixes.

import type { Span } from '../../parser';
import { insertLinesIntoBlock } from '../edits';
import type { Fix, TextEdit } from '../types';
import { effectiveHeaders, named, type Placed } from './levels';
import type { WebSocketLocation } from './locations';

/** `location ~ ^/ws` without its block: where location diagnostics are shown. */
export function locationHeader(ws: WebSocketLocation): Span {
  const { location } = ws;
  return { start: location.name.start, end: location.args[location.args.length - 1]?.end ?? location.name.end };
}

/** A directive's source text, from whichever file it is written in. */
export function sourceText(ws: WebSocketLocation, placed: Placed): string {
  const text = ws.workspace.file(placed.file)?.text ?? '';
  return text.slice(placed.directive.start, placed.directive.end);
}

/** Inserts lines into the location: after its own proxy_set_header lines, else after proxy_pass. */
export function insertIntoLocation(ws: WebSocketLocation, lines: readonly string[]): TextEdit {
  const own = ws.levels[0];
  const anchors = [ws.proxyPass, ...named(own, 'proxy_set_header')].map((placed) => placed.directive);
  return insertLinesIntoBlock(ws.file, ws.location, anchors, lines);
}

/**
 * Adds proxy_set_header lines to the location. When the location has none of its own, adding one
 * would stop the inheritance of the list set above, so that list is re-declared too.
 */
export function addHeadersFix(ws: WebSocketLocation, headerLines: readonly string[], title: string): Fix {
  const own = ws.levels[0];
  const inherited = named(own, 'proxy_set_header').length === 0 ? effectiveHeaders(ws.levels)?.headers ?? [] : [];
  const lines = [...inherited.map((header) => sourceText(ws, header)), ...headerLines];
  const suffix = inherited.length > 0 ? ` (and re-declare the ${inherited.length} inherited proxy_set_header)` : '';
  return { title: title + suffix, edits: [insertIntoLocation(ws, lines)] };
}
