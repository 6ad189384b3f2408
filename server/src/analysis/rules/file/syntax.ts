import type { ConfigFile } from '../../workspace';
import type { Finding, RuleInfo } from '../../types';
import { cutOffFixes } from './missingSemicolon';
import { syntaxErrorFixes } from './unclosedBlocks';

export const syntaxRule: RuleInfo = {
  id: 'syntax',
  severity: 'error',
  description: 'A syntax error, worded as nginx -t words it.',
};

export function syntaxFindings(file: ConfigFile): Finding[] {
  const semicolons = cutOffFixes(file);
  return file.tree.errors.map((error, index) => {
    const fixes = syntaxErrorFixes(file, error, semicolons.get(index));
    return {
      code: syntaxRule.id,
      severity: syntaxRule.severity,
      message: error.message,
      file: file.path,
      span: error,
      related: error.openedAt && [{ file: file.path, span: error.openedAt, message: 'opened here' }],
      ...(fixes.length > 0 && { fixes }),
    };
  });
}
