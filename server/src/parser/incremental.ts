// Re-parsing after an edit: only the statements around the change, in the innermost block that
// holds it, are read again, and the nodes after them are moved by the change's length. The result
// equals parse(text) (the tests compare them on random edits), but a one-line edit of a 4 MB file
// re-reads a line or a block instead of the file, and every other directive keeps its identity, so
// that per-directive results can be reused by the analysis.

import type { Block, Comment, Directive, ParseResult, Reread, Span, SyntaxCheckpoint, SyntaxError } from './ast';
import { checkSyntax, parseStatements, resumeSyntaxCheck } from './parser';

/** The one span that differs between two texts: [start, oldEnd) of the old became [start, newEnd) of the new. */
interface Change {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Texts are compared a chunk at a time first: string equality is native, a loop over characters is not. */
const CHUNK = 4096;

function changeBetween(oldText: string, text: string): Change {
  const shorter = Math.min(oldText.length, text.length);
  let start = 0;
  while (start + CHUNK <= shorter && oldText.slice(start, start + CHUNK) === text.slice(start, start + CHUNK)) start += CHUNK;
  while (start < shorter && oldText.charCodeAt(start) === text.charCodeAt(start)) start++;
  // The common end, not overlapping the common start.
  const room = shorter - start;
  const chunkBeforeEndEqual = (common: number) =>
    oldText.slice(oldText.length - common - CHUNK, oldText.length - common) === text.slice(text.length - common - CHUNK, text.length - common);
  let common = 0;
  while (common + CHUNK <= room && chunkBeforeEndEqual(common)) common += CHUNK;
  while (common < room && oldText.charCodeAt(oldText.length - 1 - common) === text.charCodeAt(text.length - 1 - common)) common++;
  return { start, oldEnd: oldText.length - common, newEnd: text.length - common };
}

/**
 * The tree of `text`, given that `old` was parsed from `oldText`. `old`'s nodes are moved in place
 * and reused: the old tree must not be used afterwards.
 */
export function reparse(old: ParseResult, oldText: string, text: string): ParseResult {
  const change = changeBetween(oldText, text);
  // The statements around the change are read again in the innermost block that holds it. A change
  // that adds or removes a brace moves that block's `}`, and the next block out is tried, up to the
  // file's top level, where reading may go on to the end of the file.
  const around = blocksAround(old.root, change);
  for (let depth = around.length; depth > 0; depth--) {
    const reread = rereadStatements(old, around.slice(0, depth), change, text);
    if (reread) return reread;
  }
  return rereadStatements(old, [], change, text)!;
}

/** The chain of closed blocks whose body (between `{` and `}`) holds the whole change. */
function blocksAround(root: Block, change: Change): Directive[] {
  const chain: Directive[] = [];
  let children = root.children;
  for (;;) {
    const holder = children.find(
      (node): node is Directive =>
        node.kind === 'directive' && !!node.block?.closed && node.block.start < change.start && change.oldEnd < node.block.end,
    );
    if (!holder) return chain;
    chain.push(holder);
    children = holder.block!.children;
  }
}

/** nginx's reader starts afresh after a statement ended by `;` or by a block's `}` (ngx_conf_parse()). */
const endsStatement = (node: Directive | Comment) => node.kind === 'directive' && (node.terminator === ';' || node.block?.closed === true);

/**
 * Reads again the statements of the innermost block of `chain` (the file's top level when it is
 * empty) from the last one that ends before the change, up to the first directive after it that
 * starts where it started before (moved): from a point where the reader starts afresh, the same
 * text reads the same. Undefined when the block's body no longer ends at its `}`.
 */
function rereadStatements(old: ParseResult, chain: Directive[], change: Change, text: string): ParseResult | undefined {
  const delta = change.newEnd - change.oldEnd;
  const inBlock = chain.length > 0;
  const holder = inBlock ? chain[chain.length - 1].block! : old.root;
  const children = holder.children;
  let start = inBlock ? holder.start + 1 : 0;
  let first = 0;
  // Children end in order: a comment inside a statement comes before the directive around it.
  for (let i = 0; i < children.length && children[i].end <= change.start; i++) {
    if (!endsStatement(children[i])) continue;
    start = children[i].end;
    first = i + 1;
  }
  /** The directives after the change, by where they start in the new text: the index of the first child that follows. */
  const stops = new Map<number, number>();
  for (let i = first; i < children.length; i++) {
    const node = children[i];
    if (node.kind !== 'directive' || node.start < change.oldEnd) continue;
    // The comments inside its statement come before it.
    let following = i;
    while (following > first && children[following - 1].start > node.start) following--;
    stops.set(node.start + delta, following);
  }
  const read = parseStatements(text, start, inBlock ? 'body' : 'file', (offset) => stops.has(offset));
  if (!read) return undefined;
  let next = children.length;
  let end = old.root.end;
  /** Old errors from here on were not read again: they only move (reading to the end of the file found them all again). */
  let errorsAfter = Infinity;
  if (read.stoppedAt !== undefined) {
    next = stops.get(read.stoppedAt)!;
    end = errorsAfter = read.stoppedAt - delta;
  } else if (inBlock) {
    if (read.root.end !== holder.end + delta) return undefined;
    // The block's `}` was read again (an "unexpected }" there too).
    end = holder.end - 1;
    errorsAfter = holder.end;
  }
  const after = children.slice(next);
  for (const node of after) shiftSubtree(node, delta);
  const spliced = [...children.slice(0, first), ...read.root.children, ...after];
  // The enclosing blocks end later, and what follows each of them in its parent moves.
  let parentChildren = old.root.children;
  for (const directive of chain) {
    for (const sibling of parentChildren) if (sibling.start >= end) shiftSubtree(sibling, delta);
    directive.block!.end += delta;
    directive.end += delta;
    parentChildren = directive.block!.children;
  }
  if (inBlock) holder.children = spliced;
  const root: Block = { ...old.root, end: old.root.end + delta, ...(!inBlock && { children: spliced }) };
  const errors = [
    ...old.errors.filter((error) => error.start < start),
    ...read.errors,
    ...old.errors.filter((error) => error.start >= errorsAfter).map((error) => shiftedError(error, end, delta)),
  ];
  return { root, errors, reread: { previousRoot: old.root, chain, previousChildren: children.slice(first, next), children: read.root.children, start, end, delta } };
}

/**
 * Where a span of the previous text stands in the re-parsed one: before the text read again it
 * stays, after it it moves with the edit; a span that starts or ends inside it has no place (undefined).
 */
export function movedSpan(reread: Reread, span: Span): Span | undefined {
  const { start, end, delta } = reread;
  const movedStart = span.start < start ? span.start : span.start >= end ? span.start + delta : undefined;
  const movedEnd = span.end <= start ? span.end : span.end >= end ? span.end + delta : undefined;
  return movedStart === undefined || movedEnd === undefined ? undefined : { start: movedStart, end: movedEnd };
}

/** The error moved by `delta` where it stands at or after `from`. */
function shiftedError(error: SyntaxError, from: number, delta: number): SyntaxError {
  const moved = (span: Span) => (span.start >= from ? { start: span.start + delta, end: span.end + delta } : { start: span.start, end: span.end });
  return { ...error, ...moved(error), ...(error.openedAt && { openedAt: moved(error.openedAt) }) };
}

/** Moves a node and everything in it by `delta`, without recursion. */
function shiftSubtree(node: Directive | Comment, delta: number): void {
  const pending: Array<Directive | Comment> = [node];
  const move = (span: Span) => {
    span.start += delta;
    span.end += delta;
  };
  while (pending.length > 0) {
    const current = pending.pop()!;
    move(current);
    if (current.kind === 'comment') continue;
    move(current.name);
    for (const arg of current.args) move(arg);
    if (current.luaBody) move(current.luaBody);
    if (current.block) {
      move(current.block);
      for (const child of current.block.children) pending.push(child);
    }
  }
}

/**
 * The syntax check (checkSyntax()) of `text`, given `old`, that of `oldText`: reading starts again
 * at the last checkpoint before the change and stops at the first checkpoint after it where the
 * reader stands as it stood before (same offset, moved by the change, and the same open blocks):
 * from there on, the old errors and checkpoints only move. The result equals checkSyntax(text)
 * (the tests compare them on random edits).
 */
export function recheckSyntax(old: ParseResult, oldText: string, text: string, maxErrors: number): ParseResult {
  const checkpoints = old.checkpoints ?? [];
  const change = changeBetween(oldText, text);
  const delta = change.newEnd - change.oldEnd;
  // A check stopped by its cap says nothing of what follows the cap.
  const from = lastIndexBefore(checkpoints, change.start);
  if (old.errors.length >= maxErrors || from < 0) return checkSyntax(text, maxErrors);
  const moved = (offset: number) => (offset >= change.oldEnd ? offset + delta : offset);
  /** Old checkpoints after the change, by their offset in the new text. */
  const after = new Map<number, number>();
  for (let i = from + 1; i < checkpoints.length; i++) if (checkpoints[i].offset >= change.oldEnd) after.set(checkpoints[i].offset + delta, i);
  let met = -1;
  let errorsAtMeeting = 0;
  const resumed = resumeSyntaxCheck(text, maxErrors, checkpoints[from], old.errors.slice(0, checkpoints[from].errors), (offset, open, errors) => {
    const index = after.get(offset);
    if (index === undefined) return false;
    const before = checkpoints[index].open;
    // open[0] is the file's root; the checkpoint keeps the blocks inside it.
    if (before.length !== open.length - 1 || before.some((at, i) => moved(at) !== open[i + 1].start)) return false;
    met = index;
    errorsAtMeeting = errors;
    return true;
  });
  if (met < 0) return resumed;
  const movedCheckpoint = (checkpoint: SyntaxCheckpoint): SyntaxCheckpoint => ({
    offset: checkpoint.offset + delta,
    open: checkpoint.open.map(moved),
    errors: checkpoint.errors - checkpoints[met].errors + errorsAtMeeting,
  });
  return {
    root: resumed.root,
    errors: [...resumed.errors, ...old.errors.slice(checkpoints[met].errors).map((error) => shiftedError(error, change.oldEnd, delta))].slice(0, maxErrors),
    checkpoints: [...checkpoints.slice(0, from + 1), ...resumed.checkpoints!, ...checkpoints.slice(met).map(movedCheckpoint)],
  };
}

/** The index of the last checkpoint at or before `offset`, -1 when there is none. */
function lastIndexBefore(checkpoints: readonly SyntaxCheckpoint[], offset: number): number {
  let low = 0;
  let high = checkpoints.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (checkpoints[mid].offset <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
