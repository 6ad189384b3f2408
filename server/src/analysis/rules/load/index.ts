// The checks nginx makes once it has read the configuration or a block of it, run over every
// configuration the file belongs to; a file is shown the problems that nginx names in it.

import { statementSpan } from '../../../parser';
import type { Context } from '../../context';
import type { TargetVersion } from '../../knowledge/versions';
import type { Finding } from '../../types';
import type { ConfigFile, Workspace } from '../../workspace';
import { configurationsOf } from './configuration';
import { duplicateBlock } from './duplicateBlock';
import { duplicateDefaultServer } from './duplicateDefaultServer';
import { duplicateListen } from './duplicateListen';
import { duplicateLogFormat } from './duplicateLogFormat';
import { duplicateStreamListen } from './duplicateStreamListen';
import { duplicateLocation } from './duplicateLocation';
import { duplicateUpstream } from './duplicateUpstream';
import { missingEvents } from './missingEvents';
import type { LoadRule } from './rule';
import { unknownLogFormat } from './unknownLogFormat';
import { unknownVariable } from './unknownVariable';

export const loadRules: LoadRule[] = [
  duplicateBlock,
  duplicateLocation,
  duplicateUpstream,
  duplicateListen,
  duplicateDefaultServer,
  duplicateStreamListen,
  duplicateLogFormat,
  unknownLogFormat,
  unknownVariable,
  missingEvents,
];

export function loadFindings(file: ConfigFile, workspace: Workspace, top: Context, target: TargetVersion): Finding[] {
  const findings: Finding[] = [];
  // A file read by two main configs may get the same problem from both.
  const seen = new Set<string>();
  for (const configuration of configurationsOf(file, workspace, top)) {
    for (const rule of loadRules) {
      for (const problem of rule.check(configuration, target)) {
        const key = `${rule.id}\0${problem.span.start}\0${problem.message}`;
        if (problem.at.file.path !== file.path || seen.has(key)) continue;
        seen.add(key);
        const { first, fixes } = problem;
        findings.push({
          code: rule.id, severity: rule.severity, message: problem.message, file: file.path, span: problem.span,
          ...(first && { related: [{ file: first.file.path, span: statementSpan(first.directive), message: 'defined first here' }] }),
          ...(fixes && { fixes }),
        });
      }
    }
  }
  return findings;
}
