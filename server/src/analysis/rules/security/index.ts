// The security rules (issue 14): reverse-proxy mistakes that weaken protection, read the way nginx
// reads the configuration, includes and inheritance included.

import { checkpoint, type IsStale } from '../../cancellation';
import type { Directive } from '../../../parser';
import type { DirectiveEntry } from '../../directiveIndex';
import type { Inclusion } from '../../fileContext';
import type { Finding } from '../../types';
import { Memo } from '../../websocket/levels';
import type { ConfigFile, Workspace } from '../../workspace';
import { addHeaderLost } from './addHeaderLost';
import { aliasTraversal } from './aliasTraversal';
import { allowWithoutDeny } from './allowWithoutDeny';
import { autoindex } from './autoindex';
import { dotfiles } from './dotfiles';
import { hideHeaderLost } from './hideHeaderLost';
import { hostSpoofing } from './hostSpoofing';
import { hsts } from './hsts';
import { mergeSlashesOff } from './mergeSlashesOff';
import { proxyHeadersLost } from './proxyHeadersLost';
import { realIpSpoofable } from './realIpSpoofable';
import { resolverMissing } from './resolverMissing';
import { responseSplitting } from './responseSplitting';
import { returnBeforeAccess } from './returnBeforeAccess';
import type { SecurityRule } from './rule';
import { serverTokens } from './serverTokens';
import { ssrf } from './ssrf';
import { stubStatus } from './stubStatus';
import { weakCiphers } from './weakCiphers';
import { weakTlsProtocols } from './weakTlsProtocols';

export const securityRules: SecurityRule[] = [
  aliasTraversal,
  addHeaderLost,
  hideHeaderLost,
  proxyHeadersLost,
  hostSpoofing,
  responseSplitting,
  ssrf,
  resolverMissing,
  weakTlsProtocols,
  weakCiphers,
  hsts,
  serverTokens,
  autoindex,
  stubStatus,
  dotfiles,
  allowWithoutDeny,
  returnBeforeAccess,
  mergeSlashesOff,
  realIpSpoofable,
];

export function securityFindings(file: ConfigFile, workspace: Workspace, graph: ReadonlyMap<string, Inclusion>, entries: readonly DirectiveEntry[], isStale: IsStale): Finding[] {
  const entryOf = new Map<Directive, DirectiveEntry>();
  const byName = new Map<string, DirectiveEntry[]>();
  for (const entry of entries) {
    entryOf.set(entry.directive, entry);
    if (entry.context.kind === 'data') continue;
    const list = byName.get(entry.directive.name.value);
    if (list) list.push(entry);
    else byName.set(entry.directive.name.value, [entry]);
  }
  const scope = { file, workspace, graph, entries, entryOf, byName, memo: new Memo(), inheritModes: new Map() };
  return securityRules.flatMap((rule) => {
    checkpoint(isStale);
    return rule.check(scope);
  });
}
