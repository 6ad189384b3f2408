// The checks nginx makes once it has read the configuration or a block of it, run over every
// configuration the file belongs to; a file is shown the problems that nginx names in it.

import { statementSpan } from '../../../parser';
import { checkpoint, type IsStale } from '../../cancellation';
import type { TargetVersion } from '../../knowledge/versions';
import type { Finding } from '../../types';
import type { ConfigFile } from '../../workspace';
import type { Configuration } from './configuration';
import { bufferSizes } from './sizes/bufferSizes';
import { conflictingServerName } from './servers/conflictingServerName';
import { duplicateBlock } from './blocks/duplicateBlock';
import { duplicateDefaultServer } from './servers/duplicateDefaultServer';
import { duplicateListen } from './servers/duplicateListen';
import { duplicateLogFormat } from './names/duplicateLogFormat';
import { duplicateStreamListen } from './servers/duplicateStreamListen';
import { duplicateMailListen } from './servers/duplicateMailListen';
import { conflictingMailTls } from './tls/conflictingMailTls';
import { duplicateLocation } from './blocks/duplicateLocation';
import { duplicateUpstream } from './upstreams/duplicateUpstream';
import { duplicateVariable } from './names/duplicateVariable';
import { duplicateZone } from './names/duplicateZone';
import { hashBucketSize } from './sizes/hashBucketSize';
import { includedDuplicateDirective } from './blocks/includedDuplicateDirective';
import { includedNotAllowedHere } from './blocks/includedNotAllowedHere';
import { listenSslWithoutCertificate } from './tls/listenSslWithoutCertificate';
import { missingAuthHttp } from './servers/missingAuthHttp';
import { missingEvents } from './blocks/missingEvents';
import { nestedLocation } from './blocks/nestedLocation';
import { sslCertificateWithoutKey } from './tls/sslCertificateWithoutKey';
import { quicWithoutTls13 } from './tls/quicWithoutTls13';
import { serverWithoutListen } from './servers/serverWithoutListen';
import { sslVerifyWithoutCa } from './tls/sslVerifyWithoutCa';
import { streamServerWithoutHandler } from './servers/streamServerWithoutHandler';
import { suboptimalHash } from './sizes/suboptimalHash';
import { noPortInUpstream } from './upstreams/noPortInUpstream';
import { protocolOptionsRedefined } from './servers/protocolOptionsRedefined';
import type { LoadProblem, LoadRule } from './rule';
import { unknownLogFormat } from './names/unknownLogFormat';
import { unknownMailProtocol } from './servers/unknownMailProtocol';
import { unknownVariable } from './names/unknownVariable';
import { unknownZone } from './names/unknownZone';
import { unreachableLocation } from './blocks/unreachableLocation';
import { unreachableServer } from './servers/unreachableServer';
import { upstreamResolve } from './upstreams/upstreamResolve';
import { upstreamWithoutServers } from './upstreams/upstreamWithoutServers';
import { upstreamWithPort } from './upstreams/upstreamWithPort';

export const loadRules: LoadRule[] = [
  duplicateBlock,
  includedNotAllowedHere,
  includedDuplicateDirective,
  duplicateLocation,
  nestedLocation,
  duplicateUpstream,
  upstreamWithoutServers,
  upstreamResolve,
  noPortInUpstream,
  upstreamWithPort,
  duplicateListen,
  duplicateDefaultServer,
  conflictingServerName,
  protocolOptionsRedefined,
  duplicateStreamListen,
  duplicateMailListen,
  conflictingMailTls,
  serverWithoutListen,
  streamServerWithoutHandler,
  unknownMailProtocol,
  missingAuthHttp,
  listenSslWithoutCertificate,
  quicWithoutTls13,
  sslCertificateWithoutKey,
  sslVerifyWithoutCa,
  duplicateLogFormat,
  unknownLogFormat,
  unknownVariable,
  duplicateVariable,
  unknownZone,
  duplicateZone,
  bufferSizes,
  hashBucketSize,
  suboptimalHash,
  missingEvents,
];

/** What no request can reach: nginx loads it without a word, so these are warnings of ours, not load errors. */
export const routingRules: LoadRule[] = [unreachableLocation, unreachableServer];

/** The load checks' findings in `file`, over the configurations it belongs to (configurationsOf()). */
export function loadFindings(file: ConfigFile, configurations: readonly Configuration[], target: TargetVersion, isStale: IsStale): Finding[] {
  const findings: Finding[] = [];
  // A file read by two main configs may get the same problem from both.
  const seen = new Set<string>();
  for (const configuration of configurations) {
    for (const [rule, problems] of problemsOf(configuration, target, isStale)) {
      for (const problem of problems) {
        if (problem.at.file.path !== file.path) continue;
        const key = `${rule.id}\0${problem.span.start}\0${problem.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { first, firstMessage, fixes } = problem;
        findings.push({
          code: rule.id, severity: problem.severity ?? rule.severity, message: problem.message, file: file.path, span: problem.span,
          ...(first && { related: [{ file: first.file.path, span: statementSpan(first.directive), message: firstMessage ?? 'defined first here' }] }),
          ...(fixes && { fixes }),
        });
      }
    }
  }
  return findings;
}

type RuleProblems = Array<[LoadRule, LoadProblem[]]>;

const kept = new WeakMap<Configuration, Map<TargetVersion, RuleProblems>>();

/**
 * Every rule's problems in the whole configuration, kept with it (configurationsOf() gives the same
 * object until one of its files changes): each of its files is shown its own, from one run.
 */
function problemsOf(configuration: Configuration, target: TargetVersion, isStale: IsStale): RuleProblems {
  let byTarget = kept.get(configuration);
  if (!byTarget) kept.set(configuration, (byTarget = new Map()));
  let problems = byTarget.get(target);
  if (problems) return problems;
  problems = [...loadRules, ...routingRules].map((rule) => {
    checkpoint(isStale);
    return [rule, rule.check(configuration, target)];
  });
  byTarget.set(target, problems);
  return problems;
}
