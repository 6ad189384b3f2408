// Findings kept from one analysis of a file for the next, after an edit: their spans are plain
// offsets, moved with the text the way reparse() moved the tree.

import { movedSpan, type Reread, type Span } from '../parser';
import type { Finding } from './types';

/**
 * Spans as plain offsets: a rule may give a node of the tree as a span, which moves when an edit
 * moves the node, while a finding kept for the next analysis is moved by movedFindings().
 */
export function withPlainSpans(finding: Finding): Finding {
  return mapSpans(finding, (_file, span) => ({ start: span.start, end: span.end }))!;
}

/** Findings of the previous tree, moved to the re-parsed one; undefined when one points into the statements read again. */
export function movedFindings(perLocation: Finding[][], reread: Reread, path: string): Finding[][] | undefined {
  const move = (file: string, span: Span): Span | undefined => (file === path ? movedSpan(reread, span) : span);
  const moved: Finding[][] = [];
  for (const found of perLocation) {
    const list: Finding[] = [];
    for (const finding of found) {
      const at = mapSpans(finding, move);
      if (!at) return undefined;
      list.push(at);
    }
    moved.push(list);
  }
  return moved;
}

/** The finding with each span (its own, its related locations', its fixes' edits) mapped; undefined when one maps to nothing. */
function mapSpans(finding: Finding, map: (file: string, span: Span) => Span | undefined): Finding | undefined {
  let lost = false;
  const mapped = (file: string, span: Span) => {
    const result = map(file, span);
    lost ||= result === undefined;
    return result ?? span;
  };
  const result: Finding = {
    ...finding,
    span: mapped(finding.file, finding.span),
    ...(finding.related && { related: finding.related.map((related) => ({ ...related, span: mapped(related.file, related.span) })) }),
    ...(finding.fixes && { fixes: finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => ({ ...edit, span: mapped(edit.file, edit.span) })) })) }),
  };
  return lost ? undefined : result;
}
