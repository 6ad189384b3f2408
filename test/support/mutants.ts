/**
 * Mutants of a configuration: the mistakes people make (a dropped `;`, a stray `}`, a misspelt
 * directive, a directive moved into a wrong block, a directive stripped of its arguments, an unclosed
 * quote, a directive repeated), generated deterministically from a seed.
 *
 * A mutation names its directives by position (line, name, rank among the directives of that name on
 * that line), not by offset, so that it applies alike to the original text and to a copy whose
 * arguments were rewritten without changing lines (nginx-oracle's sandbox copy): `applyMutation`
 * returns undefined when the copy lacks what the mutation needs.
 */
import { LineIndex, parse, walk, type Directive } from '../../server/src/parser';

export type MutationKind = 'drop-semicolon' | 'stray-brace' | 'misspell' | 'move' | 'strip-args' | 'unclosed-quote' | 'duplicate';
export const MUTATION_KINDS: readonly MutationKind[] = [
  'drop-semicolon', 'stray-brace', 'misspell', 'move', 'strip-args', 'unclosed-quote', 'duplicate',
];

export interface DirectiveKey {
  /** 0-based line of the name. */
  line: number;
  name: string;
  /** Which of the directives of that name on that line, from 0. */
  rank: number;
  /** How many directives of that name the line has (a copy with another count does not match). */
  of: number;
}

export type Mutation =
  | { kind: 'drop-semicolon' | 'strip-args'; target: DirectiveKey }
  /** A `}` right after the directive. */
  | { kind: 'stray-brace'; target: DirectiveKey }
  /** The whole statement (with its block, if any) written again right after itself, on the same line. */
  | { kind: 'duplicate'; target: DirectiveKey }
  | { kind: 'misspell'; target: DirectiveKey; name: string }
  /**
   * The directive (with its block, if any) taken out and put first in the block that `into` opens,
   * or at the start of the file when `into` is undefined.
   */
  | { kind: 'move'; target: DirectiveKey; into?: DirectiveKey }
  /** The closing quote of a quoted argument removed, or an opening quote put before a bare one. */
  | { kind: 'unclosed-quote'; target: DirectiveKey; arg: number };

/** mulberry32: a small seeded PRNG, so that the mutants are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a string (FNV-1a), so that each file gets its own stable sequence. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

interface Located {
  directive: Directive;
  parent?: Directive;
  key: DirectiveKey;
}

/** Every directive of `text` (outside Lua bodies) with its key and its enclosing block directive. */
function locate(text: string): Located[] {
  const lines = new LineIndex(text);
  const located: Located[] = [];
  const counts = new Map<string, DirectiveKey[]>();
  walk(parse(text).root, (directive, ancestors) => {
    const line = lines.positionAt(directive.name.start).line;
    const id = `${line}\u0000${directive.name.value}`;
    const same = counts.get(id) ?? [];
    counts.set(id, same);
    const key: DirectiveKey = { line, name: directive.name.value, rank: same.length, of: 0 };
    same.push(key);
    located.push({ directive, parent: ancestors[ancestors.length - 1], key });
  });
  for (const same of counts.values()) for (const key of same) key.of = same.length;
  return located;
}

const sameKey = (a: DirectiveKey, b: DirectiveKey) =>
  a.line === b.line && a.name === b.name && a.rank === b.rank && a.of === b.of;

/** A typo of `name`: two letters swapped, one dropped, doubled or replaced. */
function misspell(name: string, random: () => number): string {
  const i = Math.floor(random() * name.length);
  const letters = 'abcdefghijklmnopqrstuvwxyz_';
  switch (Math.floor(random() * 4)) {
    case 0:
      if (i + 1 < name.length && name[i] !== name[i + 1]) return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
      return name.slice(0, i) + name[i] + name.slice(i);
    case 1:
      return name.length > 2 ? name.slice(0, i) + name.slice(i + 1) : name + 'x';
    case 2:
      return name.slice(0, i) + name[i] + name.slice(i);
    default: {
      let letter = letters[Math.floor(random() * letters.length)];
      if (letter === name[i]) letter = letter === 'x' ? 'q' : 'x';
      return name.slice(0, i) + letter + name.slice(i + 1);
    }
  }
}

const pick = <T>(items: readonly T[], random: () => number): T | undefined =>
  items.length === 0 ? undefined : items[Math.floor(random() * items.length)];

const isLua = (directive: Directive) => directive.luaBody !== undefined;

/** Up to `count` distinct mutations of one kind for `text`. */
export function generateMutations(text: string, kind: MutationKind, count: number, random: () => number): Mutation[] {
  const all = locate(text).filter((entry) => !isLua(entry.directive));
  const found: Mutation[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; attempt < count * 4 && found.length < count; attempt++) {
    const mutation = candidate(all, kind, random);
    if (!mutation) break;
    const id = JSON.stringify(mutation);
    if (seen.has(id)) continue;
    seen.add(id);
    found.push(mutation);
  }
  return found;
}

function candidate(all: Located[], kind: MutationKind, random: () => number): Mutation | undefined {
  switch (kind) {
    case 'drop-semicolon': {
      const target = pick(all.filter((e) => e.directive.terminator === ';'), random);
      return target && { kind, target: target.key };
    }
    case 'stray-brace': {
      const target = pick(all.filter((e) => e.directive.terminator !== undefined), random);
      return target && { kind, target: target.key };
    }
    case 'duplicate': {
      const target = pick(all.filter((e) => e.directive.terminator === ';' || e.directive.block?.closed), random);
      return target && { kind, target: target.key };
    }
    case 'misspell': {
      const target = pick(all, random);
      return target && { kind, target: target.key, name: misspell(target.key.name, random) };
    }
    case 'strip-args': {
      const target = pick(all.filter((e) => e.directive.args.length > 0 && e.directive.terminator !== undefined), random);
      return target && { kind, target: target.key };
    }
    case 'unclosed-quote': {
      const quoted = all.filter((e) => e.directive.args.some((arg) => arg.quote));
      const target = pick(quoted.length > 0 ? quoted : all.filter((e) => e.directive.args.length > 0), random);
      if (!target) return undefined;
      const args = target.directive.args.map((arg, index) => ({ arg, index }));
      const choices = quoted.length > 0 ? args.filter(({ arg }) => arg.quote) : args;
      return { kind, target: target.key, arg: pick(choices, random)!.index };
    }
    case 'move': {
      // A whole statement, into a block of another kind than the one it stands in, or to the top.
      const movable = all.filter((e) => e.directive.terminator === ';' || e.directive.block?.closed);
      const target = pick(movable, random);
      if (!target) return undefined;
      const inside = (e: Located) => e.directive.start >= target.directive.start && e.directive.end <= target.directive.end;
      const blocks = all.filter(
        (e) => e.directive.block && e.directive !== target.parent && e.key.name !== target.parent?.name.value && !inside(e),
      );
      // The top level now and then, when the directive is not there already.
      if (target.parent && (blocks.length === 0 || random() < 0.2)) return { kind, target: target.key };
      const into = pick(blocks, random);
      return into && { kind, target: target.key, into: into.key };
    }
  }
}

/** `text` with `mutation` applied; undefined when the text lacks the directives it names. */
export function applyMutation(text: string, mutation: Mutation): string | undefined {
  const all = locate(text);
  const find = (key: DirectiveKey) => all.find((e) => sameKey(e.key, key));
  const target = find(mutation.target);
  if (!target) return undefined;
  const d = target.directive;
  const splice = (start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);
  switch (mutation.kind) {
    case 'drop-semicolon':
      return d.terminator === ';' ? splice(d.end - 1, d.end, '') : undefined;
    case 'stray-brace':
      return d.terminator ? splice(d.end, d.end, ' }') : undefined;
    case 'duplicate':
      return d.terminator === ';' || d.block?.closed ? splice(d.end, d.end, ' ' + text.slice(d.start, d.end)) : undefined;
    case 'misspell':
      return splice(d.name.start, d.name.end, mutation.name);
    case 'strip-args': {
      if (d.args.length === 0) return undefined;
      return splice(d.name.end, d.args[d.args.length - 1].end, '');
    }
    case 'unclosed-quote': {
      const arg = d.args[mutation.arg];
      if (!arg) return undefined;
      return arg.quote ? splice(arg.end - 1, arg.end, '') : splice(arg.start, arg.start, '"');
    }
    case 'move': {
      const into = mutation.into && find(mutation.into);
      if ((mutation.into && !into?.directive.block) || (d.terminator !== ';' && !d.block?.closed)) return undefined;
      const at = into?.directive.block ? into.directive.block.start + 1 : 0;
      if (at > d.start && at < d.end) return undefined;
      const moved = text.slice(d.start, d.end) + (at === 0 ? ' ' : '');
      const padded = at === 0 ? moved : ' ' + moved;
      if (at > d.end) return text.slice(0, d.start) + text.slice(d.end, at) + padded + text.slice(at);
      return text.slice(0, at) + padded + text.slice(at, d.start) + text.slice(d.end);
    }
  }
}

/** One line per mutation, for reports. */
export function describeMutation(mutation: Mutation): string {
  const at = (key: DirectiveKey) => `"${key.name}" on line ${key.line + 1}`;
  switch (mutation.kind) {
    case 'misspell':
      return `misspell ${at(mutation.target)} as "${mutation.name}"`;
    case 'move':
      return `move ${at(mutation.target)} ${mutation.into ? `into ${at(mutation.into)}` : 'to the top'}`;
    case 'unclosed-quote':
      return `unclosed quote in argument ${mutation.arg + 1} of ${at(mutation.target)}`;
    default:
      return `${mutation.kind} ${at(mutation.target)}`;
  }
}
