import { locationHeader, setHeaderFix } from '../fixes';
import { headerStatus } from '../headerStatus';
import { handshakeValue, upgradeHeaderForwards } from '../locations';
import { guardMapsEdits, UPGRADE_VARIABLE } from './h2cSmuggling';
import { findingFor, WEBSOCKET_DOCS, type WebSocketRule } from './rule';

export const UPGRADE_LINE = 'proxy_set_header Upgrade $http_upgrade;';

/**
 * The client's Upgrade header is hop-by-hop: nginx forwards it only when told to (proxy docs,
 * "WebSocket proxying"). A header with an empty value is not sent at all (proxy_set_header docs).
 */
export const upgradeHeaderRule: WebSocketRule = {
  id: 'ws-missing-upgrade',
  severity: 'warning',
  docs: WEBSOCKET_DOCS,
  description: 'A WebSocket location that does not forward the Upgrade header.',
  check(ws) {
    const status = headerStatus(ws.levels, 'upgrade', upgradeHeaderForwards(ws.maps));
    // Lost through inheritance: ws-headers-not-inherited says so.
    if (status.lost || (status.effective && upgradeHeaderForwards(ws.maps)(status.effective))) return [];
    // Passing only "websocket" (the h2c rule's maps) where the maps can be added, else the docs' line.
    const maps = guardMapsEdits(ws);
    const fix = maps
      ? setHeaderFix(ws, 'upgrade', `proxy_set_header Upgrade $${UPGRADE_VARIABLE};`, maps.length > 0 ? ' and the maps that pass only "websocket"' : '')
      : setHeaderFix(ws, 'upgrade', UPGRADE_LINE);
    const fixes = [{ ...fix, edits: [...(maps ?? []), ...fix.edits], preferred: true }];
    const header = status.effective;
    if (!header) {
      return [findingFor(this, ws, locationHeader(ws),
        `WebSocket proxying needs "${UPGRADE_LINE}": without it the upstream never sees the upgrade request`,
        { fixes })];
    }
    const value = header.directive.args[1]?.value ?? '';
    const sent = handshakeValue(value, ws.maps);
    if (!sent) {
      return [findingFor(this, ws, locationHeader(ws),
        `"proxy_set_header Upgrade ${value === '' ? '""' : value}" sends no Upgrade header for a WebSocket handshake: WebSocket proxying needs "${UPGRADE_LINE}"`,
        { related: [{ file: header.file, span: header.directive, message: `Upgrade is set to ${value === '' ? '""' : value} here` }], fixes })];
    }
    return [findingFor(this, ws, locationHeader(ws),
      `"proxy_set_header Upgrade ${value}" sends "Upgrade: ${sent}" for a WebSocket handshake, not "websocket": WebSocket proxying needs "${UPGRADE_LINE}"`,
      { related: [{ file: header.file, span: header.directive, message: `Upgrade is set to ${value} here` }], fixes })];
  },
};
