// Every directive of a file with the context it stands in and the documented forms that apply:
// shared by the rules, and kept for the next analysis but for the block an edit re-read.

import { walk, type Block, type Directive, type ParseResult } from '../parser';
import { childContext, DATA_BLOCK_SYNTAX, specsIn, type Context } from './context';
import { directiveSpecs, type DirectiveSpec } from './knowledge/directives';
import { DEFAULT_TARGET, type TargetVersion } from './knowledge/versions';
import { thirdPartyDirective, type ThirdPartyDirective } from './thirdParty';
import type { RuleInfo } from './types';

export interface DirectiveEntry {
  directive: Directive;
  /** The entry of the enclosing block directive. */
  parent?: DirectiveEntry;
  /** For a line of a data block (map, geo, types...), `{ kind: 'data' }` with the block's name. */
  context: Context;
  /** Every form of the name that nginx at the target version has, whatever the context. */
  forms: readonly DirectiveSpec[];
  /** The forms allowed in this context (all forms when the context is unknown; none for a data line). */
  allowed: readonly DirectiveSpec[];
  /** The nginx version the forms are those of. */
  target: TargetVersion;
  thirdParty?: ThirdPartyDirective;
  /** Declared by the user in the `nginx.extraDirectives` setting. */
  declared: boolean;
  /** The first directive of the same name before this one in the same block, if any. */
  repeats?: Directive;
  /**
   * The first problem the directive rules find (null: none), once analyze() has asked; its span is
   * relative to the directive's start, so that it holds when an edit elsewhere moves the directive.
   */
  problem?: { rule: RuleInfo; message: string; from: number; length: number; meant?: string } | null;
}

export interface IndexOptions {
  extraDirectives?: readonly string[];
  target?: TargetVersion;
}

/** A file's entries, kept by its root for the next analysis of the file after an edit. */
interface FileIndex {
  top: Context;
  target: TargetVersion;
  declared: string;
  entries: DirectiveEntry[];
}

const indexes = new WeakMap<Block, FileIndex>();

/**
 * Every directive of the tree, in source order. After reparse() read one block again, the entries
 * of the previous tree are kept but for that block's contents (every other directive is the same node,
 * with the same words, context and parent), as long as the file's context and the options are the same.
 */
export function indexDirectives(tree: ParseResult, top: Context, options: IndexOptions = {}): DirectiveEntry[] {
  const declared = new Set(options.extraDirectives ?? []);
  const declaredKey = [...declared].join(' ');
  const target = options.target ?? DEFAULT_TARGET;
  const previous = tree.reread && indexes.get(tree.reread.previousRoot);
  const same = previous?.top === top && previous.target === target && previous.declared === declaredKey;
  const entries = (same && respliced(previous.entries, tree.reread!.block, declared, target)) || indexBlock(tree.root, top, undefined, declared, target);
  indexes.set(tree.root, { top, target, declared: declaredKey, entries });
  return entries;
}

/** `entries` with those inside `block` indexed anew; undefined when `block` has no entry (inside an opaque block). */
function respliced(entries: readonly DirectiveEntry[], block: Directive, declared: ReadonlySet<string>, target: TargetVersion): DirectiveEntry[] | undefined {
  const at = entries.findIndex((entry) => entry.directive === block);
  if (at < 0) return undefined;
  const owner = entries[at];
  const inside = (entry: DirectiveEntry) => {
    for (let e = entry.parent; e; e = e.parent) if (e === owner) return true;
    return false;
  };
  let end = at + 1;
  while (end < entries.length && inside(entries[end])) end++;
  const body = owner.context.kind === 'data' ? [] : indexBlock(block.block!, childContext(block, owner.context), owner, declared, target);
  return [...entries.slice(0, at + 1), ...body, ...entries.slice(end)];
}

/** The entries of a block's contents, which stand in `context`, inside the block of `parent`. */
function indexBlock(
  block: Block, context: Context, parent: DirectiveEntry | undefined, declared: ReadonlySet<string>, target: TargetVersion,
): DirectiveEntry[] {
  const entries: DirectiveEntry[] = [];
  const blockEntries = new Map<Directive, { entry: DirectiveEntry; inside: Context; seen: Map<string, Directive> }>();
  const top = { entry: parent, inside: context, seen: new Map<string, Directive>() };
  walk(block, (directive, ancestors) => {
    const enclosing = ancestors.length > 0 ? blockEntries.get(ancestors[ancestors.length - 1]) : top;
    // Inside an opaque block, or a block that a data line opens: no entry.
    if (!enclosing) return;
    const { inside } = enclosing;
    // Lines of map, geo, types...: entries of their own, checked against the block's syntax; the
    // bodies of other data blocks (third-party, unknown) are opaque.
    if (inside.kind === 'data' && !Object.hasOwn(DATA_BLOCK_SYNTAX, inside.owner)) return;
    const name = directive.name.value;
    if (inside.kind === 'data') {
      entries.push(newEntry(directive, enclosing.entry, inside, NO_FORMS, NO_FORMS, target, undefined, false, undefined));
      return;
    }
    const forms = directiveSpecs(name, target);
    const repeats = enclosing.seen.get(name);
    if (!repeats) enclosing.seen.set(name, directive);
    const allowed = inside.kind === 'unknown' ? forms : specsIn(name, inside, target);
    const entry = newEntry(directive, enclosing.entry, inside, forms, allowed, target, thirdPartyDirective(name), declared.has(name), repeats);
    entries.push(entry);
    if (directive.block) blockEntries.set(directive, { entry, inside: childContext(directive, inside), seen: new Map() });
  });
  return entries;
}

const NO_FORMS: readonly DirectiveSpec[] = [];

/**
 * An entry with every field set, `problem` too: one object shape for all 100,000 entries of a large
 * file, whose fields are stored in the object itself (a field added later takes a separate array).
 */
function newEntry(
  directive: Directive, parent: DirectiveEntry | undefined, context: Context, forms: readonly DirectiveSpec[], allowed: readonly DirectiveSpec[],
  target: TargetVersion, thirdParty: ThirdPartyDirective | undefined, declared: boolean, repeats: Directive | undefined,
): DirectiveEntry {
  return { directive, parent, context, forms, allowed, target, thirdParty, declared, repeats, problem: undefined };
}
