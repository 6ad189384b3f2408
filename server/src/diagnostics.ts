// Findings as LSP diagnostics: one conversion for the server and the analysis worker, so that a
// diagnostic a code action names is the one that was published.

import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { allRules } from './analysis/analyze';
import { fileToUri } from './analysis/paths';
import type { Finding, Severity } from './analysis/types';
import type { LineIndex } from './parser';

/**
 * The LSP's DiagnosticSeverity values (Error = 1 ... Hint = 4), written as numbers: the analysis
 * worker converts findings too, and the LSP library's values would bring the whole library into it.
 */
const severities: Record<Severity, DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };

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
