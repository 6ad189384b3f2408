// real-ip-spoofable: `set_real_ip_from 0.0.0.0/0` trusts every client to name its own address in
// real_ip_header (X-Real-IP by default), so allow/deny, limit_req and logs see a forged one
// (ngx_http_realip_handler() replaces the address whenever the peer is trusted).

import { entriesNamed, findingAt, levelsAround, valueInForce, wordsSpan, type SecurityRule } from '../rule';

/** Networks that hold every address. */
const EVERYONE = new Set(['0.0.0.0/0', '::/0', '0/0']);

export const realIpSpoofable: SecurityRule = {
  id: 'real-ip-spoofable',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_realip_module.html',
  description: 'set_real_ip_from 0.0.0.0/0 with a header (X-Forwarded-For, X-Real-IP): any client picks its own address.',
  check(scope) {
    return entriesNamed(scope, 'set_real_ip_from').flatMap((entry) => {
      if (!EVERYONE.has(entry.directive.args[0]?.value ?? '')) return [];
      const header = valueInForce(levelsAround(scope, entry), 'real_ip_header')?.directive.args[0]?.value ?? 'X-Real-IP';
      // The PROXY protocol's address comes from the load balancer's connection, not from the client.
      if (header === 'proxy_protocol') return [];
      return [findingAt(this, scope, wordsSpan(entry.directive),
        `Every client is trusted to set ${header}: anyone can pose as any address, past allow/deny and rate limits; list only your proxies' addresses`)];
    });
  },
};
