import { NginxLines } from '../../../../parser';
import { RESOLVE_SINCE } from '../../../knowledge/handlerValues';
import { compareVersions } from '../../../knowledge/versions';
import { isWholeConfiguration, placedIn, placedNamed, treeOf, unresolvedIn, type Configuration, type Placed } from '../configuration';
import { judgedAlone, type LoadProblem, type LoadRule } from '../rule';

/**
 * An upstream whose servers are resolved at run time (`server name resolve`) needs a shared memory
 * zone and a resolver, its own or the http (stream) level's: ngx_http_upstream_init_round_robin()
 * and its stream twin refuse it once the configuration is read, naming the upstream's line in the
 * message ("resolving names at run time requires upstream "app" in /etc/nginx/nginx.conf:7 to be
 * in shared memory", "no resolver defined to resolve names at run time in upstream ..."). In a file
 * read alone the resolver may be set at the level outside it: there it is a warning.
 */
export const upstreamResolve: LoadRule = {
  id: 'upstream-resolve',
  severity: 'error',
  description: 'An upstream with `server ... resolve` but no zone, or no resolver in it or at the http (stream) level.',
  check(configuration, target) {
    if (compareVersions(target.version, RESOLVE_SINCE) < 0) return [];
    const problems: LoadProblem[] = [];
    for (const upstream of placedNamed(configuration, 'upstream')) {
      const { directive } = upstream;
      if (!directive.block || directive.args.length === 0 || unresolvedIn(configuration, [upstream])) continue;
      const resolved = placedIn(configuration, upstream, 'server').some((server) => server.directive.args.slice(1).some((word) => word.value === 'resolve'));
      if (!resolved) continue;
      // The line as nginx numbers it (LF only), as it prints it.
      const where = `upstream "${directive.args[0].value}" in ${upstream.file.path}:${new NginxLines(upstream.file.text).lineAt(directive.start)}`;
      const span = { start: directive.name.start, end: directive.args[0].end };
      if (placedIn(configuration, upstream, 'zone').length === 0) {
        problems.push({ at: upstream, span, message: `resolving names at run time requires ${where} to be in shared memory` });
      } else if (!hasResolver(configuration, upstream)) {
        const problem = { at: upstream, span, message: `no resolver defined to resolve names at run time in ${where}` };
        if (isWholeConfiguration(configuration)) problems.push(problem);
        else if (!unresolvedIn(configuration, [undefined, treeOf(upstream)])) problems.push(judgedAlone(problem, 'a resolver at the level outside it'));
      }
    }
    return problems;
  },
};

/** The upstream's own `resolver`, or the one of the http (stream) block around it: the servers' and locations' are not read. */
const hasResolver = (configuration: Configuration, upstream: Placed) =>
  placedIn(configuration, upstream, 'resolver').length > 0 || placedIn(configuration, treeOf(upstream), 'resolver').length > 0;
