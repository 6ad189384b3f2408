import type { ConfigFile } from '../workspace';
import type { Finding, RuleInfo } from '../types';
import { cutOffFixes } from './missingSemicolon';

export const syntaxRule: RuleInfo = {
  id: 'syntax',
  severity: 'error',
  description: 'A syntax error, worded as nginx -t words it.',
};

export function syntaxFindings(file: ConfigFile): Finding[] {
  const fixes = cutOffFixes(file);
  return file.tree.errors.map((error, index) => ({
    code: syntaxRule.id,
    severity: syntaxRule.severity,
    message: error.message,
    file: file.path,
    span: error,
    related: error.openedAt && [{ file: file.path, span: error.openedAt, message: 'opened here' }],
    ...(fixes.has(index) && { fixes: [fixes.get(index)!] }),
  }));
}
