// proxy-headers-lost: Host, X-Real-IP and X-Forwarded-* set above, dropped in a block with a
// proxy_set_header of its own (the list is inherited only by a level without one, ngx_http_proxy_module
// docs): the backend then sees nginx's upstream name as Host and nginx's address as the client's.
// The Upgrade and Connection headers are the WebSocket rules' (ws-headers-not-inherited).

import { lostEntries, lostFinding } from './lostByInheritance';
import type { SecurityRule } from '../rule';

const FORWARDING_HEADER = /^(?:host|x-real-ip|x-forwarded-[\w-]+|forwarded)$/;

export const proxyHeadersLost: SecurityRule = {
  id: 'proxy-headers-lost',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
  description: 'proxy_set_header Host / X-Real-IP / X-Forwarded-* set above and dropped in a block with proxy_set_header of its own.',
  check(scope) {
    return lostEntries(scope, 'proxy_set_header', (placed) => FORWARDING_HEADER.test(placed.directive.args[0]?.value.toLowerCase() ?? '') && (placed.directive.args[1]?.value ?? '') !== '')
      .map((found) => lostFinding(this, scope, found, 'sent to the backend'));
  },
};
