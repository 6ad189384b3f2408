// Helpers for the WebSocket rule tests: findings by code, the text and line a span covers,
// configurations for the real nginx, and an indentation check for fixed files.

import { posix as path } from 'node:path';
import { parse, walk } from '../../server/src/parser';
import type { Finding } from '../../server/src/analysis/types';
import { analyzeFiles } from './analysis';
import { testCertificates } from './nginx';

export const ETC = '/etc/nginx';
export const MAIN = `${ETC}/nginx.conf`;

/** The WebSocket findings (codes ws-*) of `target`, optionally only those with `code`. */
export function wsFindings(files: Record<string, string>, target: string, code?: string): Finding[] {
  return analyzeFiles(files, target).filter((f) => f.code.startsWith('ws-') && (code === undefined || f.code === code));
}

/** The text a span covers in `file`. */
export const spanText = (files: Record<string, string>, file: string, span: { start: number; end: number }) =>
  files[file].slice(span.start, span.end);

/** The 1-based line of an offset. */
export const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/** A finding's span as `line: text` (the location header line it is shown on). */
export const shownAt = (files: Record<string, string>, finding: Finding) =>
  `${lineOf(files[finding.file], finding.span.start)}: ${spanText(files, finding.file, finding.span)}`;

/** Related locations as `file:line: text — message`, the file relative to /etc/nginx. */
export const relatedOf = (files: Record<string, string>, finding: Finding) =>
  (finding.related ?? []).map(
    (r) => `${path.relative(ETC, r.file)}:${lineOf(files[r.file], r.span.start)}: ${spanText(files, r.file, r.span)} — ${r.message}`,
  );

/** The files for nginx -t: paths relative to /etc/nginx, certificate paths replaced by real ones. */
export function forNginx(files: Record<string, string>): Record<string, string> {
  const { cert, key } = testCertificates();
  return Object.fromEntries(
    Object.entries(files).map(([file, text]) => [
      path.relative(ETC, file),
      text.replace(/\b(ssl_certificate(?:_key)?)(\s+)[^;\s]+;/g, (_, name: string, space: string) => `${name}${space}${name === 'ssl_certificate' ? cert : key};`),
    ]),
  );
}

/**
 * Lines whose indentation does not match their depth: every directive and closing `}` that starts
 * a line must be indented by `unit` per enclosing block. Returns `line: text` for each mismatch.
 */
export function indentationProblems(text: string, unit: string): string[] {
  const problems: string[] = [];
  const check = (offset: number, depth: number) => {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const before = text.slice(lineStart, offset);
    if (before.trim() !== '') return; // not first on its line
    if (before !== unit.repeat(depth)) {
      const line = text.slice(lineStart, text.indexOf('\n', offset) < 0 ? undefined : text.indexOf('\n', offset)).replace(/\r$/, '');
      problems.push(`${lineOf(text, offset)}: ${JSON.stringify(line)}`);
    }
  };
  walk(parse(text).root, (directive, ancestors) => {
    check(directive.start, ancestors.length);
    if (directive.block?.closed) check(directive.block.end - 1, ancestors.length);
  });
  return problems;
}

/** Lines joined with LF, with a final line break. */
export const lines = (...text: string[]) => text.join('\n') + '\n';

/** A main configuration: `events {}` and an http block holding `body` (indent it yourself). */
export const httpConf = (...body: string[]) => lines('events {}', 'http {', ...body, '}');
