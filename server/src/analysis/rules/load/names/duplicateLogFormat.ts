import { statementSpan } from '../../../../parser';
import { placedNamed, treeOf, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';
import { PREDEFINED_FORMATS } from './unknownLogFormat';

/**
 * A second `log_format` of one name, compared case-sensitively, in one http or stream tree; in http,
 * `combined` is taken already (ngx_http_log_module.c's and ngx_stream_log_module.c's
 * ngx_*_log_set_format(), as the directive is read).
 */
export const duplicateLogFormat: LoadRule = {
  id: 'duplicate-log-format',
  severity: 'error',
  description: 'Two log formats of the same name (or one named combined, in http).',
  check(configuration) {
    const problems: LoadProblem[] = [];
    // By tree, each name with its log_format (undefined for a predefined one).
    const formats = new Map<Placed | undefined, Map<string, Placed | undefined>>();
    for (const placed of placedNamed(configuration, 'log_format')) {
      const { directive, context } = placed;
      if (directive.args.length < 2) continue;
      if (context.kind !== 'directives' || !(context.family in PREDEFINED_FORMATS)) continue;
      const tree = treeOf(placed);
      let known = formats.get(tree);
      if (!known) formats.set(tree, (known = new Map(PREDEFINED_FORMATS[context.family].map((name) => [name, undefined]))));
      const name = directive.args[0].value;
      if (known.has(name)) problems.push({ at: placed, span: statementSpan(directive), message: `duplicate "log_format" name "${name}"`, first: known.get(name) });
      else known.set(name, placed);
    }
    return problems;
  },
};
