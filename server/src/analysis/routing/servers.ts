// Which server answers a request: the servers listening on the address and port the connection came
// to, then the one whose name matches the Host (ngx_http_request.c, ngx_http_validate_host(),
// ngx_http_find_virtual_server(); ngx_http.c, ngx_http_add_addrs() and ngx_http_server_names()).

import type { Listen, RouteServer, RoutingModel, ServerName } from './model';

export interface ServerChoice {
  server: RouteServer;
  /** How it was chosen: by a name (which), or as the default server of the address and port. */
  by: { name: ServerName } | { defaultOf: string };
  /** A regex name that could not be decided stood before the choice. */
  undecided?: ServerName;
}

/** ngx_http_validate_host(): the Host lowercased, without its port and a trailing dot; undefined when nginx answers 400. */
export function validateHost(host: string): string | undefined {
  let length = host.length;
  let literal = false;
  let dot = -2;
  for (let i = 0; i < host.length; i++) {
    const c = host[i];
    if (c === '.') {
      if (dot === i - 1) return undefined;
      dot = i;
    } else if (c === ':' && !literal && length === host.length) length = i;
    else if (c === '[' && i === 0) literal = true;
    else if (c === ']' && literal) {
      length = i + 1;
      literal = false;
    } else if (c === '/' || c <= ' ' || c === '\x7f') return undefined;
  }
  if (dot === length - 1) length--;
  return length > 0 ? host.slice(0, length).toLowerCase() : undefined;
}

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

/**
 * The listens that take a connection to `address`:`port`: those of that very address, else those
 * of the wildcard address of its family (ngx_http_add_addrs() gives each address its own servers).
 * Without an address (a host name in the URL), the wildcard's, else the first address's.
 */
function listensFor(model: RoutingModel, port: number, address?: string): Array<{ server: RouteServer; listen: Listen }> {
  const onPort = model.servers.flatMap((server) => server.listens.filter((listen) => listen.port === port).map((listen) => ({ server, listen })));
  const exact = onPort.filter(({ listen }) => address !== undefined && listen.address === address);
  if (exact.length > 0) return exact;
  const family = address?.includes(':') ? '::' : '0.0.0.0';
  const wildcard = onPort.filter(({ listen }) => listen.address === (address === undefined ? '0.0.0.0' : family));
  if (wildcard.length > 0 || address !== undefined) return wildcard;
  const first = onPort.find(({ listen }) => listen.address !== undefined && !WILDCARD_ADDRESSES.has(listen.address));
  return first ? onPort.filter(({ listen }) => listen.address === first.listen.address) : [];
}

/** The server for a host (validated) among those listening on the address and port, or undefined when none listens there. */
export function chooseServer(model: RoutingModel, port: number, host: string | undefined, address?: string): ServerChoice | undefined {
  const listens = listensFor(model, port, address);
  if (listens.length === 0) return undefined;
  const candidates = [...new Set(listens.map(({ server }) => server))];
  const chosen = host === undefined ? undefined : byName(candidates, host);
  if (chosen?.server) return { server: chosen.server, by: { name: chosen.name! }, ...(chosen.undecided && { undecided: chosen.undecided }) };
  const defaultListen = listens.find(({ listen }) => listen.defaultServer) ?? listens[0];
  const where = `${defaultListen.listen.address}:${port}`;
  return { server: defaultListen.server, by: { defaultOf: where }, ...(chosen?.undecided && { undecided: chosen.undecided }) };
}

/**
 * ngx_hash_find_combined() then the regexes: an exact name (the first server that has it: later
 * ones are "conflicting" and ignored), the longest leading wildcard (`*.example.com`,
 * `.example.com`), the longest trailing wildcard (`www.example.*`), then regexes in the order of
 * the servers and their names.
 */
function byName(servers: readonly RouteServer[], host: string): { server?: RouteServer; name?: ServerName; undecided?: ServerName } {
  const all = servers.flatMap((server) => server.names.map((name) => ({ server, name })));
  const exact = all.find(({ name }) => name.kind === 'exact' && name.name === host);
  if (exact) return exact;
  const longest = (kind: ServerName['kind'], matches: (name: string) => boolean) =>
    all.filter(({ name }) => name.kind === kind && matches(name.name)).sort((a, b) => b.name.name.length - a.name.name.length)[0];
  const leading = longest('leading', (name) => {
    const suffix = name.startsWith('*') ? name.slice(1) : name;
    return host.endsWith(suffix) && host.length > suffix.length || (name.startsWith('.') && host === name.slice(1));
  });
  if (leading) return leading;
  const trailing = longest('trailing', (name) => host.startsWith(name.slice(0, -1)) && host.length > name.length - 1);
  if (trailing) return trailing;
  for (const { server, name } of all) {
    if (name.kind !== 'regex') continue;
    if (!name.regex) return { undecided: name };
    if (name.regex.test(host)) return { server, name };
  }
  return {};
}
