// The WebSocket rules, run over every location that proxies WebSocket traffic.

import type { DirectiveEntry } from '../directiveIndex';
import type { Inclusion } from '../fileContext';
import type { Finding } from '../types';
import type { ConfigFile, Workspace } from '../workspace';
import { webSocketLocations } from './locations';
import { connectionHeaderRule } from './rules/connectionHeader';
import { h2cSmugglingRule } from './rules/h2cSmuggling';
import { httpVersionRule } from './rules/httpVersion';
import { inheritanceRule } from './rules/inheritance';
import { readTimeoutRule } from './rules/readTimeout';
import type { WebSocketRule } from './rules/rule';
import { noTlsRule } from './rules/tls';
import { upgradeHeaderRule } from './rules/upgradeHeader';

export const webSocketRules: WebSocketRule[] = [
  httpVersionRule,
  upgradeHeaderRule,
  connectionHeaderRule,
  inheritanceRule,
  readTimeoutRule,
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
  for (const ws of webSocketLocations(file, workspace, graph, entries)) {
    if (findings.length >= limit) break;
    for (const rule of webSocketRules) findings.push(...rule.check(ws));
  }
  return findings;
}
