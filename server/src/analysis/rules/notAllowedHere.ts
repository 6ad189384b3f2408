import type { DirectiveRule } from './directiveRule';

export const notAllowedHere: DirectiveRule = {
  id: 'not-allowed-here',
  severity: 'error',
  description: 'A directive placed in a block where nginx does not accept it.',
  check(entry) {
    if (entry.context.kind !== 'directives' || entry.forms.length === 0 || entry.allowed.length > 0) return undefined;
    const contexts = [...new Set(entry.forms.flatMap((form) => form.contexts))].join(', ');
    return {
      message: `"${entry.directive.name.value}" directive is not allowed here (allowed in: ${contexts})`,
      span: entry.directive.name,
    };
  },
};
