import { insertIntoLocation, locationHeader } from '../fixes';
import { nearest, nestedDirectives, type Nested } from '../levels';
import { findingFor, WEBSOCKET_DOCS, type WebSocketRule } from './rule';

/** Directives that hand a request to a named location, named by their last argument. */
const HAND_OFFS = new Set(['try_files', 'error_page']);

/**
 * A request handed to a named location (`try_files $uri @ws`, `error_page 502 @ws`) runs with the
 * named location's configuration (ngx_http_named_location() sets r->loc_conf to it): a
 * proxy_read_timeout in the location that hands it over has no effect on that request.
 */
export const handOffTimeoutRule: WebSocketRule = {
  id: 'ws-read-timeout-ineffective',
  severity: 'information',
  docs: WEBSOCKET_DOCS,
  description: 'A proxy_read_timeout in a location that hands its requests to a named WebSocket location, where it does not apply.',
  check(ws) {
    const name = ws.location.args[0]?.value;
    const server = ws.levels.find((level) => level.block?.name.value === 'server');
    if (!name?.startsWith('@') || ws.location.args.length !== 1 || !server?.block) return [];
    const inServer = ws.memo.get('server-directives', server, () => nestedDirectives(ws.workspace, { file: server.file, directive: server.block! }));
    const handing = new Set(inServer
      .filter((placed) => HAND_OFFS.has(placed.directive.name.value) && placed.directive.args.at(-1)?.value === name)
      .map((placed) => placed.owner.directive));
    const applied = nearest(ws.levels, 'proxy_read_timeout');
    const appliedText = applied ? `${applied.placed.directive.args[0]?.value} (${applied.level === ws.levels[0] ? 'its own' : `from the ${applied.level.block?.name.value ?? 'enclosing'} level`})` : 'the 60s default';
    const ineffective = inServer.filter((placed): placed is Nested => placed.directive.name.value === 'proxy_read_timeout'
      && handing.has(placed.owner.directive) && placed.file === ws.file.path
      // The same value in the named location: redundant, not misleading.
      && placed.directive.args[0]?.value !== applied?.placed.directive.args[0]?.value);
    return ineffective.map((placed) => {
      const value = placed.directive.args[0]?.value ?? '';
      return findingFor(this, ws, placed.directive,
        `"proxy_read_timeout ${value}" has no effect on the requests this location hands to ${name}: ${name} applies ${appliedText}`,
        {
          related: [{ file: ws.file.path, span: locationHeader(ws), message: `the requests run with ${name}'s configuration` }],
          fixes: applied?.level === ws.levels[0]
            ? []
            : [{ title: `Set "proxy_read_timeout ${value};" in ${name}`, preferred: true, edits: [insertIntoLocation(ws, [`proxy_read_timeout ${value};`])] }],
        });
    });
  },
};
