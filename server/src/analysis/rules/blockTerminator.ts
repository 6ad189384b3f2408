import { statementSpan } from '../../parser';
import type { DirectiveRule } from './directiveRule';

export const blockTerminator: DirectiveRule = {
  id: 'block-terminator',
  severity: 'error',
  description: 'A block directive without `{`, or a simple directive followed by `{` instead of `;`.',
  check(entry) {
    const { directive } = entry;
    if (!directive.terminator) return undefined;
    // A data line (map, geo, types...) never opens a block: ngx_conf_parse() rejects `{` when a
    // module's handler reads the lines.
    if (entry.context.kind === 'data') {
      const brace = directive.block?.start;
      return brace === undefined ? undefined : { message: 'unexpected "{"', span: { start: brace, end: brace + 1 } };
    }
    const kinds = entry.thirdParty ? [entry.thirdParty.block] : entry.allowed.map((form) => form.block);
    if (kinds.length === 0) return undefined;
    const name = directive.name.value;
    if (directive.terminator === '{' && kinds.every((isBlock) => !isBlock)) {
      return { message: `directive "${name}" is not terminated by ";"`, span: statementSpan(directive) };
    }
    if (directive.terminator === ';' && kinds.every((isBlock) => isBlock)) {
      return { message: `directive "${name}" has no opening "{"`, span: statementSpan(directive) };
    }
    return undefined;
  },
};
