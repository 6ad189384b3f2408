// The WebSocket rules, run over every location that proxies WebSocket traffic, and the upstream
// keep-alive rule, run over every proxied location.

import type { DirectiveEntry } from '../directiveIndex';
import type { Inclusion } from '../fileContext';
import type { Finding } from '../types';
import { hasGlob, type ConfigFile, type Workspace } from '../workspace';
import { keepaliveFindings } from './keepalive';
import { Memo, named, type Placed } from './levels';
import { proxiedLocations, webSocketLocations, type WebSocketLocation } from './locations';
import { connectionHeaderRule } from './rules/connectionHeader';
import { h2cSmugglingRule } from './rules/h2cSmuggling';
import { handOffTimeoutRule } from './rules/handOffTimeout';
import { httpVersionRule } from './rules/httpVersion';
import { inheritanceRule } from './rules/inheritance';
import { readTimeoutRule } from './rules/readTimeout';
import type { WebSocketRule } from './rules/rule';
import { noTlsRule } from './rules/tls';
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
  limit = Infinity,
): Finding[] {
  const findings: Finding[] = [];
  const proxied = proxiedLocations(file, workspace, graph, entries, new Memo());
  const webSocket = new Set(webSocketLocations(proxied));
  for (const location of proxied) {
    if (findings.length >= limit) break;
    const found = [
      ...(webSocket.has(location) ? webSocketRules.flatMap((rule) => rule.check(location)) : []),
      ...keepaliveFindings(location),
    ];
    const missing = found.length > 0 ? missingIncludes(location) : [];
    findings.push(...(missing.length > 0 ? found.map((finding) => unsure(finding, missing)) : found));
  }
  return findings;
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
