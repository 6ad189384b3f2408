import { defaultsToHttp11 } from '../../headers/defaults';
import { nearest } from '../levels';
import { insertIntoLocation, locationHeader, replaceDirective } from '../fixes';
import { findingFor, WEBSOCKET_DOCS, type WebSocketRule } from './rule';

const LINE = 'proxy_http_version 1.1;';

/**
 * "proxy_http_version 1.1" is required for WebSocket: only HTTP/1.1 has the Upgrade mechanism, and
 * before nginx 1.29.7 nginx proxies with HTTP/1.0 by default (ngx_http_proxy_module, "WebSocket
 * proxying"). The directive is inherited one by one, so the nearest level that sets it decides.
 */
export const httpVersionRule: WebSocketRule = {
  id: 'ws-missing-http-version',
  severity: 'warning',
  docs: WEBSOCKET_DOCS,
  description: 'A WebSocket location proxied with HTTP/1.0: the handshake must be HTTP/1.1 (RFC 6455), and most backends refuse it.',
  check(ws) {
    const version = nearest(ws.levels, 'proxy_http_version');
    const value = version?.placed.directive.args[0]?.value;
    if (value === '1.1' || (!version && defaultsToHttp11(ws.target))) return [];
    const add = { title: `Add "${LINE}"`, edits: [insertIntoLocation(ws, [LINE])], preferred: true };
    if (!version) {
      return [findingFor(this, ws, locationHeader(ws),
        `WebSocket proxying needs "${LINE}": nginx ${ws.target.label} talks HTTP/1.0 to the upstream by default (HTTP/1.1 is the default from nginx 1.29.7), and a WebSocket handshake must be HTTP/1.1 (RFC 6455): most backends refuse it`,
        { fixes: [add] })];
    }
    const explicit = version.placed;
    // Set in the location itself (maybe through an included snippet): a second one would be
    // "is duplicate", so change it where it is. Inherited: override it in the location.
    const fix = version.level === ws.levels[0]
      ? { title: `Change to "${LINE}"`, preferred: true, edits: [replaceDirective(explicit, LINE)] }
      : add;
    const where = version.level === ws.levels[0] ? '' : ` (inherited from the ${version.level.block?.name.value ?? 'enclosing'} level)`;
    return [findingFor(this, ws, locationHeader(ws),
      `"proxy_http_version ${value}"${where} sends the WebSocket handshake as HTTP/${value}, which RFC 6455 does not allow and most backends refuse: use "${LINE}"`,
      {
        related: [{ file: explicit.file, span: explicit.directive, message: `proxy_http_version ${value} is set here` }],
        fixes: [fix],
      })];
  },
};
