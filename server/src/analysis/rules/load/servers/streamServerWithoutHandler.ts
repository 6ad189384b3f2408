import { statementSpan } from '../../../../parser';
import { directiveSpecs } from '../../../knowledge/directives';
import { compareVersions, parseVersion } from '../../../knowledge/versions';
import { isStreamServer, placedNamed, unresolvedIn, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/** nginx 1.27.1 made the handler optional ("now the stream module handler is not mandatory"). */
const HANDLER_OPTIONAL_SINCE = parseVersion('1.27.1')!;

/** The directives that give a stream server its handler (ngx_stream_proxy_pass(), ngx_stream_return(), ngx_stream_pass()). */
const HANDLERS = new Set(['proxy_pass', 'return', 'pass']);

/**
 * A stream server that neither proxies, returns nor passes its connections: before 1.27.1
 * ngx_stream_core_merge_srv_conf() refuses it, naming the server. A directive nginx does not know
 * (a third-party module's, which may set the handler) leaves the server alone.
 */
export const streamServerWithoutHandler: LoadRule = {
  id: 'stream-server-without-handler',
  severity: 'error',
  description: 'A stream server without proxy_pass, return or pass (refused before nginx 1.27.1).',
  check(configuration, target) {
    if (compareVersions(target.version, HANDLER_OPTIONAL_SINCE) >= 0) return [];
    const servers = new Set(placedNamed(configuration, 'server').filter(isStreamServer));
    if (servers.size === 0) return [];
    const handled = new Set<Placed>();
    for (const placed of configuration.directives) {
      const { parent } = placed;
      const name = placed.directive.name.value;
      // An include's lines are read in place: they stand in the server themselves.
      if (!parent || !servers.has(parent) || name === 'include') continue;
      if (HANDLERS.has(name) || !directiveSpecs(name, target).some((spec) => spec.family === 'stream')) handled.add(parent);
    }
    const problems: LoadProblem[] = [];
    for (const server of servers) {
      if (!handled.has(server) && !unresolvedIn(configuration, [server])) problems.push({ at: server, span: statementSpan(server.directive), message: 'no handler for server' });
    }
    return problems;
  },
};
