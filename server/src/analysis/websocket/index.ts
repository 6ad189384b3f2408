// The WebSocket rules, run over every location that proxies WebSocket traffic.

import type { DirectiveEntry } from '../directiveIndex';
import type { Finding } from '../types';
import type { ConfigFile, Workspace } from '../workspace';
import { webSocketLocations } from './locations';
import { connectionHeaderRule } from './rules/connectionHeader';
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
];

export function webSocketFindings(file: ConfigFile, workspace: Workspace, entries: readonly DirectiveEntry[]): Finding[] {
  return webSocketLocations(file, workspace, entries).flatMap((ws) => webSocketRules.flatMap((rule) => rule.check(ws)));
}
