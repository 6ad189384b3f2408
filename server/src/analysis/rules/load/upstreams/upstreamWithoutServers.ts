import { placedNamed, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * An `upstream` block with no `server` in it (ngx_http_upstream() and ngx_stream_upstream() in
 * ngx_http_upstream.c / ngx_stream_upstream.c: `if (uscf->servers->nelts == 0)` once the block is
 * read). nginx names the line of its closing brace; the finding covers the whole block.
 */
export const upstreamWithoutServers: LoadRule = {
  id: 'upstream-without-servers',
  severity: 'error',
  description: 'An upstream block without any server.',
  check(configuration) {
    const withServers = new Set<Placed | undefined>();
    for (const placed of placedNamed(configuration, 'server')) withServers.add(placed.parent);
    // What an include that the workspace lacks puts in the block is unknown.
    for (const placed of configuration.unresolved) withServers.add(placed.parent);
    const problems: LoadProblem[] = [];
    for (const placed of placedNamed(configuration, 'upstream')) {
      const { directive, context } = placed;
      if (!directive.block?.closed || context.kind !== 'directives' || withServers.has(placed)) continue;
      problems.push({ at: placed, span: { start: directive.start, end: directive.end }, message: 'no servers are inside upstream' });
    }
    return problems;
  },
};
