import { statementSpan } from '../../parser';
import type { DirectiveEntry } from '../directiveIndex';
import { parameterSince, takesParameter, type DirectiveSpec } from '../knowledge/directives';
import { valueProblem } from '../knowledge/values';
import type { DirectiveRule } from './directiveRule';

/**
 * A value that the directive's handler refuses at load: for the ngx_conf_set_*_slot handlers a flag
 * other than on/off, a time, size or number nginx cannot read, a word outside an enum or bitmask
 * (such as `proxy_http_version 2` before nginx 1.30); for `listen`, a parameter its release lacks
 * (`quic` before 1.25). Checked after the argument count, as ngx_conf_handler() calls the handler only then.
 */
export const invalidValue: DirectiveRule = {
  id: 'invalid-value',
  severity: 'error',
  description: 'A value that nginx refuses when it loads the configuration (on/off, a time, a size, a number, one of a list of words).',
  check(entry) {
    const { directive, allowed } = entry;
    if (!directive.terminator || allowed.length === 0) return undefined;
    // Where forms differ (a name of two modules), only a value every form refuses.
    let args: string[] | undefined;
    let message: string | undefined;
    for (const spec of allowed) {
      const problem = spec.parameters ? parameterProblem(entry, spec) : spec.value && valueProblem(spec.value, directive.name.value, (args ??= directive.args.map((arg) => arg.value)));
      if (!problem) return undefined;
      message ??= problem;
    }
    return { message: message!, span: statementSpan(directive) };
  },
};

/** ngx_http_core_listen() and its stream and mail twins: `invalid parameter "x"` for a word after the address they do not compare. */
function parameterProblem(entry: DirectiveEntry, spec: DirectiveSpec): string | undefined {
  const wrong = entry.directive.args.slice(1).find((arg) => !takesParameter(spec.parameters!, arg.value));
  if (!wrong) return undefined;
  const since = parameterSince(spec.name, spec.family, wrong.value);
  return `invalid parameter "${wrong.value}"` + (since ? ` (nginx ${since} has it; the target is nginx ${entry.target.label})` : '');
}
