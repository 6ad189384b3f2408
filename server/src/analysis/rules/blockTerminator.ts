import type { DirectiveRule } from './directiveRule';

export const blockTerminator: DirectiveRule = {
  id: 'block-terminator',
  severity: 'error',
  description: 'A block directive without `{`, or a simple directive followed by `{` instead of `;`.',
  check(entry) {
    const { directive } = entry;
    if (!directive.terminator) return undefined;
    const kinds = entry.thirdParty ? [entry.thirdParty.block] : entry.allowed.map((form) => form.isBlock);
    if (kinds.length === 0) return undefined;
    const name = directive.name.value;
    if (directive.terminator === '{' && kinds.every((isBlock) => !isBlock)) {
      return { message: `directive "${name}" is not terminated by ";"`, span: directive.name };
    }
    if (directive.terminator === ';' && kinds.every((isBlock) => isBlock)) {
      return { message: `directive "${name}" has no opening "{"`, span: directive.name };
    }
    return undefined;
  },
};
