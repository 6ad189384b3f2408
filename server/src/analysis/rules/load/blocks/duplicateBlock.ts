import { statementSpan } from '../../../../parser';
import { placedNamed, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * The blocks of the main level that exist once: their handlers refuse a second one
 * (ngx_events_block() in ngx_event.c, ngx_http_block() in ngx_http.c, ngx_stream_block() in
 * ngx_stream.c, ngx_mail_block() in ngx_mail.c all return "is duplicate").
 */
const SINGLE_BLOCKS = new Set(['events', 'http', 'stream', 'mail']);

export const duplicateBlock: LoadRule = {
  id: 'duplicate-block',
  severity: 'error',
  description: 'A second events, http, stream or mail block.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    const seen = new Map<string, Placed>();
    for (const placed of placedNamed(configuration, ...SINGLE_BLOCKS)) {
      const { directive, context } = placed;
      const name = directive.name.value;
      if (!directive.block || context.kind !== 'directives' || context.name !== 'main') continue;
      const first = seen.get(name);
      if (first) problems.push({ at: placed, span: statementSpan(directive), message: `"${name}" directive is duplicate`, first });
      else seen.set(name, placed);
    }
    return problems;
  },
};
