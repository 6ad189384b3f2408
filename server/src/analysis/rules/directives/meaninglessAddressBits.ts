import { statementSpan } from '../../../parser';
import type { DirectiveEntry } from '../../directiveIndex';
import { hasLowAddressBits } from '../../knowledge/handlerValues';
import type { DirectiveRule } from './directiveRule';

/** The directives whose first argument is a network that ngx_ptocidr() reads (access, realip, geoip, events). */
const NETWORK_ARGUMENT = new Set(['allow', 'deny', 'set_real_ip_from', 'geoip_proxy', 'debug_connection']);

/** The network a geo line gives: its key, or the word after `delete` and `proxy` (ngx_http_geo_cidr(), ngx_http_geo_add_proxy()). */
function geoLineNetwork({ directive }: DirectiveEntry): string | undefined {
  const key = directive.name.value;
  if (key === 'delete' || key === 'proxy') return directive.args[0]?.value;
  return key === 'include' || key === 'default' ? undefined : key;
}

/**
 * `allow 192.168.1.1/24;`: the bits past the prefix mean nothing, and nginx warns as it clears them
 * (`low address bits of 192.168.1.1/24 are meaningless`): the rule covers all of 192.168.1.0/24,
 * which may be more than the author meant.
 */
export const meaninglessAddressBits: DirectiveRule = {
  id: 'meaningless-address-bits',
  severity: 'information',
  description: 'A network whose address has bits set past its prefix length (allow 10.0.0.1/8): nginx warns and clears them.',
  check(entry) {
    const { directive, context } = entry;
    const net = context.kind === 'data' ? (context.owner === 'geo' ? geoLineNetwork(entry) : undefined) : NETWORK_ARGUMENT.has(directive.name.value) ? directive.args[0]?.value : undefined;
    return net !== undefined && hasLowAddressBits(net) ? { message: `low address bits of ${net} are meaningless`, span: statementSpan(directive) } : undefined;
  },
};
