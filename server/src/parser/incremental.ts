// Re-parsing after an edit: only the innermost block around the change is read again, and the
// nodes after it are moved by the change's length. The result equals parse(text) (the tests compare
// them on random edits), but a one-line edit of a 4 MB file re-reads one block instead of the file,
// and every directive outside that block keeps its identity, so that per-directive results can be
// reused by the analysis.

import type { Block, Comment, Directive, ParseResult, Reread, Span, SyntaxCheckpoint, SyntaxError } from './ast';
import { checkSyntax, parse, parseBody, resumeSyntaxCheck } from './parser';

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
  const delta = change.newEnd - change.oldEnd;
  // The blocks whose bodies hold the whole change, outermost first; the innermost one whose body
  // reads back to a `}` at the same place is re-read. A change that adds or removes a brace
  // moves that `}` and the next block out is tried, up to the whole file.
  const around = blocksAround(old.root, change);
  for (let i = around.length - 1; i >= 0; i--) {
    const block = around[i].block!;
    const body = parseBody(text, block.start + 1);
    if (body?.root.end !== block.end + delta) continue;
    return splice(old, around.slice(0, i + 1), body, delta);
  }
  return parse(text);
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

/** Puts the re-read body into the innermost block of `chain` and moves everything after it by `delta`. */
function splice(old: ParseResult, chain: Directive[], body: ParseResult, delta: number): ParseResult {
  const block = chain[chain.length - 1].block!;
  const bodyStart = block.start + 1;
  // The offset of the block's `}` before the edit: everything from there on moves.
  const close = block.end - 1;
  const errors = [
    ...old.errors.filter((error) => error.start < bodyStart),
    ...body.errors,
    ...old.errors.filter((error) => error.start > close).map((error) => shiftedError(error, close, delta)),
  ];
  const previousChildren = block.children;
  block.children = body.root.children;
  block.end += delta;
  // The enclosing blocks end later, and what follows each of them in its parent moves.
  let parentChildren = old.root.children;
  for (const directive of chain) {
    for (const sibling of parentChildren) if (sibling.start > close) shiftSubtree(sibling, delta);
    if (directive.block !== block) directive.block!.end += delta;
    directive.end += delta;
    parentChildren = directive.block!.children;
  }
  const root: Block = { ...old.root, end: old.root.end + delta };
  return { root, errors, reread: { previousRoot: old.root, block: chain[chain.length - 1], chain, previousChildren, delta } };
}

/**
 * Where an offset of the previous text stands in the re-parsed one: before the re-read body it
 * stays, from the body's `}` on it moves with the edit; inside the body it has no place (undefined).
 */
export function movedOffset(reread: Reread, offset: number): number | undefined {
  const body = reread.block.block!;
  const previousClose = body.end - reread.delta - 1;
  if (offset <= body.start) return offset;
  return offset >= previousClose ? offset + reread.delta : undefined;
}

function shiftedError(error: SyntaxError, close: number, delta: number): SyntaxError {
  const moved = (span: Span) => (span.start > close ? { start: span.start + delta, end: span.end + delta } : { start: span.start, end: span.end });
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
  const close = change.oldEnd - 1;
  const movedCheckpoint = (checkpoint: SyntaxCheckpoint): SyntaxCheckpoint => ({
    offset: checkpoint.offset + delta,
    open: checkpoint.open.map(moved),
    errors: checkpoint.errors - checkpoints[met].errors + errorsAtMeeting,
  });
  return {
    root: resumed.root,
    errors: [...resumed.errors, ...old.errors.slice(checkpoints[met].errors).map((error) => shiftedError(error, close, delta))].slice(0, maxErrors),
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
