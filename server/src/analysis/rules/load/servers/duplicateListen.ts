import { statementSpan } from '../../../../parser';
import type { TargetVersion } from '../../../knowledge/versions';
import type { Configuration, Placed } from '../configuration';
import { serverListens } from './listenAddress';
import type { LoadProblem, LoadRule } from '../rule';

/** The parameters that set a socket's options (`lsopt.set` in ngx_http_core_listen() and its stream twin). */
export const SOCKET_OPTION = /^(?:bind|deferred|reuseport|multipath|(?:setfib|fastopen|backlog|rcvbuf|sndbuf|accept_filter|ipv6only|so_keepalive)=.*)$/;

/**
 * The listens of `family` that clash as nginx adds each to its address (ngx_http_add_addresses() in
 * ngx_http.c, and ngx_stream.c's since 1.25.5), naming the later one: one server listening twice on
 * one socket ("a duplicate listen"), or two listens of one socket that both set its options.
 */
export function listenClashes(configuration: Configuration, family: 'http' | 'stream', target: TargetVersion): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const bySocket = new Map<string, { servers: Map<Placed | undefined, Placed>; options?: Placed }>();
  for (const { placed, address, socket, server } of serverListens(configuration, family, target)) {
    const seen = bySocket.get(socket) ?? { servers: new Map<Placed | undefined, Placed>() };
    bySocket.set(socket, seen);
    const first = seen.servers.get(server);
    if (first) {
      problems.push({ at: placed, span: statementSpan(placed.directive), message: `a duplicate listen ${address}`, first });
      continue;
    }
    seen.servers.set(server, placed);
    if (!placed.directive.args.slice(1).some((arg) => SOCKET_OPTION.test(arg.value))) continue;
    if (seen.options) problems.push({ at: placed, span: statementSpan(placed.directive), message: `duplicate listen options for ${address}`, first: seen.options });
    else seen.options = placed;
  }
  return problems;
}

/**
 * One server listening twice on one address and port, or two listens of it setting its options.
 * `80`, `*:80` and `0.0.0.0:80` are one address; a `quic` listen is a UDP socket of its own.
 */
export const duplicateListen: LoadRule = {
  id: 'duplicate-listen',
  severity: 'error',
  description: 'A server that listens twice on the same address and port, or two listens of one address that both set socket options.',
  check: (configuration, target) => listenClashes(configuration, 'http', target),
};
