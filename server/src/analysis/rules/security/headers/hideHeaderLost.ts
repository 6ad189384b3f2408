// hide-header-lost: proxy_hide_header lines set above (X-Powered-By, a backend's version) come back
// in a block with a proxy_hide_header of its own (ngx_http_proxy_merge_loc_conf() merges
// hide_headers as one list), and the backend's headers reach the client again.

import { lostEntries, lostFinding } from './lostByInheritance';
import type { SecurityRule } from '../rule';

export const hideHeaderLost: SecurityRule = {
  id: 'hide-header-lost',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header',
  description: 'proxy_hide_header lines set above and no longer applied in a block with proxy_hide_header of its own.',
  check(scope) {
    return lostEntries(scope, 'proxy_hide_header', () => true).map((found) => lostFinding(this, scope, found, 'hidden'));
  },
};
