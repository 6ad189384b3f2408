// Folding ranges: blocks (Lua bodies included) and runs of comment lines. Lines are 0-based and
// follow LSP FoldingRange: a block folds from its `{` line to the last line inside it, so that the
// closing `}` stays visible.

import { walk, type Comment, type Span } from '../parser';
import type { ConfigFile } from '../analysis/workspace';

export interface FoldRange {
  startLine: number;
  endLine: number;
  kind?: 'comment';
}

export function foldingRanges(file: ConfigFile): FoldRange[] {
  const { text, lines } = file;
  const ranges: FoldRange[] = [];

  /** `open` is the `{`, `close` the `}` (undefined when the file ended first). */
  const addBlock = (open: number, close: number | undefined) => {
    const startLine = lines.positionAt(open).line;
    let endLine = lines.positionAt(close ?? text.length).line;
    // Hide the `}` line too when something else stands before the brace on it.
    const closeAlone = close !== undefined && text.slice(close - lines.positionAt(close).character, close).trim() === '';
    if (closeAlone) endLine--;
    if (endLine > startLine) ranges.push({ startLine, endLine });
  };

  const comments: Comment[] = file.tree.root.children.filter((node): node is Comment => node.kind === 'comment');
  walk(file.tree.root, (directive) => {
    if (directive.block) {
      const { block } = directive;
      addBlock(block.start, block.closed ? block.end - 1 : undefined);
      for (const node of block.children) if (node.kind === 'comment') comments.push(node);
    } else if (directive.luaBody) {
      const body: Span = directive.luaBody;
      addBlock(body.start - 1, directive.end > body.end ? body.end : undefined);
    }
  });

  // Comment-only lines (a comment after a directive does not count), grouped into runs.
  const commentLines = comments
    .filter((c) => text.slice(c.start - lines.positionAt(c.start).character, c.start).trim() === '')
    .map((c) => lines.positionAt(c.start).line)
    .sort((a, b) => a - b);
  for (let i = 0; i < commentLines.length; ) {
    let j = i;
    while (j + 1 < commentLines.length && commentLines[j + 1] === commentLines[j] + 1) j++;
    if (j > i) ranges.push({ startLine: commentLines[i], endLine: commentLines[j], kind: 'comment' });
    i = j + 1;
  }

  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
