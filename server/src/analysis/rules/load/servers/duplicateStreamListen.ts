import { statementSpan } from '../../../../parser';
import { compareVersions, parseVersion } from '../../../knowledge/versions';
import type { Placed } from '../configuration';
import { listenClashes } from './duplicateListen';
import { serverListens, type ServerListen } from './listenAddress';
import type { LoadProblem, LoadRule } from '../rule';

/** The release whose stream servers have names: several may listen on one address, as http's do. */
export const STREAM_VIRTUAL_SERVERS_SINCE = parseVersion('1.25.5')!;

/**
 * Two stream `listen`s of one address and port, in one server or in two, unless one is `udp` and the
 * other not (ngx_stream_core_module.c, ngx_stream_core_listen(), as the `listen` is read). From
 * 1.25.5 stream servers share addresses, and the clashes are http's (ngx_stream.c).
 */
export const duplicateStreamListen: LoadRule = {
  id: 'duplicate-stream-listen',
  severity: 'error',
  description: 'Two stream listens of the same address, port and protocol (before 1.25.5), or clashing as http listens do (since).',
  check(configuration, target) {
    if (compareVersions(target.version, STREAM_VIRTUAL_SERVERS_SINCE) >= 0) return listenClashes(configuration, 'stream', target);
    return repeatedSockets(serverListens(configuration, 'stream', target));
  },
};

/** Each listen of a socket that an earlier listen of any server binds, as ngx_stream_core_listen() (before 1.25.5) and ngx_mail_core_listen() find it. */
export function repeatedSockets(listens: readonly ServerListen[]): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const seen = new Map<string, Placed>();
  for (const { placed, address, socket } of listens) {
    const first = seen.get(socket);
    if (first) problems.push({ at: placed, span: statementSpan(placed.directive), message: `duplicate "${address}" address and port pair`, first });
    else seen.set(socket, placed);
  }
  return problems;
}
