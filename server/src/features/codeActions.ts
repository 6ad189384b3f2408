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

export function quickFixes(findings: readonly Finding[], file: string, range: Span): QuickFix[] {
  return findings
    .filter((finding) =>
      (finding.file === file && touches(finding.span, range)) ||
      finding.related?.some((related) => related.file === file && touches(related.span, range)),
    )
    .flatMap((finding) => (finding.fixes ?? []).map((fix) => ({ finding, fix })));
}
