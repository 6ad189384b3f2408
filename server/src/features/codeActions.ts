// Quick fixes: the fixes of the findings at a range. A finding's fixes are offered where it is
// shown and at its related locations (the TLS fix at the server's `listen` lines and `server`
// keyword, the re-declaration where inheritance broke).

import type { Span } from '../parser';
import type { Finding, Fix } from '../analysis/types';

export interface QuickFix {
  finding: Finding;
  fix: Fix;
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
