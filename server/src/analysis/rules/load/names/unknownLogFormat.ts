import { statementSpan } from '../../../../parser';
import { inReadingOrder, placedNamed, treeOf, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/** ngx_http_log_create_main_conf() defines `combined`; the stream log module predefines none. */
export const PREDEFINED_FORMATS: Readonly<Record<string, readonly string[]>> = { http: ['combined'], stream: [] };

/**
 * `access_log PATH NAME` naming no `log_format` read before it in its http or stream tree
 * (ngx_http_log_module.c, ngx_http_log_set_log(), and ngx_stream_log_module.c's: formats are looked up,
 * case-insensitively, as the directive is read, so order matters). The third word is the name
 * whatever it is: `access_log PATH buffer=32k` names a format "buffer=32k". An include that the
 * workspace cannot read, above the directive at its tree's level, may define the format: nothing is said then.
 */
export const unknownLogFormat: LoadRule = {
  id: 'unknown-log-format',
  severity: 'error',
  description: 'An access_log that names a log format not defined above it.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    const formats = new Map<Placed | undefined, Set<string>>();
    const unknowable = new Set<Placed | undefined>();
    // The includes the workspace lacks, where they are read among the formats and their uses.
    for (const placed of inReadingOrder([...placedNamed(configuration, 'log_format', 'access_log'), ...configuration.unresolved])) {
      const { directive, context } = placed;
      const unresolved = configuration.unresolved.has(placed);
      if (context.kind !== 'directives' || !(context.family in PREDEFINED_FORMATS)) continue;
      const tree = treeOf(placed);
      let known = formats.get(tree);
      if (!known) formats.set(tree, (known = new Set(PREDEFINED_FORMATS[context.family])));
      // log_format is allowed at the tree's own level only: an include read in a server cannot define one.
      if (unresolved && (context.name === 'http' || context.name === 'stream')) unknowable.add(tree);
      const name = directive.args[directive.name.value === 'log_format' ? 0 : 1];
      if (!name) continue;
      if (directive.name.value === 'log_format') known.add(name.value.toLowerCase());
      else if (directive.name.value === 'access_log' && directive.args[0].value !== 'off' && !unknowable.has(tree) && !known.has(name.value.toLowerCase())) {
        problems.push({ at: placed, span: { start: name.start, end: statementSpan(directive).end }, message: `unknown log format "${name.value}"` });
      }
    }
    return problems;
  },
};
