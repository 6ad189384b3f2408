import { statementSpan } from '../../../parser';
import { serverListens } from './listenAddress';
import type { Placed } from './configuration';
import type { LoadProblem, LoadRule } from './rule';

/**
 * Two stream `listen`s of one address and port, in one server or in two, unless one is `udp` and the
 * other not (ngx_stream_core_module.c, ngx_stream_core_listen(), as the `listen` is read).
 */
export const duplicateStreamListen: LoadRule = {
  id: 'duplicate-stream-listen',
  severity: 'error',
  description: 'Two stream servers (or one) listening on the same address, port and protocol.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    const seen = new Map<string, Placed>();
    for (const { placed, address } of serverListens(configuration, 'stream')) {
      const key = `${address}\0${placed.directive.args.some((arg) => arg.value === 'udp') ? 'udp' : 'tcp'}`;
      const first = seen.get(key);
      if (first) problems.push({ at: placed, span: statementSpan(placed.directive), message: `duplicate "${address}" address and port pair`, first });
      else seen.set(key, placed);
    }
    return problems;
  },
};
