import { statementSpan } from '../../../parser';
import type { Placed } from './configuration';
import { serverListens } from './listenAddress';
import type { LoadProblem, LoadRule } from './rule';

/**
 * One server listening twice on one address and port (ngx_http.c, ngx_http_add_server(), called
 * as each `listen` is read: nginx names the second one). `80`, `*:80` and `0.0.0.0:80` are one address.
 */
export const duplicateListen: LoadRule = {
  id: 'duplicate-listen',
  severity: 'error',
  description: 'A server that listens twice on the same address and port.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    const seen = new Map<Placed | undefined, Map<string, Placed>>();
    for (const { placed, address, server } of serverListens(configuration, 'http')) {
      const addresses = seen.get(server) ?? new Map<string, Placed>();
      seen.set(server, addresses);
      const first = addresses.get(address);
      if (first) problems.push({ at: placed, span: statementSpan(placed.directive), message: `a duplicate listen ${address}`, first });
      else addresses.set(address, placed);
    }
    return problems;
  },
};
