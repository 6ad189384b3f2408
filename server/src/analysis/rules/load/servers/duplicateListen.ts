import { statementSpan } from '../../../../parser';
import type { TargetVersion } from '../../../knowledge/versions';
import type { Configuration, Placed } from '../configuration';
import { serverListens } from './listenAddress';
import type { LoadProblem, LoadRule } from '../rule';

/** The parameters that set a socket's options (`lsopt.set` in ngx_http_core_listen() and its stream twin). */
const SOCKET_OPTION = /^(?:bind|deferred|reuseport|multipath|(?:setfib|fastopen|backlog|rcvbuf|sndbuf|accept_filter|ipv6only|so_keepalive)=.*)$/;

/** The listen sets its socket's options (`lsopt.set`). */
export const setsSocketOptions = (listen: Placed) => listen.directive.args.slice(1).some((arg) => SOCKET_OPTION.test(arg.value));

/**
 * The listens of `family` that clash as nginx adds each to its address (ngx_http_add_addresses() in
 * ngx_http.c, and ngx_stream.c's since 1.25.5), naming the later one: one server listening twice on
 * one socket ("a duplicate listen"), or two listens of one socket that both set its options.
 */
export function listenClashes(configuration: Configuration, family: 'http' | 'stream', target: TargetVersion): LoadProblem[] {
  const problems: LoadProblem[] = [];
  /** Per socket, the listen that set its options. */
  const optionsSetBy = new Map<string, Placed>();
  for (const { placed, address, socket, earlier } of serverListens(configuration, family, target)) {
    if (earlier) {
      problems.push({ at: placed, span: statementSpan(placed.directive), message: `a duplicate listen ${address}`, first: earlier });
      continue;
    }
    if (!setsSocketOptions(placed)) continue;
    const first = optionsSetBy.get(socket);
    if (first) problems.push({ at: placed, span: statementSpan(placed.directive), message: `duplicate listen options for ${address}`, first });
    else optionsSetBy.set(socket, placed);
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
