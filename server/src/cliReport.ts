// The CLI's output formats, from one list of findings placed by nginx's lines: text
// (`file:line:col: severity code message`), JSON, SARIF 2.1.0 (GitHub code scanning) and GitHub
// Actions workflow commands. Lines are counted as nginx counts them (by LF), columns in UTF-16 code
// units (SARIF's default columnKind), 1-based; the end column is that of the character after the span.

import type { RuleInfo, Severity } from './analysis/types';

/** One finding as the CLI reports it. */
export interface ReportedFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export type Format = 'text' | 'json' | 'sarif' | 'github';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'github'];

export const TOOL_NAME = 'nginx-lint';
/** Relative paths are relative to the directory the CLI ran in: the repository root in CI. */
const SOURCE_ROOT = '%SRCROOT%';
const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export function formatReport(format: Format, findings: readonly ReportedFinding[], rules: readonly RuleInfo[], toolVersion: string): string {
  switch (format) {
    case 'text':
      return findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}\n`).join('');
    case 'json':
      return `${JSON.stringify(findings, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(sarif(findings, rules, toolVersion), null, 2)}\n`;
    case 'github':
      return findings.map(githubCommand).join('');
  }
}

/** SARIF's levels: information and hint are notes. */
const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function sarif(findings: readonly ReportedFinding[], rules: readonly RuleInfo[], toolVersion: string) {
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: TOOL_NAME,
          version: toolVersion,
          rules: rules.map((rule) => ({
            id: rule.id,
            shortDescription: { text: rule.description },
            ...(rule.docs && { helpUri: rule.docs }),
            defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
          })),
        },
      },
      results: findings.map((f) => ({
        ruleId: f.code,
        ...(index.has(f.code) && { ruleIndex: index.get(f.code) }),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: f.file.startsWith('/') ? { uri: pathToUri(f.file) } : { uri: encodeURI(f.file), uriBaseId: SOURCE_ROOT },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        }],
      })),
    }],
  };
}

const pathToUri = (absolute: string) => `file://${encodeURI(absolute)}`;

/** GitHub Actions' annotation levels. */
const GITHUB_LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** Workflow commands escape %, CR and LF in the message, and also `:` and `,` in properties. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function githubCommand(f: ReportedFinding): string {
  const properties = [
    `file=${escapeProperty(f.file)}`, `line=${f.line}`, `col=${f.column}`, `endLine=${f.endLine}`, `endColumn=${f.endColumn}`, `title=${escapeProperty(f.code)}`,
  ].join(',');
  return `::${GITHUB_LEVEL[f.severity]} ${properties}::${escapeData(f.message)}\n`;
}
