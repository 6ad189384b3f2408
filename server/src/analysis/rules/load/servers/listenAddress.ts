// The address a `listen` binds, as nginx prints it (ngx_sock_ntop() with the port): `0.0.0.0:80`,
// `[::]:8080`, `unix:/run/a.sock`. Two listens bind the same socket when these texts are equal.

import type { Directive } from '../../../../parser';
import { IPV4 } from '../../../knowledge/addresses';
import { directiveSpecs, untakenParameter } from '../../../knowledge/directives';
import type { TargetVersion } from '../../../knowledge/versions';
import { placedNamed, type Configuration, type Placed } from '../configuration';

/** ngx_http_core_listen() sets `u.default_port = 80`. */
const DEFAULT_PORT = 80;
const PORT = /^\d{1,5}$/;

/**
 * The address text of `listen ADDRESS ...`, or undefined for a host name (nginx resolves it: we do
 * not know where it points) or a malformed address (another error).
 */
export function listenAddress(address: string): string | undefined {
  if (address.startsWith('unix:')) return address;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    const rest = address.slice(close + 1);
    if (close < 0 || (rest !== '' && !(rest.startsWith(':') && PORT.test(rest.slice(1))))) return undefined;
    try {
      // The URL parser writes an IPv6 address in the compressed form that ngx_sock_ntop() prints.
      const host = new URL(`http://${address.slice(0, close + 1)}/`).hostname;
      return `${host}:${rest === '' ? DEFAULT_PORT : Number(rest.slice(1))}`;
    } catch {
      return undefined;
    }
  }
  if (PORT.test(address)) return `0.0.0.0:${Number(address)}`;
  const colon = address.lastIndexOf(':');
  const host = colon < 0 ? address : address.slice(0, colon);
  const port = colon < 0 ? String(DEFAULT_PORT) : address.slice(colon + 1);
  if (!PORT.test(port)) return undefined;
  if (host === '*') return `0.0.0.0:${Number(port)}`;
  return IPV4.test(host) ? `${host}:${Number(port)}` : undefined;
}

/** `default` is the older spelling that nginx 1.22 still takes (ngx_http_core_listen()). */
const DEFAULT_SERVER_PARAMETERS = new Set(['default_server', 'default']);

/** A `listen ... ssl`: the parameter after the address. */
export const isSslListen = (listen: Placed) => listen.directive.args.some((arg, i) => i > 0 && arg.value === 'ssl');

/** The listen makes its server the default server of its address. */
export const isDefaultServerListen = (listen: Placed) => listen.directive.args.slice(1).some((arg) => DEFAULT_SERVER_PARAMETERS.has(arg.value));

export interface ServerListen {
  placed: Placed;
  /** As nginx prints it: `0.0.0.0:443`. */
  address: string;
  /** The socket bound: the address, over UDP for `quic` (http) or `udp` (stream), a socket of its own (ngx_http_add_addresses() compares opt.quic). */
  socket: string;
  server: Placed | undefined;
  /** The same server's earlier listen of the socket: nginx's "a duplicate listen" (ngx_http_add_server()), where it stops. */
  earlier?: Placed;
}

export type ListenFamily = 'http' | 'stream' | 'mail';

const listensKept = new WeakMap<Configuration, Map<string, readonly ServerListen[]>>();

/**
 * The `listen` directives of the http, stream or mail servers that nginx at the target takes, with
 * their address texts, in reading order (read once per configuration: several rules ask).
 */
export function serverListens(configuration: Configuration, family: ListenFamily, target: TargetVersion): readonly ServerListen[] {
  let byFamily = listensKept.get(configuration);
  if (!byFamily) listensKept.set(configuration, (byFamily = new Map()));
  const key = `${family} ${target.label}`;
  let listens = byFamily.get(key);
  if (!listens) byFamily.set(key, (listens = readServerListens(configuration, family, target)));
  return listens;
}

function readServerListens(configuration: Configuration, family: ListenFamily, target: TargetVersion): ServerListen[] {
  const found: ServerListen[] = [];
  /** Per socket, the first listen of each server on it. */
  const listeners = new Map<string, Map<Placed | undefined, Placed>>();
  const overUdp = family === 'http' ? 'quic' : 'udp';
  const forms = directiveSpecs('listen', target).filter((spec) => spec.family === family && spec.parameters);
  // A parameter the handler does not take makes nginx refuse the listen (another finding): it binds nothing.
  const refused = (directive: Directive) => forms.length > 0 && forms.every((spec) => untakenParameter(spec, directive.args) !== undefined);
  for (const placed of placedNamed(configuration, 'listen')) {
    const { directive, context } = placed;
    if (directive.args.length === 0) continue;
    if (context.kind !== 'directives' || context.family !== family || context.name !== 'server') continue;
    if (refused(directive)) continue;
    const address = listenAddress(directive.args[0].value);
    if (!address) continue;
    const socket = directive.args.some((arg) => arg.value === overUdp) ? `${address} udp` : address;
    let servers = listeners.get(socket);
    if (!servers) listeners.set(socket, (servers = new Map()));
    const earlier = servers.get(placed.parent);
    if (!earlier) servers.set(placed.parent, placed);
    found.push({ placed, address, socket, server: placed.parent, ...(earlier && { earlier }) });
  }
  return found;
}
