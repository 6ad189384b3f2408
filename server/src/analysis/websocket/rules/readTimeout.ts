import { insertIntoLocation, locationHeader } from '../fixes';
import { nearest } from '../levels';
import { findingFor, WEBSOCKET_DOCS, type WebSocketRule } from './rule';

const LINE = 'proxy_read_timeout 3600s;';

/**
 * proxy_read_timeout (default 60s) applies between two reads from the upstream: a WebSocket that
 * stays silent longer is closed by nginx unless the app pings ("WebSocket proxying" in the docs).
 */
export const readTimeoutRule: WebSocketRule = {
  id: 'ws-read-timeout',
  severity: 'information',
  docs: WEBSOCKET_DOCS,
  description: 'A WebSocket location that keeps the 60 s default proxy_read_timeout.',
  check(ws) {
    if (nearest(ws.levels, 'proxy_read_timeout')) return [];
    return [findingFor(this, ws, locationHeader(ws),
      'WebSocket connections idle for more than 60 s are closed: proxy_read_timeout keeps its 60s default here',
      { fixes: [{ title: `Raise the timeout: "${LINE}"`, edits: [insertIntoLocation(ws, [LINE])], preferred: true }] })];
  },
};
