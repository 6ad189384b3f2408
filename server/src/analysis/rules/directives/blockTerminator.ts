import { statementSpan } from '../../../parser';
import type { DirectiveSpec } from '../../knowledge/directives';
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
    // Whether the forms allowed here take a block: all of them, none, or some (either terminator).
    const blocks = entry.thirdParty ? (entry.thirdParty.block ? 'all' : 'none') : formsTakingBlocks(entry.allowed);
    if (blocks === undefined) return undefined;
    const name = directive.name.value;
    if (directive.terminator === '{' && blocks === 'none') {
      return { message: `directive "${name}" is not terminated by ";"`, span: statementSpan(directive) };
    }
    if (directive.terminator === ';' && blocks === 'all') {
      return { message: `directive "${name}" has no opening "{"`, span: statementSpan(directive) };
    }
    return undefined;
  },
};

/** Whether all forms take a block, none does, or some do; undefined when there is no form. Asked of every directive: no array made. */
function formsTakingBlocks(forms: readonly DirectiveSpec[]): 'all' | 'none' | 'some' | undefined {
  let withBlock = 0;
  for (let i = 0; i < forms.length; i++) if (forms[i].block) withBlock++;
  if (forms.length === 0) return undefined;
  return withBlock === forms.length ? 'all' : withBlock === 0 ? 'none' : 'some';
}
