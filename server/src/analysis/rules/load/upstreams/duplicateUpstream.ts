import { statementSpan } from '../../../../parser';
import { placedNamed, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * Two `upstream` blocks of one name, compared case-insensitively, in the http tree or in the
 * stream tree (ngx_http_upstream.c's ngx_http_upstream_add() and ngx_stream_upstream.c's
 * ngx_stream_upstream_add(), when both are created by a block). nginx names the later one.
 */
export const duplicateUpstream: LoadRule = {
  id: 'duplicate-upstream',
  severity: 'error',
  description: 'Two upstream blocks of the same name.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    const seen = new Map<string, Placed>();
    for (const placed of placedNamed(configuration, 'upstream')) {
      const { directive, context } = placed;
      if (!directive.block || directive.args.length !== 1 || context.kind !== 'directives') continue;
      const name = directive.args[0].value;
      const key = `${context.family}\0${name.toLowerCase()}`;
      const first = seen.get(key);
      if (first) problems.push({ at: placed, span: statementSpan(directive), message: `duplicate upstream "${name}"`, first });
      else seen.set(key, placed);
    }
    return problems;
  },
};
