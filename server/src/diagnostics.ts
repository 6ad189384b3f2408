// Findings as LSP diagnostics: one conversion for the server and the analysis worker, so that a
// diagnostic a code action names is the one that was published.

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { allRules } from './analysis/analyze';
import { fileToUri } from './analysis/paths';
import type { Finding, Severity } from './analysis/types';
import type { LineIndex } from './parser';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const ruleDocs = new Map(allRules.flatMap((rule) => (rule.docs ? [[rule.id, rule.docs] as const] : [])));

/** `linesOf` gives the line index of a file the finding names (its own, or a related one's). */
export function toDiagnostic(finding: Finding, linesOf: (path: string) => LineIndex | undefined): Diagnostic {
  const range = (path: string, span: Finding['span']) =>
    linesOf(path)?.rangeOf(span) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    range: range(finding.file, finding.span),
    severity: severities[finding.severity],
    code: finding.code,
    codeDescription: ruleDocs.has(finding.code) ? { href: ruleDocs.get(finding.code)! } : undefined,
    source: 'nginx',
    message: finding.message,
    relatedInformation: finding.related?.map((related) => ({
      location: { uri: fileToUri(related.file), range: range(related.file, related.span) },
      message: related.message,
    })),
  };
}
