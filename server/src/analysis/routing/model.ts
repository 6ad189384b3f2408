// The routing model of a configuration: the http servers with what they listen on and the names
// they answer to, and their locations as nginx sorts them (ngx_http_core_module.c,
// ngx_http_core_server(), ngx_http_core_location(); ngx_http.c, ngx_http_init_locations()).

import { KeptByPlaced, placedNamed, type Configuration, type Placed } from '../rules/load/configuration';
import { listenAddress } from '../rules/load/servers/listenAddress';
import { compilePcre } from './regex';
import { toBytes } from './uri';

export type LocationKind = 'exact' | 'prefix' | 'noregex' | 'regex' | 'named';

export interface RouteLocation {
  placed: Placed;
  kind: LocationKind;
  /** The name as written (the regex without its modifier, `@name` with its `@`). */
  name: string;
  /** The name's bytes, as the static tree compares them. */
  nameBytes: string;
  /** For a regex location: the compiled regex, undefined when JavaScript cannot match it as PCRE does. */
  regex?: RegExp;
  caseless: boolean;
  /** `internal`: a request from outside that it matches gets 404. */
  internal: boolean;
  /** A `*_pass` in a location whose name ends with `/`: `/name` without the slash is redirected to it. */
  autoRedirect: boolean;
  proxyPass?: Placed;
  /** Exact and prefix locations first (by name), then regexes in order of appearance; named apart. */
  children: RouteLocation[];
}

export interface ServerName {
  /** As written, lowercased unless a regex (ngx_http_core_server_name()). */
  name: string;
  kind: 'exact' | 'leading' | 'trailing' | 'regex';
  regex?: RegExp;
}

export interface Listen {
  placed?: Placed;
  /** `0.0.0.0`, `127.0.0.1`, `::`... or undefined for a host name nginx resolves at load. */
  address: string | undefined;
  port: number;
  defaultServer: boolean;
}

export interface RouteServer {
  placed: Placed;
  listens: Listen[];
  names: ServerName[];
  mergeSlashes: boolean;
  /** Locations at the server level, and named locations (reached by try_files, error_page...). */
  locations: RouteLocation[];
  named: RouteLocation[];
  /** How many directives its block holds, includes read in place: they follow it in reading order. */
  directives: number;
}

export interface RoutingModel {
  servers: RouteServer[];
}

/** Modules whose `*_pass` sets clcf->auto_redirect when the location name ends with `/`. */
const PASS_DIRECTIVES = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass', 'grpc_pass']);

/** ngx_http_core_listen(): no `listen` means `*:80` for root, `*:8000` otherwise; the language server is not nginx, so we take root's. */
export const DEFAULT_LISTEN_PORT = 80;

/** The kind and name of `location [modifier] name` as ngx_http_core_location() reads its arguments. */
function locationKind(args: readonly string[]): { kind: LocationKind; name: string; caseless: boolean } | undefined {
  if (args.length === 2) {
    const [modifier, name] = args;
    if (modifier === '=') return { kind: 'exact', name, caseless: false };
    if (modifier === '^~') return { kind: 'noregex', name, caseless: false };
    if (modifier === '~') return { kind: 'regex', name, caseless: false };
    if (modifier === '~*') return { kind: 'regex', name, caseless: true };
    return undefined;
  }
  if (args.length !== 1) return undefined;
  const [word] = args;
  if (word.startsWith('=')) return { kind: 'exact', name: word.slice(1), caseless: false };
  if (word.startsWith('^~')) return { kind: 'noregex', name: word.slice(2), caseless: false };
  if (word.startsWith('~*')) return { kind: 'regex', name: word.slice(2), caseless: true };
  if (word.startsWith('~')) return { kind: 'regex', name: word.slice(1), caseless: false };
  if (word.startsWith('@')) return { kind: 'named', name: word, caseless: false };
  return { kind: 'prefix', name: word, caseless: false };
}

const isHttpServer = (placed: Placed) =>
  placed.directive.name.value === 'server' && !!placed.directive.block && placed.context.kind === 'directives' && placed.context.name === 'http';

/** The directives the model reads: servers, their addresses and names, locations and what marks a location. */
const ROUTING_DIRECTIVES = new Set(['server', 'merge_slashes', 'listen', 'server_name', 'location', 'internal', 'proxy_pass', ...PASS_DIRECTIVES]);

const models = new WeakMap<Configuration, RoutingModel>();

/** The routing model of the http servers of a configuration read as nginx reads it; built once per configuration (the rules and the hover share it). */
export function routingModel(configuration: Configuration): RoutingModel {
  let model = models.get(configuration);
  if (!model) models.set(configuration, (model = buildRoutingModel(configuration)));
  return model;
}

/**
 * Each http server's routing, kept by its Placed with the http level's merge_slashes it was built
 * with: a configuration derived after an edit (rereadConfiguration()) keeps the Placed of every
 * server but the one the edit is in, whose routing is built again.
 */
const serverModels = new KeptByPlaced<{ server: RouteServer; httpMergeSlashes: boolean }>();

function buildRoutingModel(configuration: Configuration): RoutingModel {
  // The http level's value is merged into every server, wherever it stands (ngx_http_core_merge_srv_conf()).
  let httpMergeSlashes = true;
  for (const { directive, parent, context } of placedNamed(configuration, 'merge_slashes')) {
    if (parent?.directive.name.value === 'http' && context.kind === 'directives' && context.family === 'http') httpMergeSlashes = directive.args[0]?.value !== 'off';
  }
  const edited = new Set<Placed>();
  for (let at = configuration.reread; at; at = at.parent) edited.add(at);
  const servers = placedNamed(configuration, 'server').filter(isHttpServer).map((placed) => {
    const kept = serverModels.get(configuration, placed);
    const reused = kept && kept.httpMergeSlashes === httpMergeSlashes && !edited.has(placed) ? kept : undefined;
    const model = reused ?? { server: routeServer(configuration, placed, httpMergeSlashes), httpMergeSlashes };
    serverModels.keep(configuration, placed, model);
    return model.server;
  });
  return { servers };
}

/** A server's routing, from the directives of its block (includes read in place), which follow it in reading order. */
function routeServer(configuration: Configuration, placed: Placed, httpMergeSlashes: boolean): RouteServer {
  const server: RouteServer = { placed, listens: [], names: [], mergeSlashes: httpMergeSlashes, locations: [], named: [], directives: 0 };
  const locations = new Map<Placed, RouteLocation>();
  // The blocks inside the server so far: a directive is inside when its parent is (parents come first).
  const blocks = new Set<Placed>([placed]);
  for (let i = placed.order + 1; i < configuration.directives.length; i++) {
    const inner = configuration.directives[i];
    if (!inner.parent || !blocks.has(inner.parent)) break;
    server.directives++;
    if (inner.directive.block) blocks.add(inner);
    const { directive, parent } = inner;
    const name = directive.name.value;
    // Most directives of a large configuration say nothing of routing: skipped before any work.
    if (!ROUTING_DIRECTIVES.has(name)) continue;
    const args = directive.args.map((arg) => arg.value);
    const own = parent === placed;
    if (name === 'merge_slashes') {
      if (own) server.mergeSlashes = args[0] !== 'off';
    } else if (own && name === 'listen' && args.length > 0) server.listens.push(listen(inner, args));
    else if (own && name === 'server_name') server.names.push(...args.map(serverName));
    else if (name === 'location' && directive.block && parent && (own || locations.has(parent))) {
      const location = routeLocation(inner, args);
      if (!location) continue;
      locations.set(inner, location);
      if (location.kind === 'named') server.named.push(location);
      else if (own) server.locations.push(location);
      else locations.get(parent)!.children.push(location);
    } else if (parent && locations.has(parent)) {
      const location = locations.get(parent)!;
      if (name === 'internal') location.internal = true;
      if (name === 'proxy_pass') location.proxyPass = inner;
      if (PASS_DIRECTIVES.has(name) && location.name.endsWith('/')) location.autoRedirect = true;
    }
  }
  // ngx_http_core_merge_srv_conf(): a server without `listen` listens on *:80, without `server_name` has the name "".
  if (server.listens.length === 0) server.listens.push({ address: '0.0.0.0', port: DEFAULT_LISTEN_PORT, defaultServer: false });
  if (server.names.length === 0) server.names.push({ name: '', kind: 'exact' });
  server.locations = sortLocations(server.locations);
  for (const location of locations.values()) location.children = sortLocations(location.children);
  return server;
}

function routeLocation(placed: Placed, args: readonly string[]): RouteLocation | undefined {
  const parsed = locationKind(args);
  if (!parsed) return undefined;
  const { kind, name, caseless } = parsed;
  // Every field set here, in one order: one object shape for the 24,000 locations of a large file.
  return {
    placed, kind, name, nameBytes: toBytes(name), regex: kind === 'regex' ? compilePcre(name, caseless) : undefined,
    caseless, internal: false, autoRedirect: false, proxyPass: undefined, children: [],
  };
}

/**
 * ngx_http_cmp_locations(): exact and prefix locations by name (ngx_filename_cmp(), bytes on
 * Linux), then regexes in the order they appear. The static ones form a tree searched by name.
 */
function sortLocations(found: readonly RouteLocation[]): RouteLocation[] {
  const statics = found.filter((location) => location.kind !== 'regex');
  statics.sort((a, b) => (a.nameBytes < b.nameBytes ? -1 : a.nameBytes > b.nameBytes ? 1 : 0));
  return [...statics, ...found.filter((location) => location.kind === 'regex')];
}

function listen(placed: Placed, args: readonly string[]): Listen {
  const defaultServer = args.slice(1).some((arg) => arg === 'default_server' || arg === 'default');
  // A UNIX-domain socket has no port: no URL reaches it.
  if (args[0].startsWith('unix:')) return { placed, address: args[0], port: NaN, defaultServer };
  const text = listenAddress(args[0]);
  const colon = text?.lastIndexOf(':') ?? -1;
  // `[::]:80` is printed with brackets: the address is what is inside them.
  const address = text && colon > 0 ? text.slice(0, colon).replace(/^\[(.*)\]$/, '$1') : undefined;
  const port = text && colon > 0 ? Number(text.slice(colon + 1)) : portOf(args[0]);
  return { placed, address, port, defaultServer };
}

/** The port of a `listen host:port` whose host nginx resolves. */
function portOf(address: string): number {
  const port = /:(\d+)$/.exec(address)?.[1];
  return port ? Number(port) : DEFAULT_LISTEN_PORT;
}

/** ngx_http_core_server_name(): a regex is caseless when it has a capital letter; other names are lowercased. */
function serverName(word: string): ServerName {
  if (word.startsWith('~')) {
    const pattern = word.slice(1);
    return { name: pattern, kind: 'regex', regex: compilePcre(pattern, /[A-Z]/.test(pattern)) };
  }
  const name = word.toLowerCase();
  if (name.startsWith('*.') || name.startsWith('.')) return { name, kind: 'leading' };
  if (name.endsWith('.*')) return { name, kind: 'trailing' };
  return { name, kind: 'exact' };
}
