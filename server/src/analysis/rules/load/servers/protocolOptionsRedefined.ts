import { statementSpan } from '../../../../parser';
import { compareVersions, parseVersion } from '../../../knowledge/versions';
import type { Placed } from '../configuration';
import { setsSocketOptions } from './duplicateListen';
import { serverListens } from './listenAddress';
import type { LoadProblem, LoadRule } from '../rule';

/** CHANGES 1.23.4: "now nginx issues a warning if protocol parameters of a listening socket are redefined". */
const WARNED_SINCE = parseVersion('1.23.4')!;

/** The protocol bits ngx_http_add_addresses() compares: proxy_protocol, ssl << 1, http2 << 2. */
function protocolsOf(listen: Placed): number {
  const words = new Set(listen.directive.args.slice(1).map((arg) => arg.value));
  return (words.has('proxy_protocol') ? 1 : 0) | (words.has('ssl') ? 2 : 0) | (words.has('http2') ? 4 : 0);
}

/** What nginx keeps of an address while it adds the listens of other servers to it (ngx_http_conf_addr_t). */
interface AddressState {
  first: Placed;
  /** opt.set: a listen of the address set its socket options. */
  optionsSet: boolean;
  /** The protocols of opt, ORed over the listens added. */
  opt: number;
  protocols: number;
  protocolsSet: boolean;
  protocolsChanged: boolean;
}

/**
 * ngx_http_add_addresses() (src/http/ngx_http.c, 1.23.4 on): each listen of a later server on an
 * address compares its protocol parameters (ssl, http2, proxy_protocol) with the address's, and nginx
 * warns "protocol options redefined" where one adds or drops one (the address takes them all). The
 * listen that sets the socket's options may differ from the first listen: that is read the same way.
 */
export const protocolOptionsRedefined: LoadRule = {
  id: 'protocol-options-redefined',
  severity: 'warning',
  description: 'Listens of one address whose ssl, http2 or proxy_protocol parameters differ, where nginx warns that the protocol options are redefined.',
  check(configuration, target) {
    if (compareVersions(target.version, WARNED_SINCE) < 0) return [];
    const problems: LoadProblem[] = [];
    const addresses = new Map<string, AddressState>();
    for (const { placed, address, socket, earlier } of serverListens(configuration, 'http', target)) {
      // The same server twice is "a duplicate listen" (duplicate-listen), where nginx stops.
      if (earlier) continue;
      const set = setsSocketOptions(placed);
      const protocols = protocolsOf(placed);
      const state = addresses.get(socket);
      if (!state) {
        addresses.set(socket, { first: placed, optionsSet: set, opt: protocols, protocols: 0, protocolsSet: false, protocolsChanged: false });
        continue;
      }
      // Two listens that set the socket's options: "duplicate listen options" (duplicate-listen), where nginx stops.
      if (set && state.optionsSet) continue;
      const previous = state.opt;
      if (set) state.optionsSet = true;
      let warned: boolean;
      if ((protocols | previous) !== previous) {
        // Options added.
        warned = (state.optionsSet && !set) || state.protocolsChanged || (protocols | previous) !== protocols;
        state.protocols = previous;
        state.protocolsChanged = true;
      } else if ((previous | protocols) !== protocols) {
        // Options dropped.
        warned = set || (state.protocolsSet && protocols !== state.protocols);
        state.protocols = protocols;
        state.protocolsChanged = true;
      } else {
        warned = (set && state.protocolsChanged) || (state.protocolsSet && protocols !== state.protocols);
        state.protocols = protocols;
      }
      state.protocolsSet = true;
      state.opt |= protocols;
      if (warned) problems.push({ at: placed, span: statementSpan(placed.directive), message: `protocol options redefined for ${address}`, first: state.first, firstMessage: 'the first listen of this address' });
    }
    return problems;
  },
};
