// Every directive of a file with the context it stands in and the documented forms that apply:
// computed once per analysis, shared by the rules.

import { walk, type Block, type Directive } from '../parser';
import { childContext, DATA_BLOCK_SYNTAX, infosIn, type Context } from './context';
import { directiveInfos, type DirectiveInfo } from './reference';
import { thirdPartyDirective, type ThirdPartyDirective } from './thirdParty';

export interface DirectiveEntry {
  directive: Directive;
  /** The entry of the enclosing block directive. */
  parent?: DirectiveEntry;
  /** For a line of a data block (map, geo, types...), `{ kind: 'data' }` with the block's name. */
  context: Context;
  /** Every documented form of the name, whatever the context. */
  forms: readonly DirectiveInfo[];
  /** The forms allowed in this context (all forms when the context is unknown; none for a data line). */
  allowed: readonly DirectiveInfo[];
  thirdParty?: ThirdPartyDirective;
  /** Declared by the user in the `nginx.extraDirectives` setting. */
  declared: boolean;
}

export interface IndexOptions {
  extraDirectives?: readonly string[];
}

export function indexDirectives(
  root: Block,
  top: Context,
  options: IndexOptions = {},
): DirectiveEntry[] {
  const entries: DirectiveEntry[] = [];
  const blockEntries = new Map<Directive, { entry: DirectiveEntry; inside: Context }>();
  const declared = new Set(options.extraDirectives ?? []);
  walk(root, (directive, ancestors) => {
    const enclosing = ancestors.length > 0 ? blockEntries.get(ancestors[ancestors.length - 1]) : undefined;
    // Inside an opaque block, or a block that a data line opens: no entry.
    if (ancestors.length > 0 && !enclosing) return;
    const context = enclosing?.inside ?? top;
    // Lines of map, geo, types...: entries of their own, checked against the block's syntax; the
    // bodies of other data blocks (third-party, unknown) are opaque.
    if (context.kind === 'data' && !Object.hasOwn(DATA_BLOCK_SYNTAX, context.owner)) return;
    const name = directive.name.value;
    if (context.kind === 'data') {
      entries.push({ directive, parent: enclosing?.entry, context, forms: [], allowed: [], declared: false });
      return;
    }
    const forms = directiveInfos(name);
    const entry: DirectiveEntry = {
      directive,
      parent: enclosing?.entry,
      context,
      forms,
      allowed: context.kind === 'unknown' ? forms : infosIn(name, context),
      thirdParty: thirdPartyDirective(name),
      declared: declared.has(name),
    };
    entries.push(entry);
    if (directive.block) blockEntries.set(directive, { entry, inside: childContext(directive, context) });
  });
  return entries;
}
