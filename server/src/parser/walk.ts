// Tree traversal without recursion: a file with thousands of nested blocks must not overflow
// the call stack.

import type { Block, Directive, ParseResult, Reread } from './ast';

/**
 * Called for every directive with its enclosing block directives, outermost first. The array is
 * the walker's own stack: valid during the call only (copy it to keep it), so that a deep file
 * costs no quadratic copying.
 */
export type Visit<T = void> = (directive: Directive, ancestors: readonly Directive[]) => T;

export function walk(root: Pick<Block, 'children'>, visit: Visit): void {
  const ancestors: Directive[] = [];
  // Children still to visit at each depth; frames[i + 1] are the children of ancestors[i].
  const frames: Array<{ children: Block['children']; index: number }> = [{ children: root.children, index: 0 }];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    if (frame.index >= frame.children.length) {
      frames.pop();
      ancestors.pop();
      continue;
    }
    const node = frame.children[frame.index++];
    if (node.kind !== 'directive') continue;
    visit(node, ancestors);
    if (node.block) {
      ancestors.push(node);
      frames.push({ children: node.block.children, index: 0 });
    }
  }
}

/** Children still to read, and where: the state of one block in walkFrames(). */
export interface WalkFrame {
  children: Block['children'];
  index: number;
}

/**
 * Reads the directives of the frames on the stack, the last first, as walk() does, each given to
 * `visit` with its block's frame and the stack, on which it pushes the frames to read next (a block's
 * children, an included file's top level) with what they need to know of where they stand.
 */
export function walkFrames<F extends WalkFrame>(frames: F[], visit: (directive: Directive, frame: F, frames: F[]) => void): void {
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    if (frame.index >= frame.children.length) {
      frames.pop();
      continue;
    }
    const node = frame.children[frame.index++];
    if (node.kind === 'directive') visit(node, frame, frames);
  }
}

const directivesByName = new WeakMap<Block, Map<string, Directive[]>>();

/**
 * The directives named `name` anywhere in the tree, in source order. Indexed once per tree, so the
 * rules that look for maps, upstreams or session caches in every file of a configuration do not
 * walk it again each time; after reparse(), from the previous tree's index and the statements read again.
 */
export function directivesNamed(tree: ParseResult, name: string): readonly Directive[] {
  let byName = directivesByName.get(tree.root);
  if (!byName) directivesByName.set(tree.root, (byName = nameIndex(tree)));
  return byName.get(name) ?? [];
}

/**
 * Derives the name index of a re-parsed tree now if the previous tree had one: a version that
 * nothing asked about (a hover of a location asks, a hover of a directive does not) would otherwise
 * break the chain, and the next version's index would cost a walk of the whole file.
 */
export function keepNameIndex(tree: ParseResult): void {
  if (tree.reread && directivesByName.has(tree.reread.previousRoot)) directivesNamed(tree, '');
}

function nameIndex(tree: ParseResult): Map<string, Directive[]> {
  const previous = tree.reread && directivesByName.get(tree.reread.previousRoot);
  const nameOf = (directive: Directive) => directive.name.value;
  if (!previous) {
    const index = new Map<string, Directive[]>();
    walk(tree.root, (directive) => addNamed(index, nameOf(directive), directive));
    return index;
  }
  const { gone, fresh, start } = rereadDirectives(tree.reread!, (directive) => directive);
  return reindexedByName(previous, [...gone].map(nameOf), fresh, nameOf, (directive) => gone.has(directive), start, (directive) => directive.start);
}

/** Appends `item` to the list of its key (a name, or any other). */
export function addNamed<K, T>(index: Map<K, T[]>, key: K, item: T): void {
  const list = index.get(key);
  if (list) list.push(item);
  else index.set(key, [item]);
}

/**
 * An index by name after reparse() read statements again: the lists of the names that were in them
 * (`goneNames`) or are (`fresh`) with their items replaced (replaced()), new lists; the other
 * names' lists shared with `previous`.
 */
export function reindexedByName<T>(
  previous: ReadonlyMap<string, T[]>,
  goneNames: readonly string[],
  fresh: readonly T[],
  nameOf: (item: T) => string,
  isGone: (item: T) => boolean,
  start: number,
  positionOf: (item: T) => number,
): Map<string, T[]> {
  const index = new Map(previous);
  const freshByName = new Map<string, T[]>();
  for (const item of fresh) addNamed(freshByName, nameOf(item), item);
  for (const name of new Set([...goneNames, ...freshByName.keys()])) {
    const list = replaced(previous.get(name) ?? [], isGone, freshByName.get(name) ?? [], start, positionOf);
    if (list.length > 0) index.set(name, list);
    else index.delete(name);
  }
  return index;
}

/**
 * The statements reparse() read again: the directives they held before (gone from the tree), what
 * `pick` gives for those they hold now, and where they start. `pick` is given the ancestors inside
 * the statements (walk()'s stack): `reread.chain` stands before them.
 */
export function rereadDirectives<T>(reread: Reread, pick: Visit<T | undefined>): { gone: Set<Directive>; fresh: T[]; start: number } {
  const gone = new Set<Directive>();
  walk({ children: reread.previousChildren }, (directive) => void gone.add(directive));
  const fresh: T[] = [];
  walk({ children: reread.children }, (directive, ancestors) => {
    const item = pick(directive, ancestors);
    if (item !== undefined) fresh.push(item);
  });
  return { gone, fresh, start: reread.start };
}

/**
 * `list` (in the order of `positionOf`) with its items of the statements read again replaced by
 * `fresh`. Items before them stand before `start`, those read again (`isGone`) right after: found by
 * bisection, so that a one-line edit costs a copy of each changed list, not a test of every item.
 */
export function replaced<T>(list: readonly T[], isGone: (item: T) => boolean, fresh: readonly T[], start: number, positionOf: (item: T) => number): T[] {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (positionOf(list[mid]) >= start) high = mid;
    else low = mid + 1;
  }
  let end = low;
  while (end < list.length && isGone(list[end])) end++;
  // Not splice(low, end - low, ...fresh): 100k directives are too many arguments for one call.
  return [...list.slice(0, low), ...fresh, ...list.slice(end)];
}

/**
 * The chain of directives around `offset`, outermost first: the blocks that contain it and, last,
 * the directive under it (if any). An offset inside a block but between directives ends with the block.
 */
export function directiveAt(root: Block, offset: number): Directive[] {
  const chain: Directive[] = [];
  let children = root.children;
  for (;;) {
    const hit = directiveOver(children, offset);
    if (!hit) return chain;
    chain.push(hit);
    if (!hit.block || offset <= hit.block.start || (hit.block.closed && offset >= hit.block.end)) return chain;
    children = hit.block.children;
  }
}

/**
 * The first directive of `children` whose span holds `offset`. The nodes follow each other without
 * overlapping, so their ends increase: found by bisection (an http block may hold thousands of servers).
 */
function directiveOver(children: Block['children'], offset: number): Directive | undefined {
  let low = 0;
  let high = children.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (children[mid].end < offset) low = mid + 1;
    else high = mid;
  }
  // A comment may end where a directive starts.
  for (let i = low; i < children.length && children[i].start <= offset; i++) {
    const node = children[i];
    if (node.kind === 'directive') return node;
  }
  return undefined;
}
