// Quick fixes: the fixes of the findings at a range. A finding's fixes are offered where it is
// shown and at its related locations (the TLS fix at the server's `listen` lines and `server`
// keyword, the re-declaration where inheritance broke). Fix-alls: the safe fix of every finding of
// one kind in a file, or of every kind.

import type { Span } from '../parser';
import type { Finding, Fix, TextEdit } from '../analysis/types';

export interface QuickFix {
  finding: Finding;
  fix: Fix;
}

/** Several findings' fixes as one change. */
export interface FixAll {
  title: string;
  findings: Finding[];
  edits: TextEdit[];
}

const touches = (a: Span, b: Span) => a.start <= b.end && b.start <= a.end;

/** A diagnostic a code action request is about: its code and where it is shown. */
export interface AskedDiagnostic {
  code?: string | number;
  span: Span;
}

/**
 * The fixes at `range`. When the request names diagnostics (LSP's `context.diagnostics`), only
 * the fixes of those findings: a request for one diagnostic must not offer every fix on its line.
 */
export function quickFixes(findings: readonly Finding[], file: string, range: Span, asked: readonly AskedDiagnostic[] = []): QuickFix[] {
  const isAsked = (finding: Finding) => finding.file === file
    && asked.some((diagnostic) => diagnostic.code === finding.code && diagnostic.span.start === finding.span.start && diagnostic.span.end === finding.span.end);
  return findings
    .filter((finding) => asked.length > 0
      ? isAsked(finding)
      : (finding.file === file && touches(finding.span, range)) || finding.related?.some((related) => related.file === file && touches(related.span, range)))
    .flatMap((finding) => (finding.fixes ?? []).map((fix) => ({ finding, fix })));
}

/** What a fix-all applies for a finding: its preferred fix, unless that needs the user's own values. */
const safeFix = (finding: Finding) => finding.fixes?.find((fix) => fix.preferred && !fix.needsInput);

const sameEdit = (a: TextEdit, b: TextEdit) => a.file === b.file && a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;

/**
 * The fixes of the findings of `file` (those of kind `code` only, when given) as one change. An edit
 * two fixes share is made once (two locations adding the same map at http level); a fix whose edits
 * touch another's is left out, for the next run: applied together they could not both be right.
 */
export function fixAll(findings: readonly Finding[], file: string, code?: string): FixAll | undefined {
  const fixed: Finding[] = [];
  const edits: TextEdit[] = [];
  for (const finding of findings) {
    const fix = finding.file === file && (code === undefined || finding.code === code) ? safeFix(finding) : undefined;
    if (!fix) continue;
    const fresh = fix.edits.filter((edit) => !edits.some((taken) => sameEdit(taken, edit)));
    if (fresh.some((edit) => edits.some((taken) => taken.file === edit.file && touches(taken.span, edit.span)))) continue;
    edits.push(...fresh);
    fixed.push(finding);
  }
  if (fixed.length === 0) return undefined;
  return { title: code ? `Fix all "${code}" problems in this file` : 'Fix all safe nginx problems in this file', findings: fixed, edits };
}

/** The per-kind fix-alls worth offering at a range: kinds of the quick fixes there that the file has more than once. */
export function fixAllsOfKinds(findings: readonly Finding[], file: string, atRange: readonly QuickFix[]): FixAll[] {
  const codes = new Set(atRange.map(({ finding }) => finding.code));
  return [...codes].flatMap((code) => {
    const all = fixAll(findings, file, code);
    return all && all.findings.length > 1 ? [all] : [];
  });
}

/**
 * The quick fixes a code action request at `range` gets: the fixes there (for the diagnostics asked
 * about) and the fix-alls of their kinds. From the findings the analysis already computed for this
 * text: the editor asks on every cursor move.
 */
export function codeActionsAt(findings: readonly Finding[], file: string, range: Span, asked: readonly AskedDiagnostic[] = []): { quickFixes: QuickFix[]; ofKinds: FixAll[] } {
  const atRange = quickFixes(findings, file, range, asked);
  return { quickFixes: atRange, ofKinds: fixAllsOfKinds(findings, file, atRange) };
}
