import { addHeadersFix, locationHeader } from '../fixes';
import { headerStatus } from '../levels';
import { findingFor, type WebSocketRule } from './rule';

export const UPGRADE_LINE = 'proxy_set_header Upgrade $http_upgrade;';

/** The client's Upgrade header is hop-by-hop: nginx forwards it only when told to (proxy docs). */
export const upgradeHeaderRule: WebSocketRule = {
  id: 'ws-missing-upgrade',
  severity: 'warning',
  description: 'A WebSocket location that does not forward the Upgrade header.',
  check(ws) {
    const status = headerStatus(ws.levels, 'upgrade');
    const value = status.effective?.directive.args[1]?.value;
    // Lost through inheritance: ws-headers-not-inherited says so.
    if (status.lost.length > 0 || (status.effective && value)) return [];
    return [findingFor(this, ws, locationHeader(ws),
      `WebSocket proxying needs "${UPGRADE_LINE}": without it the upstream never sees the upgrade request`,
      { fixes: [{ ...addHeadersFix(ws, [UPGRADE_LINE], `Add "${UPGRADE_LINE}"`), preferred: true }] })];
  },
};
