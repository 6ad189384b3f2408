import { statementSpan } from '../../../../parser';
import { compareVersions, type TargetVersion } from '../../../knowledge/versions';
import type { Configuration, Placed } from '../configuration';
import { STREAM_VIRTUAL_SERVERS_SINCE } from './duplicateStreamListen';
import { isDefaultServerListen, serverListens } from './listenAddress';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * A second `default_server` on one address and port (ngx_http.c, ngx_http_add_addresses(), as the
 * `listen` is read). The same server listening twice is "a duplicate listen" instead: nginx checks
 * that first (ngx_http_add_server()), so that case is left to duplicate-listen. Stream servers have
 * default servers since 1.25.5 (ngx_stream.c, ngx_stream_add_addresses()).
 */
export const duplicateDefaultServer: LoadRule = {
  id: 'duplicate-default-server',
  severity: 'error',
  description: 'Two servers that are both the default server of one address and port.',
  check(configuration, target) {
    const streamServers = compareVersions(target.version, STREAM_VIRTUAL_SERVERS_SINCE) >= 0;
    return [...duplicateDefaults(configuration, 'http', target), ...(streamServers ? duplicateDefaults(configuration, 'stream', target) : [])];
  },
};

function duplicateDefaults(configuration: Configuration, family: 'http' | 'stream', target: TargetVersion): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const defaults = new Map<string, Placed>();
  for (const { placed, address, socket, earlier } of serverListens(configuration, family, target)) {
    // The same server twice is duplicate-listen's.
    if (earlier || !isDefaultServerListen(placed)) continue;
    const first = defaults.get(socket);
    if (first) problems.push({ at: placed, span: statementSpan(placed.directive), message: `a duplicate default server for ${address}`, first });
    else defaults.set(socket, placed);
  }
  return problems;
}
