// The WebSocket rules, run over every location that proxies WebSocket traffic, and the upstream
// keep-alive rule, run over every proxied location.

import type { Directive } from '../../parser';
import type { DirectiveEntry } from '../directiveIndex';
import type { Inclusion } from '../fileContext';
import { mapsAround } from '../headers';
import type { TargetVersion } from '../knowledge/versions';
import type { Finding } from '../types';
import { hasGlob, type ConfigFile, type Workspace } from '../workspace';
import { withPlainSpans } from '../movedFindings';
import { fileInputs, serverFindings } from '../serverFindings';
import { keepaliveFindings, upstreamsAround } from './keepalive';
import { named, type Memo, type Placed } from './levels';
import { isWebSocketLocation, proxiedLocations, type WebSocketLocation } from './locations';
import { connectionHeaderRule } from './rules/connectionHeader';
import { h2cSmugglingRule } from './rules/h2cSmuggling';
import { handOffTimeoutRule } from './rules/handOffTimeout';
import { httpVersionRule } from './rules/httpVersion';
import { inheritanceRule } from './rules/inheritance';
import { readTimeoutRule } from './rules/readTimeout';
import type { WebSocketRule } from './rules/rule';
import { listensAround, noTlsRule, sessionCacheAround } from './rules/tls';
import { upgradeHeaderRule } from './rules/upgradeHeader';

export { keepaliveRule } from './keepalive';

export const webSocketRules: WebSocketRule[] = [
  httpVersionRule,
  upgradeHeaderRule,
  connectionHeaderRule,
  inheritanceRule,
  readTimeoutRule,
  handOffTimeoutRule,
  noTlsRule,
  h2cSmugglingRule,
];

/** The findings of the file's WebSocket locations, up to `limit` (more would not be shown). */
export function webSocketFindings(
  file: ConfigFile,
  workspace: Workspace,
  graph: ReadonlyMap<string, Inclusion>,
  entries: readonly DirectiveEntry[],
  memo: Memo,
  limit = Infinity,
): Finding[] {
  const kept = serverFindings('websocket', file, workspace, sharedInputs(file, workspace, graph, entries[0]?.target));
  const findings: Finding[] = [];
  for (const { server, locations } of locationsByServer(entries)) {
    if (findings.length >= limit) break;
    const perLocation = (server && kept.earlier(server)) || kept.reading(() => proxiedLocations(file, workspace, graph, locations, memo).map(locationFindings));
    let complete = true;
    for (const found of perLocation) {
      if (findings.length >= limit) {
        complete = false;
        break;
      }
      findings.push(...found);
    }
    if (server && complete) kept.keep(server, perLocation);
  }
  return findings;
}

/**
 * What the findings of a server's locations read beyond the server's own levels: what every family
 * reads (fileInputs()), the maps and upstreams, the other servers' TLS settings and listens. Compared by identity:
 * a directive re-read by an edit is a new object.
 */
function sharedInputs(file: ConfigFile, workspace: Workspace, graph: ReadonlyMap<string, Inclusion>, target: TargetVersion | undefined): unknown[] {
  const maps = [...mapsAround(workspace, file.path, graph).values()].map((map) => map.directive);
  const upstreams = upstreamsAround(workspace, file.path, graph).map((upstream) => upstream.directive);
  const { defaults443, tls } = listensAround(workspace, file.path, graph);
  return [...fileInputs(file, workspace, graph, target), sessionCacheAround(workspace, file.path, graph), ...maps, ...upstreams, ...defaults443, ...tls];
}

/** The file's location entries, grouped by the http server they stand in (undefined: outside any), in file order. */
function locationsByServer(entries: readonly DirectiveEntry[]): Array<{ server?: Directive; locations: DirectiveEntry[] }> {
  const groups: Array<{ server?: Directive; locations: DirectiveEntry[] }> = [];
  // Indexed: the first analysis runs this before V8 has optimized it, and a for-of step then
  // allocates (120,000 entries: 5 MB a loop).
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.directive.name.value !== 'location' || !entry.directive.block) continue;
    const server = entry.httpServer;
    const last = groups[groups.length - 1];
    if (last && last.server === server) last.locations.push(entry);
    else groups.push({ server, locations: [entry] });
  }
  return groups;
}

/** A proxied location's findings: the WebSocket rules' if it carries WebSocket traffic, and the keep-alive rule's. */
function locationFindings(location: WebSocketLocation): Finding[] {
  const found = [
    ...(isWebSocketLocation(location) ? webSocketRules.flatMap((rule) => rule.check(location)) : []),
    ...keepaliveFindings(location),
  ];
  const missing = found.length > 0 ? missingIncludes(location) : [];
  return (missing.length > 0 ? found.map((finding) => unsure(finding, missing)) : found).map(withPlainSpans);
}

/**
 * The `include`s of the location's levels that name a file the workspace lacks (a snippet that is
 * on the server only): what they set is unknown. A glob that matches nothing is an empty include
 * for nginx too (ngx_conf_include()), so only plain paths count.
 */
function missingIncludes(ws: WebSocketLocation): Placed[] {
  return ws.levels.flatMap((level) => ws.memo.get('missing-includes', level, () =>
    named(level, 'include').filter((placed) => {
      const pattern = placed.directive.args[0]?.value;
      return pattern !== undefined && !hasGlob(pattern) && ws.workspace.resolveInclude(pattern, placed.file).length === 0;
    })));
}

/** A finding that an include we cannot read may contradict: said so, and no more than Information. */
function unsure(finding: Finding, missing: readonly Placed[]): Finding {
  const names = missing.map((placed) => `"${placed.directive.args[0].value}"`).join(', ');
  return {
    ...finding,
    severity: finding.severity === 'warning' || finding.severity === 'error' ? 'information' : finding.severity,
    message: `${finding.message} (unsure: ${names} ${missing.length > 1 ? 'are' : 'is'} not in the workspace and may set this)`,
    related: [...(finding.related ?? []), ...missing.map((placed) => ({ file: placed.file, span: placed.directive, message: 'not in the workspace: what it sets is unknown' }))],
  };
}
