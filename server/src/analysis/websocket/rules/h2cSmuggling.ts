import { eolOf, indentUnit, insertLinesIntoBlock } from '../../edits';
import { headerEntries, sentNamed, variableName, type HeaderEntry, type MapDefinition, type MapEntry } from '../../headers';
import { defaultsToHttp11 } from '../../headers/defaults';
import type { Fix, RelatedLocation, TextEdit } from '../../types';
import { locationHeader } from '../fixes';
import { UPSTREAM_ADDRESSES, UPSTREAM_PASSES, withoutScheme, withoutUriPart } from '../../knowledge/addresses';
import { named, namedAny, nestedDirectives, type Level, type Nested, type Placed } from '../levels';
import { connectionValueUpgrades, type WebSocketLocation } from '../locations';
import { findingFor, type WebSocketRule } from './rule';

/** nginx's answer to h2c smuggling through proxy_pass: "won't fix", configs must guard themselves. */
const H2C_DOCS = 'https://github.com/nginx/nginx/issues/1472';

/** The variables the fix defines: Upgrade and Connection for WebSocket requests only. */
export const UPGRADE_VARIABLE = 'websocket_upgrade';
export const CONNECTION_VARIABLE = 'websocket_connection';

/** The one protocol a WebSocket location has to pass (RFC 6455, 4.1: "Upgrade: websocket"). */
const WEBSOCKET_KEY = '~*^websocket$';

/**
 * Directives that restrict who reaches a location: a tunnel to the upstream skips them all. `allow`
 * and `satisfy` restrict nothing without a `deny` or an `auth_*` (`allow all;` opens a location).
 */
const ACCESS_CONTROL_NAMES = ['deny', 'auth_basic', 'auth_request', 'auth_jwt'];
const ACCESS_CONTROL = new Set(ACCESS_CONTROL_NAMES);

/** A map entry that matches only the WebSocket protocol name: `websocket` (compared case-insensitively) or `~*^websocket$`. */
function matchesOnlyWebSocket(entry: MapEntry): boolean {
  if (!entry.regex) return entry.key.toLowerCase() === 'websocket';
  return /^\^(?:\(\?i\))?websocket\$$/i.test(entry.key);
}

/**
 * Whether a value passes the client's Upgrade header whatever it says: `$http_upgrade` itself, or
 * reached through maps without passing an entry on $http_upgrade that matches only "websocket".
 */
function passesAnyProtocol(entry: HeaderEntry): boolean {
  return (entry.values ?? []).some((possible) => possible.value.toLowerCase().includes('$http_upgrade')
    && !possible.via.some(({ map, entry: step }) => variableName(map.source) === 'http_upgrade' && step && matchesOnlyWebSocket(step)));
}

/** `if ($http_upgrade != "websocket")`, `if ($http_upgrade !~* ^websocket$)`: the words of an `if` that lets only WebSocket through. */
const UPGRADE_GUARD = /^\(\s*\$http_upgrade\s+(!=|!~\*?)\s+(.+?)\s*\)$/;

/** An `if` that ends with `return` every request whose Upgrade is not exactly "websocket". */
function rejectsOtherUpgrades({ directive }: Placed): boolean {
  const match = UPGRADE_GUARD.exec(directive.args.map((arg) => arg.value).join(' '));
  if (!match) return false;
  const [, operator, value] = match;
  const onlyWebSocket = operator === '!=' ? value === 'websocket' : /^\^(?:\(\?i\))?websocket\$$/i.test(value);
  return onlyWebSocket && (directive.block?.children ?? []).some((line) => line.kind === 'directive' && line.name.value === 'return');
}

/**
 * The location, or its server, refuses other upgrades in the rewrite phase, before proxy_pass sends
 * anything. A parent location's `if` does not run for a location nested in it: rewrite directives
 * are not inherited (ngx_http_rewrite_merge_loc_conf()).
 */
function guardedByIf(ws: WebSocketLocation): boolean {
  const server = ws.levels.find((level) => level.block?.name.value === 'server');
  return [ws.levels[0], server].some((level) => level && named(level, 'if').some(rejectsOtherUpgrades));
}

/** The access-control directives of a server and the blocks inside it, includes expanded. */
const accessControl = (ws: WebSocketLocation, server: Level) =>
  nestedDirectives(ws.workspace, { file: server.file, directive: server.block! }).filter(restricts);

/** Where a pass sends requests (`http://app:3000/x` is `app:3000`), or undefined when variables choose it. */
function passTarget(pass: Placed): string | undefined {
  const value = pass.directive.args[0]?.value ?? '';
  if (value.includes('$')) return undefined;
  const address = withoutScheme(value, UPSTREAM_ADDRESSES.get(pass.directive.name.value)?.schemes ?? []);
  return withoutUriPart(address).toLowerCase();
}

/**
 * The tunnel reaches the WebSocket location's upstream only: access control in a location that
 * passes to other upstreams guards them, which the tunnel does not reach. A location that passes
 * nowhere (`location /admin { deny all; }`) may guard a path of the same upstream that another
 * location serves, and access control at the server level or in other blocks guards all: they count,
 * as does a pass whose variables choose its upstream.
 */
function guardsTheUpstream(ws: WebSocketLocation, restriction: Placed): boolean {
  const owner = (restriction as Partial<Nested>).owner;
  if (!owner || owner.directive.name.value !== 'location') return true;
  const target = named(ws.levels[0], 'proxy_pass').map(passTarget)[0];
  if (target === undefined) return true;
  const passes = ws.memo.get('location-passes', owner, () => nestedDirectives(ws.workspace, owner).filter((placed) => UPSTREAM_PASSES.includes(placed.directive.name.value)));
  return passes.length === 0 || passes.some((pass) => {
    const other = passTarget(pass);
    return other === undefined || other === target;
  });
}

/** An access-control directive that restricts (`auth_basic off` does not). */
const restricts = (placed: Placed) => ACCESS_CONTROL.has(placed.directive.name.value) && placed.directive.args[0]?.value !== 'off';

/** The module of each access directive: a block with any of a module's directives replaces all the module's inherited ones (allow/deny lists are one setting of ngx_http_access_module). */
const ACCESS_MODULE: ReadonlyMap<string, string> = new Map([
  ['allow', 'access'], ['deny', 'access'], ['auth_basic', 'auth_basic'], ['auth_request', 'auth_request'], ['auth_jwt', 'auth_jwt'],
]);

/**
 * The access control in force in the WebSocket location itself, set there or inherited: the client
 * passed it to open the tunnel, so the tunnel bypasses none of it (only what other locations add).
 */
function inForce(ws: WebSocketLocation): Set<Placed['directive']> {
  const found = new Set<Placed['directive']>();
  const setBelow = new Set<string>();
  for (const level of ws.levels) {
    const access = namedAny(level, [...ACCESS_MODULE.keys()]);
    for (const placed of access) if (restricts(placed) && !setBelow.has(ACCESS_MODULE.get(placed.directive.name.value)!)) found.add(placed.directive);
    for (const placed of access) setBelow.add(ACCESS_MODULE.get(placed.directive.name.value)!);
  }
  return found;
}

/** The maps the fix adds: Upgrade passed and Connection upgraded for "websocket" only. */
function guardMaps(ws: WebSocketLocation, unit: string): string[] {
  // Without an upgrade, Connection is what nginx sends by default: "close" before 1.29.7, none since.
  const otherwise = defaultsToHttp11(ws.target) ? '""' : 'close';
  const defaultKey = 'default'.padEnd(WEBSOCKET_KEY.length);
  return [
    `map $http_upgrade $${UPGRADE_VARIABLE} {`, `${unit}${defaultKey} "";`, `${unit}${WEBSOCKET_KEY} $http_upgrade;`, '}',
    `map $http_upgrade $${CONNECTION_VARIABLE} {`, `${unit}${defaultKey} ${otherwise};`, `${unit}${WEBSOCKET_KEY} upgrade;`, '}',
  ];
}

/** The guard maps as they must be when the variable names are taken already; undefined when taken by something else. */
function existingGuard(maps: ReadonlyMap<string, MapDefinition>): 'none' | 'both' | undefined {
  const ours = [UPGRADE_VARIABLE, CONNECTION_VARIABLE].map((name) => maps.get(name));
  if (ours.every((map) => !map)) return 'none';
  return ours.every((map) => map && variableName(map.source) === 'http_upgrade') ? 'both' : undefined;
}

/** Where the maps go: the http block, or the top of a file of servers read at http level. */
function mapsEdit(ws: WebSocketLocation): TextEdit | undefined {
  const http = ws.levels.find((level) => level.block?.name.value === 'http');
  const httpFile = http && ws.workspace.file(http.file);
  if (http?.block && httpFile) return insertLinesIntoBlock(httpFile, http.block, [], guardMaps(ws, indentUnit(httpFile)));
  const server = ws.levels.find((level) => level.block?.name.value === 'server');
  const serverFile = server && ws.workspace.file(server.file);
  if (!server || !serverFile || http || !serverFile.tree.root.children.includes(server.block!)) return undefined;
  const eol = eolOf(serverFile);
  return { file: serverFile.path, span: { start: 0, end: 0 }, newText: guardMaps(ws, indentUnit(serverFile)).join(eol) + eol + eol };
}

/**
 * The edits that define the guard maps: none when they exist already, undefined when their names
 * are taken by other maps or there is no http level to put them in.
 */
export function guardMapsEdits(ws: WebSocketLocation): TextEdit[] | undefined {
  const guard = existingGuard(ws.maps);
  if (guard === 'both') return [];
  const maps = guard === 'none' ? mapsEdit(ws) : undefined;
  return maps && [maps];
}

function guardFix(ws: WebSocketLocation, open: readonly HeaderEntry[], connections: readonly HeaderEntry[]): Fix | undefined {
  const maps = guardMapsEdits(ws);
  if (!maps) return undefined;
  // Only the value changes: the column alignment of the lines stays as written.
  const value = (entry: HeaderEntry, text: string): TextEdit => ({ file: entry.placed.file, span: entry.placed.directive.args[1], newText: text });
  return {
    title: `Pass only WebSocket upgrades: Upgrade $${UPGRADE_VARIABLE} and Connection $${CONNECTION_VARIABLE} (maps on $http_upgrade)`,
    preferred: true,
    edits: [
      ...maps,
      ...open.map((entry) => value(entry, `$${UPGRADE_VARIABLE}`)),
      ...connections.map((entry) => value(entry, `$${CONNECTION_VARIABLE}`)),
    ],
  };
}

/**
 * `proxy_set_header Upgrade $http_upgrade` passes any protocol the client names: with `Upgrade: h2c`
 * an HTTP/2 backend switches and the client talks to it directly, past every location, allow/deny
 * and auth_* rule of nginx, which only sees the first request (nginx/nginx issue 1472).
 */
export const h2cSmugglingRule: WebSocketRule = {
  id: 'ws-upgrade-unrestricted',
  severity: 'warning',
  docs: H2C_DOCS,
  description: 'An Upgrade header that passes any protocol the client asks for (h2c smuggling); Warning where the server has access control that the WebSocket location does not have.',
  check(ws) {
    const entries = headerEntries(ws.levels, 'proxy_set_header', ws.maps);
    const open = sentNamed(entries, 'upgrade').filter(passesAnyProtocol);
    if (open.length === 0 || guardedByIf(ws)) return [];
    const server = ws.levels.find((level) => level.block?.name.value === 'server');
    const http = ws.levels.find((level) => level.block?.name.value === 'http');
    const restrictions = [
      ...(server?.block ? ws.memo.get('access-control', server, () => accessControl(ws, server)) : []),
      // Set at the http level itself, it is inherited by every server (the level holds every server
      // and upstream: filtered once per analysis, not once per location).
      ...(http ? ws.memo.get('http-access-control', http, () => namedAny(http, ACCESS_CONTROL_NAMES).filter(restricts)) : []),
    ];
    const passed = restrictions.length > 0 ? inForce(ws) : undefined;
    const guarded = restrictions.filter((placed) => !passed?.has(placed.directive) && guardsTheUpstream(ws, placed));
    const connections = sentNamed(entries, 'connection').filter((entry) => connectionValueUpgrades(entry.value, ws.maps));
    const related: RelatedLocation[] = [
      ...open.map((entry) => ({ file: entry.placed.file, span: entry.placed.directive, message: 'passes any Upgrade value the client sends' })),
      ...guarded.slice(0, 1).map((placed) => ({ file: placed.file, span: placed.directive, message: 'access control that an h2c tunnel would bypass' })),
    ];
    const fix = guardFix(ws, open, connections);
    return [findingFor(this, ws, locationHeader(ws),
      guarded.length > 0
        ? `The Upgrade header passes any protocol: "Upgrade: h2c" opens an HTTP/2 tunnel to the upstream that bypasses this server's access control; pass only "websocket"`
        : `The Upgrade header passes any protocol: "Upgrade: h2c" lets a client talk HTTP/2 straight to the upstream, past nginx's locations; pass only "websocket"`,
      { severity: guarded.length > 0 ? 'warning' : 'information', related, fixes: fix ? [fix] : [] })];
  },
};
