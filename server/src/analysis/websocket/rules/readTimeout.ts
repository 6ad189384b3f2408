import { insertIntoLocation, locationHeader } from '../fixes';
import { nearest } from '../levels';
import { pathNamesSocket, type WebSocketLocation } from '../locations';
import { findingFor, WEBSOCKET_DOCS, type WebSocketRule } from './rule';

const LINE = 'proxy_read_timeout 3600s;';

/**
 * A location that serves the sockets themselves (`/ws`, `@socket`), not a whole app (`location /`,
 * which upgrades its socket requests among the rest): raising a timeout there would hold every
 * stalled request for an hour.
 */
export function isSocketLocation(ws: WebSocketLocation): boolean {
  const path = ws.location.args[ws.location.args.length - 1]?.value ?? '';
  return pathNamesSocket(ws.location) || /^@(?:wss?|websockets?|sockets?)$/i.test(path);
}

/**
 * Socket.IO's sockets (`/socket.io/`, a literal or a regex path): Engine.IO pings every 25 s by
 * default (its pingInterval, in every major version), so the 60 s default never closes one.
 */
const servesSocketIo = (ws: WebSocketLocation) => /socket\\?\.io/i.test(ws.location.args[ws.location.args.length - 1]?.value ?? '');

/**
 * proxy_read_timeout (default 60s) applies between two reads from the upstream: a WebSocket that
 * stays silent longer is closed by nginx unless the app pings ("WebSocket proxying" in the docs).
 * Most apps do ping, so this is a Hint, and only for socket locations.
 */
export const readTimeoutRule: WebSocketRule = {
  id: 'ws-read-timeout',
  severity: 'hint',
  docs: WEBSOCKET_DOCS,
  description: 'A socket location that keeps the 60 s default proxy_read_timeout (fine when the app pings its sockets).',
  check(ws) {
    if (!isSocketLocation(ws) || servesSocketIo(ws) || nearest(ws.levels, 'proxy_read_timeout')) return [];
    return [findingFor(this, ws, locationHeader(ws),
      'WebSocket connections idle for more than 60 s are closed: proxy_read_timeout keeps its 60s default here (fine if the app pings its sockets)',
      { fixes: [{ title: `Raise the timeout: "${LINE}"`, edits: [insertIntoLocation(ws, [LINE])], preferred: true }] })];
  },
};
