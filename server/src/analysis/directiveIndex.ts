// Every directive of a file with the context it stands in and the documented forms that apply:
// shared by the rules, and kept for the next analysis but for the statements an edit re-read.

import { rereadDirectives, walkFrames, type Block, type Directive, type ParseResult, type Reread, type WalkFrame } from '../parser';
import { childContext, DATA_BLOCK_SYNTAX, specsIn, type Context } from './context';
import { directiveSpecs, type DirectiveSpec } from './knowledge/directives';
import { DEFAULT_TARGET, type TargetVersion } from './knowledge/versions';
import { isLoadedModuleDirective, thirdPartyDirective, type ThirdPartyDirective } from './thirdParty';
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

  /**
   * The http server block the directive stands in, or is; undefined outside any. Known from its
   * parent's as the entry is made: the WebSocket and the security rules group every location by it.
   */
  readonly httpServer: Directive | undefined;

  constructor(
    readonly directive: Directive,
    /** The entry of the enclosing block directive. */
    readonly parent: DirectiveEntry | undefined,
    /** For a line of a data block (map, geo, types...), `{ kind: 'data' }` with the block's name. */
    readonly context: Context,
    private readonly meaning: Meaning,
    /** The first directive of the same name before this one in the same block, if any (updated when reparse() read others of the block again). */
    public repeats: Directive | undefined,
  ) {
    const isHttpServer = directive.block !== undefined && directive.name.value === 'server' && context.kind === 'directives' && context.name === 'http';
    this.httpServer = isHttpServer ? directive : parent?.httpServer;
  }

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

  /**
   * The directives before this one in its block, in order; undefined at a file's top level, whose
   * block (where the file is included) is another file's.
   */
  directivesBefore(): Directive[] | undefined {
    const siblings = this.parent?.directive.block?.children;
    return siblings?.slice(0, siblings.indexOf(this.directive)).filter((node): node is Directive => node.kind === 'directive');
  }
}

export interface IndexOptions {
  extraDirectives?: readonly string[];
  /** The prefixes of the directives of modules the configuration loads that we have no list of (directivePrefixOf()). */
  loadedPrefixes?: readonly string[];
  target?: TargetVersion;
}

/** Whether a name is declared: in the user's setting, or (unknown to us) of a module the configuration loads. */
type IsDeclared = (name: string, forms: readonly DirectiveSpec[]) => boolean;

/** A file's entries, kept by its root for the next analysis of the file after an edit. */
interface FileIndex {
  top: Context;
  target: TargetVersion;
  declared: string;
  entries: DirectiveEntry[];
}

const indexes = new WeakMap<Block, FileIndex>();

/**
 * Every directive of the tree, in source order. After reparse() read statements again, the entries
 * of the previous tree are kept but for theirs (every other directive is the same node, with the
 * same words, context and parent), as long as the file's context and the options are the same.
 */
export function indexDirectives(tree: ParseResult, top: Context, options: IndexOptions = {}): DirectiveEntry[] {
  const extra = new Set(options.extraDirectives ?? []);
  const prefixes = options.loadedPrefixes ?? [];
  const declaredKey = `${[...extra].join(' ')}|${prefixes.join(' ')}`;
  const declared: IsDeclared = (name, forms) => extra.has(name) || (forms.length === 0 && !thirdPartyDirective(name) && isLoadedModuleDirective(name, prefixes));
  const target = options.target ?? DEFAULT_TARGET;
  const previous = tree.reread && indexes.get(tree.reread.previousRoot);
  const same = previous?.top === top && previous.target === target && previous.declared === declaredKey;
  const entries = (same && respliced(previous.entries, tree.reread!, top, declared, target)) || indexBlock(tree.root, top, undefined, declared, target);
  indexes.set(tree.root, { top, target, declared: declaredKey, entries });
  return entries;
}

/**
 * `entries` with those of the statements read again indexed anew; undefined when their block has no
 * entry (inside an opaque block). The block's other lines are judged again: which earlier line a
 * line repeats, or whether a map's key is given twice, depends on the lines around it.
 */
function respliced(entries: readonly DirectiveEntry[], reread: Reread, top: Context, declared: IsDeclared, target: TargetVersion): DirectiveEntry[] | undefined {
  const block = reread.chain[reread.chain.length - 1];
  let owner: DirectiveEntry | undefined;
  let context = top;
  /** The first entry inside the block. */
  let inside = 0;
  if (block) {
    inside = entries.findIndex((entry) => entry.directive === block) + 1;
    if (inside === 0) return undefined;
    owner = entries[inside - 1];
    // The lines of a data line's block have no entries.
    if (owner.context.kind === 'data') return entries.slice();
    context = childContext(block, owner.context);
  }
  // Entries are in source order: the block's before the statements, theirs, then the others moved.
  let first = inside;
  while (first < entries.length && entries[first].directive.start < reread.start) first++;
  const { gone } = rereadDirectives(reread, () => undefined);
  let end = first;
  while (end < entries.length && gone.has(entries[end].directive)) end++;
  const seen = new Map<string, Directive>();
  for (let i = inside; i < first; i++) {
    const entry = entries[i];
    if (entry.parent !== owner) continue;
    entry.problem = undefined;
    if (!seen.has(entry.directive.name.value)) seen.set(entry.directive.name.value, entry.directive);
  }
  const fresh = indexBlock({ children: reread.children }, context, owner, declared, target, seen);
  const blockEnd = block ? block.end : Infinity;
  for (let i = end; i < entries.length && entries[i].directive.start < blockEnd; i++) {
    const entry = entries[i];
    if (entry.parent !== owner) continue;
    entry.problem = undefined;
    if (entry.context.kind === 'data') continue;
    const name = entry.directive.name.value;
    entry.repeats = seen.get(name);
    if (!entry.repeats) seen.set(name, entry.directive);
  }
  return [...entries.slice(0, first), ...fresh, ...entries.slice(end)];
}

/** A block being indexed: its entry, the context inside it, the first directive of each name in it. */
interface IndexFrame extends WalkFrame {
  entry: DirectiveEntry | undefined;
  inside: Context;
  seen: Map<string, Directive>;
}

/** The entries of a block's contents, which stand in `context`, inside the block of `parent`. */
function indexBlock(
  block: Pick<Block, 'children'>, context: Context, parent: DirectiveEntry | undefined, declared: IsDeclared, target: TargetVersion,
  /** The first directive of each name before the block's contents (for statements read again). */
  seen = new Map<string, Directive>(),
): DirectiveEntry[] {
  const entries: DirectiveEntry[] = [];
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
      byName.set(name, (meaning = { forms, allowed, target, thirdParty: thirdPartyDirective(name), declared: declared(name, forms) }));
    }
    return meaning;
  };
  // Each frame carries its block's entry and context: a map from block to entry, asked for each of
  // 120,000 directives, cost a tenth of the index.
  walkFrames<IndexFrame>([{ children: block.children, index: 0, entry: parent, inside: context, seen }], (directive, frame, frames) => {
    const { inside } = frame;
    if (inside.kind === 'data') {
      // Lines of map, geo, types...: entries of their own, checked against the block's syntax; the
      // bodies of other data blocks (third-party, unknown) are opaque. A block a data line opens
      // is opaque too: its lines get no entry.
      if (Object.hasOwn(DATA_BLOCK_SYNTAX, inside.owner)) entries.push(new DirectiveEntry(directive, frame.entry, inside, dataLine, undefined));
      return;
    }
    const name = directive.name.value;
    const repeats = frame.seen.get(name);
    if (!repeats) frame.seen.set(name, directive);
    const entry = new DirectiveEntry(directive, frame.entry, inside, meaningIn(inside, name), repeats);
    entries.push(entry);
    if (directive.block) frames.push({ children: directive.block.children, index: 0, entry, inside: childContext(directive, inside), seen: new Map() });
  });
  return entries;
}

const NO_FORMS: readonly DirectiveSpec[] = [];
