// Suppression comments, applied once to a file's findings after every rule has run:
//   # nginx-ignore RULE[,RULE] -- reason        the next statement (its words, up to `;` or `{`)
//   # nginx-ignore-file RULE[,RULE] -- reason   the whole file
// The reason is required: a suppression without one (or naming no known rule) is a finding itself
// and suppresses nothing. A valid suppression that matches no finding is reported as unused.

import { statementSpan, walk, type Block, type Comment, type Directive, type Span } from '../parser';
import { startsLine, wholeLines } from './edits';
import type { Finding, RuleInfo } from './types';
import type { ConfigFile } from './workspace';

export const invalidSuppressionRule: RuleInfo = {
  id: 'invalid-suppression',
  severity: 'warning',
  description: 'An nginx-ignore comment without a reason, or naming no known rule: it suppresses nothing.',
};

export const unusedSuppressionRule: RuleInfo = {
  id: 'unused-suppression',
  severity: 'information',
  description: 'An nginx-ignore comment that no finding matches any more.',
};

const SUPPRESSION = /^\s*nginx-ignore(-file)?(?:\s+(.*))?$/;

export interface Suppression {
  comment: Comment;
  rules: string[];
  reason: string;
  /** The span it covers: the next statement, or the whole file. */
  covers: Span;
}

/** The file's suppression comments, and the findings for those that are malformed. */
export function readSuppressions(file: ConfigFile, ruleIds: ReadonlySet<string>): { suppressions: Suppression[]; problems: Finding[] } {
  const suppressions: Suppression[] = [];
  const problems: Finding[] = [];
  // Most files have none: one search of the text instead of a walk of every block after each edit.
  if (!file.text.includes('nginx-ignore')) return { suppressions, problems };
  const problem = (comment: Comment, message: string): void => void problems.push({ code: invalidSuppressionRule.id, severity: invalidSuppressionRule.severity, message, file: file.path, span: { start: comment.start, end: comment.end } });
  const read = (children: Block['children']) => children.forEach((node, index): void => {
    if (node.kind !== 'comment') return;
    const match = SUPPRESSION.exec(node.text);
    if (!match) return;
    const [, wholeFile, rest = ''] = match;
    const [list, ...reasonParts] = rest.split(/\s--(?:\s|$)/);
    const reason = reasonParts.join(' -- ').trim();
    const rules = list.split(',').map((rule) => rule.trim()).filter(Boolean);
    const unknown = rules.filter((rule) => !ruleIds.has(rule));
    if (rules.length === 0) return problem(node, 'nginx-ignore names no rule: write "# nginx-ignore RULE -- reason"');
    if (unknown.length > 0) return problem(node, `nginx-ignore names no known rule: ${unknown.join(', ')}`);
    if (!reason) return problem(node, `nginx-ignore ${rules.join(',')} gives no reason: write "-- why" after the rules (it suppresses nothing until then)`);
    const next = children.slice(index + 1).find((child): child is Directive => child.kind === 'directive');
    if (!wholeFile && !next) return problem(node, 'nginx-ignore has no statement after it in its block');
    const covers = wholeFile ? { start: 0, end: file.text.length } : { start: next!.start, end: statementSpan(next!).end };
    suppressions.push({ comment: node, rules, reason, covers });
  });
  read(file.tree.root.children);
  walk(file.tree.root, (directive) => directive.block && read(directive.block.children));
  return { suppressions, problems };
}

/** The findings that no suppression covers, the malformed suppressions, and the unused ones. */
export function applySuppressions(file: ConfigFile, findings: readonly Finding[], ruleIds: ReadonlySet<string>): Finding[] {
  const { suppressions, problems } = readSuppressions(file, ruleIds);
  if (suppressions.length === 0) return [...findings, ...problems];
  const used = new Set<Suppression>();
  const kept = findings.filter((finding) => {
    const by = finding.file === file.path && suppressions.find((s) =>
      s.rules.includes(finding.code) && finding.span.start >= s.covers.start && finding.span.start <= s.covers.end);
    if (by) used.add(by);
    return !by;
  });
  const unused = suppressions.filter((s) => !used.has(s)).map((s): Finding => ({
    code: unusedSuppressionRule.id, severity: unusedSuppressionRule.severity, file: file.path, span: { start: s.comment.start, end: s.comment.end },
    message: `nginx-ignore ${s.rules.join(',')} matches no finding any more: remove it`,
    fixes: [{ title: 'Remove the unused nginx-ignore comment', preferred: true, edits: [{ file: file.path, span: startsLine(file, s.comment.start) ? wholeLines(file, s.comment) : s.comment, newText: '' }] }],
  }));
  return [...kept, ...problems, ...unused];
}
