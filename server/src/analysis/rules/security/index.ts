// The security rules (issue 14): reverse-proxy mistakes that weaken protection, read the way nginx
// reads the configuration, includes and inheritance included.

import { checkpoint, type IsStale } from '../../cancellation';
import { addNamed, type Directive } from '../../../parser';
import type { DirectiveEntry } from '../../directiveIndex';
import type { Inclusion } from '../../fileContext';
import { withPlainSpans } from '../../movedFindings';
import { routingModel } from '../../routing';
import { fileInputs, serverFindings } from '../../serverFindings';
import type { Finding } from '../../types';
import type { Memo } from '../../websocket/levels';
import type { ConfigFile, Workspace } from '../../workspace';
import type { Configuration } from '../load/configuration';
import { addHeaderLost } from './headers/addHeaderLost';
import { aliasTraversal } from './files/aliasTraversal';
import { allowWithoutDeny } from './access/allowWithoutDeny';
import { autoindex } from './files/autoindex';
import { dotfiles } from './files/dotfiles';
import { hideHeaderLost } from './headers/hideHeaderLost';
import { hostSpoofing } from './proxy/hostSpoofing';
import { hsts } from './headers/hsts';
import { mergeSlashesOff } from './access/mergeSlashesOff';
import { proxyHeadersLost } from './headers/proxyHeadersLost';
import { realIpSpoofable } from './access/realIpSpoofable';
import { resolverMissing } from './proxy/resolverMissing';
import { responseSplitting } from './headers/responseSplitting';
import { returnBeforeAccess } from './access/returnBeforeAccess';
import type { SecurityRule } from './rule';
import { serverTokens } from './headers/serverTokens';
import { ssrf } from './proxy/ssrf';
import { stubStatus } from './access/stubStatus';
import { weakCiphers } from './tls/weakCiphers';
import { weakTlsProtocols } from './tls/weakTlsProtocols';

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

/**
 * The entries but those of these servers (each one's entries follow it in file order, up to its
 * end): skipped by offset, not asked their server one by one (120,000 entries on each edit of a 4 MB file).
 */
function entriesOutside(entries: readonly DirectiveEntry[], servers: ReadonlyMap<Directive, unknown>): DirectiveEntry[] {
  const outside: DirectiveEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const { directive } = entries[i];
    if (directive.name.value !== 'server' || !servers.has(directive)) {
      outside.push(entries[i]);
      continue;
    }
    while (i + 1 < entries.length && entries[i + 1].directive.start < directive.end) i++;
  }
  return outside;
}

/**
 * The findings of the security rules, per rule in file order. A finding inside an http server reads
 * that server's levels and what lies outside every server (serverFindings()): after an edit inside
 * one server, only that server's entries and those outside any server are judged again.
 */
export function securityFindings(
  file: ConfigFile, workspace: Workspace, graph: ReadonlyMap<string, Inclusion>, entries: readonly DirectiveEntry[], memo: Memo,
  configurations: readonly Configuration[], isStale: IsStale,
): Finding[] {
  const kept = serverFindings('security', file, workspace, fileInputs(file, workspace, graph, entries[0]?.target));
  const servers = entries.filter((entry) => entry.httpServer === entry.directive).map((entry) => entry.directive);
  const reused = new Map(servers.flatMap((server) => {
    const earlier = kept.earlier(server);
    return earlier ? [[server, earlier] as const] : [];
  }));
  const judged = reused.size === 0 ? entries : entriesOutside(entries, reused);
  // Asked of a few locations per server judged: found by bisection, as the entries are in source
  // order (a map of the judged blocks, 26,000 in a 4 MB file, cost more to make than every lookup).
  // A block of another file may start at the same offset: the directive itself must match.
  const entryOf = (block: Directive) => {
    let low = 0;
    let high = judged.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (judged[mid].directive.start < block.start) low = mid + 1;
      else high = mid;
    }
    return judged[low]?.directive === block ? judged[low] : undefined;
  };
  const byName = new Map<string, DirectiveEntry[]>();
  for (let i = 0; i < judged.length; i++) if (judged[i].context.kind !== 'data') addNamed(byName, judged[i].directive.name.value, judged[i]);
  // The first configuration's, as the location hover reads it (routingModelOf()).
  const routing = () => routingModel(configurations[0]);
  const scope = { file, workspace, graph, entries: judged, entryOf, byName, memo, inheritModes: new Map(), routing };
  const perRule = kept.reading(() => securityRules.map((rule) => {
    checkpoint(isStale);
    return rule.check(scope).map(withPlainSpans);
  }));
  for (const server of servers) {
    const inside = (finding: Finding) => finding.span.start >= server.start && finding.span.start < server.end;
    kept.keep(server, reused.get(server) ?? perRule.map((found) => found.filter(inside)));
  }
  return perRule.flatMap((found, rule) => [...found, ...[...reused.values()].flatMap((byRule) => byRule[rule])].sort((a, b) => a.span.start - b.span.start));
}
