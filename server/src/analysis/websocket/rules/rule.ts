import type { Finding, RuleInfo } from '../../types';
import type { WebSocketLocation } from '../locations';

/** nginx's own page on proxying WebSocket. */
export const WEBSOCKET_DOCS = 'https://nginx.org/en/docs/http/websocket.html';

export interface WebSocketRule extends RuleInfo {
  check(ws: WebSocketLocation): Finding[];
}

export function findingFor(rule: RuleInfo, ws: WebSocketLocation, span: Finding['span'], message: string, extra: Partial<Finding> = {}): Finding {
  return { code: rule.id, severity: rule.severity, message, file: ws.file.path, span, ...extra };
}
