// Which server and location serve a URL, and what the upstream receives: the request as nginx
// reads it (ngx_http_request.c), the server chosen by address, port and Host, the location found
// for the normalised URI, and the `proxy_pass` URI.

import type { Context } from '../context';
import { configurationsOf, type Placed } from '../rules/load/configuration';
import type { ConfigFile, Workspace } from '../workspace';
import { findLocation, type LocationMatch } from './locations';
import { routingModel, type RoutingModel } from './model';
import { proxyHost, upstreamUri, type UpstreamUri } from './proxyPass';
import { chooseServer, validateHost, type ServerChoice } from './servers';
import { parseComplexUri, showBytes, toBytes } from './uri';

export { routingModel, type RouteLocation, type RouteServer, type RoutingModel } from './model';
export { findLocation } from './locations';

export interface RouteRequest {
  /** `http://host[:port]/path?args`, `https://...`, or a path alone (no Host: the default server of port 80). */
  url: string;
  /** The local address the connection arrives at, when the URL names a host rather than an address. */
  address?: string;
}

export interface Route {
  url: string;
  /** Why nginx answers before any location (400), or no server listens on the port. */
  error?: string;
  server?: ServerChoice;
  /** The normalised URI (r->uri) that locations are matched against. */
  uri?: string;
  match?: LocationMatch;
  upstream?: UpstreamUri;
  /** The variables the request itself tells (lowercase, without `$`), for the headers the upstream gets. */
  variables?: Map<string, string>;
  /** What the answer depends on that the configuration does not tell (rewrites, undecidable regexes...). */
  notes: string[];
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };

interface ParsedUrl {
  scheme: string;
  port: number;
  /** The Host header (host and port as written), absent for a path alone. */
  host?: string;
  /** The address literal the URL names, if any. */
  address?: string;
  /** The request target: path and arguments, bytes, as a client sends it (no fragment). */
  target: string;
}

function parseUrl(url: string): ParsedUrl | string {
  if (url.startsWith('/')) return { scheme: 'http', port: DEFAULT_PORTS.http, target: toBytes(url.split('#')[0]) };
  const match = /^([a-z]+):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^#]*)/i.exec(url);
  const scheme = match?.[1].toLowerCase();
  if (!match || !scheme || !(scheme in DEFAULT_PORTS)) return `not an http(s) URL: ${url}`;
  const [, , hostname, port, rest] = match;
  const portNumber = port ? Number(port) : DEFAULT_PORTS[scheme];
  const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : /^\d+\.\d+\.\d+\.\d+$/.test(hostname) ? hostname : undefined;
  const target = rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest;
  return { scheme, port: portNumber, host: port ? `${hostname}:${port}` : hostname, address: literal, target: toBytes(target) };
}

/** Directives that change the URI before or after the location is found (the answer may differ). */
const URI_CHANGERS = new Set(['rewrite', 'try_files', 'error_page', 'return']);

export function route(model: RoutingModel, request: RouteRequest): Route {
  const notes: string[] = [];
  const parsed = parseUrl(request.url);
  if (typeof parsed === 'string') return { url: request.url, error: parsed, notes };
  let host: string | undefined;
  if (parsed.host !== undefined) {
    host = validateHost(parsed.host);
    if (host === undefined) return { url: request.url, error: 'Bad Request: invalid host', notes };
  }
  const server = chooseServer(model, parsed.port, host, parsed.address ?? request.address);
  if (!server) return { url: request.url, error: `no server listens on port ${parsed.port}`, notes };
  if (server.undecided) notes.push(`the server name regex "${server.undecided.name}" is not decided here (PCRE syntax JavaScript lacks, or a pattern that may backtrack without end)`);
  const uri = parseComplexUri(parsed.target, server.server.mergeSlashes);
  if ('error' in uri) return { url: request.url, server, error: uri.error, notes };
  const match = findLocation(server.server.locations, uri.path);
  const result: Route = { url: request.url, server, uri: showBytes(uri.path) + (uri.args ? `?${uri.args}` : ''), match, notes };
  if (match.kind === 'undecided') notes.push(`the regex "${match.regex.name}" is not decided here (PCRE syntax JavaScript lacks, or a pattern that may backtrack without end)`);
  const location = match.kind === 'undecided' ? undefined : match.location;
  if (match.kind === 'location' && location?.internal) notes.push('the location is internal: a request from outside gets 404');
  if (match.kind === 'redirect') notes.push(`nginx redirects (301) to "${showBytes(uri.path)}/"`);
  const changers = [server.server.placed, ...match.chain.map((l) => l.placed)].flatMap(changersIn);
  if (changers.length > 0) notes.push(`${[...new Set(changers)].join(', ')} may change the URI or answer first`);
  if (location && match.kind === 'location') {
    const proxyPass = location.proxyPass?.directive.args[0]?.value;
    if (proxyPass) {
      const prefix = location.kind === 'prefix' || location.kind === 'noregex' || location.kind === 'exact' ? location.nameBytes : '';
      result.upstream = upstreamUri(proxyPass, prefix, { unparsed: showBytes(parsed.target), path: uri.path, args: uri.args, quoted: parsed.target.includes('%') });
      result.variables = requestVariables(parsed, host, uri);
      const upstreamHost = proxyHost(proxyPass);
      if (upstreamHost !== undefined) result.variables.set('proxy_host', upstreamHost);
    }
  }
  return result;
}

/**
 * What the request tells of nginx's variables (ngx_http_variables.c): a GET without a body, its
 * Host, and, for a ws:// or wss:// URL, the headers of a WebSocket handshake; for any other URL no
 * Upgrade or Connection header. Client headers beyond these, and the client's address, are unknown.
 */
function requestVariables(parsed: ParsedUrl, host: string | undefined, uri: { path: string; args: string }): Map<string, string> {
  const handshake = parsed.scheme === 'ws' || parsed.scheme === 'wss';
  const variables = new Map<string, string>([
    ['scheme', parsed.scheme === 'https' || parsed.scheme === 'wss' ? 'https' : 'http'],
    ['request_method', 'GET'],
    ['request_uri', showBytes(parsed.target)],
    ['uri', showBytes(uri.path)],
    ['args', uri.args],
    ['query_string', uri.args],
    ['is_args', uri.args ? '?' : ''],
    ['http_upgrade', handshake ? 'websocket' : ''],
    ['http_connection', handshake ? 'Upgrade' : ''],
  ]);
  if (parsed.host !== undefined && host !== undefined) {
    variables.set('http_host', parsed.host);
    variables.set('host', host);
  }
  return variables;
}

/** Names of the directives right in a block (server or location) that change the URI or answer. */
function changersIn(owner: Placed): string[] {
  return (owner.directive.block?.children ?? []).flatMap((child) => (child.kind === 'directive' && URI_CHANGERS.has(child.name.value) ? [child.name.value] : []));
}

/**
 * The routing model of the configuration a file belongs to: its main config's (the first that
 * includes it), else the file read on its own in the context it stands in.
 */
export function routingModelOf(file: ConfigFile, workspace: Workspace, top: Context): RoutingModel {
  return routingModel(configurationsOf(file, workspace, top)[0]);
}
