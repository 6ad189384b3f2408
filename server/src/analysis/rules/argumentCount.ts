import { acceptsArgumentCount } from '../arity';
import type { DirectiveRule } from './directiveRule';

export const argumentCount: DirectiveRule = {
  id: 'invalid-arguments',
  severity: 'error',
  description: 'A directive given more or fewer arguments than nginx accepts.',
  check(entry) {
    const { directive } = entry;
    if (entry.allowed.length === 0) return undefined;
    if (entry.allowed.some((form) => acceptsArgumentCount(form, directive.args.length))) return undefined;
    return {
      message: `invalid number of arguments in "${directive.name.value}" directive`,
      span: { start: directive.name.start, end: directive.args[directive.args.length - 1]?.end ?? directive.name.end },
    };
  },
};
