// Every directive of a file with the context it stands in and the documented forms that apply:
// shared by the rules, and kept for the next analysis but for the block an edit re-read.

import { walk, type Block, type Directive, type ParseResult } from '../parser';
import { childContext, DATA_BLOCK_SYNTAX, specsIn, type Context } from './context';
import { directiveSpecs, type DirectiveSpec } from './knowledge/directives';
import { DEFAULT_TARGET, type TargetVersion } from './knowledge/versions';
import { thirdPartyDirective, type ThirdPartyDirective } from './thirdParty';
import type { RuleInfo } from './types';

/** What a directive's name means in its context: the same for every directive of that name there. */
interface Meaning {
  forms: readonly DirectiveSpec[];
  allowed: readonly DirectiveSpec[];
  target: TargetVersion;
  thirdParty?: ThirdPartyDirective;
  declared: boolean;
}

/**
 * A directive with what the rules read about it. What its name means in its context is one object
 * shared by every entry of that name and context: a large file has 100,000 entries and a few hundred
 * meanings, and each entry is smaller by a third.
 */
export class DirectiveEntry {
  /**
   * The first problem the directive rules find (null: none), once analyze() has asked; its span is
   * relative to the directive's start, so that it holds when an edit elsewhere moves the directive.
   */
  problem?: { rule: RuleInfo; message: string; from: number; length: number; meant?: string } | null = undefined;

  constructor(
    readonly directive: Directive,
    /** The entry of the enclosing block directive. */
    readonly parent: DirectiveEntry | undefined,
    /** For a line of a data block (map, geo, types...), `{ kind: 'data' }` with the block's name. */
    readonly context: Context,
    private readonly meaning: Meaning,
    /** The first directive of the same name before this one in the same block, if any. */
    readonly repeats: Directive | undefined,
  ) {}

  /** Every form of the name that nginx at the target version has, whatever the context. */
  get forms(): readonly DirectiveSpec[] {
    return this.meaning.forms;
  }

  /** The forms allowed in this context (all forms when the context is unknown; none for a data line). */
  get allowed(): readonly DirectiveSpec[] {
    return this.meaning.allowed;
  }

  /** The nginx version the forms are those of. */
  get target(): TargetVersion {
    return this.meaning.target;
  }

  get thirdParty(): ThirdPartyDirective | undefined {
    return this.meaning.thirdParty;
  }

  /** Declared by the user in the `nginx.extraDirectives` setting. */
  get declared(): boolean {
    return this.meaning.declared;
  }
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
  // A data line (a map's key, a type) is no directive: every one has the same meaning, no form.
  const dataLine: Meaning = { forms: NO_FORMS, allowed: NO_FORMS, target, thirdParty: undefined, declared: false };
  const meanings = new Map<Context, Map<string, Meaning>>();
  const meaningIn = (inside: Context, name: string): Meaning => {
    let byName = meanings.get(inside);
    if (!byName) meanings.set(inside, (byName = new Map()));
    let meaning = byName.get(name);
    if (!meaning) {
      const forms = directiveSpecs(name, target);
      const allowed = inside.kind === 'unknown' ? forms : specsIn(name, inside, target);
      byName.set(name, (meaning = { forms, allowed, target, thirdParty: thirdPartyDirective(name), declared: declared.has(name) }));
    }
    return meaning;
  };
  walk(block, (directive, ancestors) => {
    const enclosing = ancestors.length > 0 ? blockEntries.get(ancestors[ancestors.length - 1]) : top;
    // Inside an opaque block, or a block that a data line opens: no entry.
    if (!enclosing) return;
    const { inside } = enclosing;
    // Lines of map, geo, types...: entries of their own, checked against the block's syntax; the
    // bodies of other data blocks (third-party, unknown) are opaque.
    if (inside.kind === 'data' && !Object.hasOwn(DATA_BLOCK_SYNTAX, inside.owner)) return;
    if (inside.kind === 'data') {
      entries.push(new DirectiveEntry(directive, enclosing.entry, inside, dataLine, undefined));
      return;
    }
    const name = directive.name.value;
    const repeats = enclosing.seen.get(name);
    if (!repeats) enclosing.seen.set(name, directive);
    const entry = new DirectiveEntry(directive, enclosing.entry, inside, meaningIn(inside, name), repeats);
    entries.push(entry);
    if (directive.block) blockEntries.set(directive, { entry, inside: childContext(directive, inside), seen: new Map() });
  });
  return entries;
}

const NO_FORMS: readonly DirectiveSpec[] = [];
