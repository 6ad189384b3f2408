import { insertLinesIntoBlock } from '../../edits';
import type { Fix } from '../../types';
import { locationHeader, sourceText } from '../fixes';
import { headerStatus } from '../headerStatus';
import { named, type Placed } from '../levels';
import { connectionHeaderUpgrades, upgradeHeaderForwards } from '../locations';
import { findingFor, WEBSOCKET_DOCS, type WebSocketRule } from './rule';

/**
 * proxy_set_header lists "are inherited from the previous configuration level if and only if there
 * are no proxy_set_header directives defined on the current level" (ngx_http_proxy_module docs):
 * one Host header in a location silently drops the Upgrade and Connection set for the server.
 * Only headers that would have done their job count as lost (an inherited `Connection ""` is not).
 */
export const inheritanceRule: WebSocketRule = {
  id: 'ws-headers-not-inherited',
  severity: 'warning',
  docs: WEBSOCKET_DOCS,
  description: 'Upgrade/Connection headers set at an outer level but not inherited by a WebSocket location.',
  check(ws) {
    const statuses = [
      headerStatus(ws.levels, 'upgrade', upgradeHeaderForwards(ws.maps)),
      headerStatus(ws.levels, 'connection', connectionHeaderUpgrades(ws.maps)),
    ];
    const lost = statuses.flatMap((status): Placed[] => (status.lost ? [status.lost] : []));
    const breaking = statuses.find((status) => status.lost)?.effectiveLevel;
    if (lost.length === 0 || !breaking?.block) return [];
    const names = lost.map((header) => header.directive.args[0].value).join(' and ');
    const breakers = named(breaking, 'proxy_set_header');
    const where = breaking.block === ws.location ? 'this location'
      : breaking.block.name.value === 'location' ? 'the enclosing location' : `this ${breaking.block.name.value}`;
    const related = [
      ...lost.map((header) => ({ file: header.file, span: header.directive, message: `${header.directive.args[0].value} is set here, but not inherited` })),
      { file: breakers[0].file, span: breakers[0].directive, message: `a proxy_set_header in ${where} stops the inheritance of the list above` },
    ];
    const breakingFile = ws.workspace.file(breaking.file);
    const fixes: Fix[] = breakingFile
      ? [{
          title: `Re-declare ${names} in ${where}`,
          preferred: true,
          edits: [insertLinesIntoBlock(breakingFile, breaking.block, breakers.map((b) => b.directive),
            lost.map((header) => sourceText(ws, header)))],
        }]
      : [];
    return [findingFor(this, ws, locationHeader(ws),
      `${names} set at an outer level ${lost.length > 1 ? 'are' : 'is'} not inherited here: ${where} has its own proxy_set_header, and nginx then inherits none from above`,
      { related, fixes })];
  },
};
