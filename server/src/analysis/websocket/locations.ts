// Which locations proxy WebSocket traffic, and everything the WebSocket rules need about each.

import type { Directive } from '../../parser';
import type { TargetVersion } from '../knowledge/versions';
import type { DirectiveEntry } from '../directiveIndex';
import type { Inclusion } from '../fileContext';
import type { ConfigFile, Workspace } from '../workspace';
import { mapsAround, possibleValues, variableName, type MapDefinition } from '../headers';
import { evaluate } from '../headers/evaluate';
import { headerName } from './headerStatus';
import { entryLevels, levelOf, named, type Level, type Memo, type Placed } from './levels';

/** A location that proxies (proxy_pass), and everything the rules need about it. */
export interface WebSocketLocation {
  file: ConfigFile;
  workspace: Workspace;
  location: Directive;
  /** The location's level first, then the enclosing levels outwards (nested location, server, http). */
  levels: Level[];
  proxyPass: Placed;
  /** The configuration's `map` definitions by target variable. */
  maps: Map<string, MapDefinition>;
  graph: ReadonlyMap<string, Inclusion>;
  /** Shared by the locations of one analysis. */
  memo: Memo;
  /** The nginx release the configuration is judged for. */
  target: TargetVersion;
}

/**
 * Path segments that plainly name a socket endpoint: /ws, /websocket, /socket.io, /sockjs, /cable,
 * /hub, Phoenix's and Jellyfin's /socket, noVNC's /websockify, Next.js's /_next/webpack-hmr.
 */
const SOCKET_SEGMENT = /^(?:wss?|websockets?|websockify|sockets?|socket\.io|sockjs(?:-node)?|cable|hubs?|webpack-hmr)$/i;

/**
 * The location's path ends in a socket segment: its last segment that is a name, not a pattern
 * (`^/ws/.*` ends in `ws`; `/notifications/hub/negotiate` is plain HTTP under a hub). A regex's
 * alternatives count each: `~ ^/api/(ws|events)$`.
 */
export function pathNamesSocket(location: Directive): boolean {
  const path = location.args[location.args.length - 1]?.value ?? '';
  let socket = socketPaths.get(path);
  if (socket === undefined) {
    // The same few paths recur in every server (`/ws/`, `/api/`): each is read once.
    if (socketPaths.size >= MAX_SOCKET_PATHS) socketPaths.clear();
    socketPaths.set(path, (socket = lastNameIsSocket(path)));
  }
  return socket;
}

const socketPaths = new Map<string, boolean>();
const MAX_SOCKET_PATHS = 10_000;

function lastNameIsSocket(path: string): boolean {
  // A named location (`@ws`, the target of try_files or error_page) is named by its word.
  const names = path
    .replace(/^@/, '')
    .split('/')
    .map((segment) => segment.replace(/\\(.)/g, '$1').replace(/^\^|\$$|[()?*+]|\.\*|\[[^\]]*\]/g, ''))
    .filter((segment) => /\w/.test(segment));
  // SignalR's hubs are /hubs/NAME.
  if (names.length >= 2 && /^hubs$/i.test(names[names.length - 2])) return true;
  return (names[names.length - 1] ?? '').split('|').some((segment) => SOCKET_SEGMENT.test(segment));
}

/** The variables of a browser's WebSocket handshake (RFC 6455, 4.1) that header values and maps read. */
const HANDSHAKE: ReadonlyMap<string, string> = new Map([['http_upgrade', 'websocket'], ['http_connection', 'Upgrade']]);

/** The value a header takes for a WebSocket handshake; undefined when it reads what the handshake does not tell. */
export function handshakeValue(value: string, maps: ReadonlyMap<string, MapDefinition>): string | undefined {
  // Asked for the headers of every WebSocket location, about a few values: kept per maps, as possibleValues() keeps its own.
  let byValue = handshakeByMaps.get(maps);
  if (!byValue) handshakeByMaps.set(maps, (byValue = new Map()));
  if (!byValue.has(value)) byValue.set(value, evaluate(value, HANDSHAKE, maps));
  return byValue.get(value);
}

const handshakeByMaps = new WeakMap<ReadonlyMap<string, MapDefinition>, Map<string, string | undefined>>();

/**
 * An Upgrade value that forwards the upgrade: "websocket" for the handshake when its variables tell
 * the value; else non-empty for some request (or unknown, then trusted).
 */
export function upgradeValueForwards(value: string, maps: ReadonlyMap<string, MapDefinition>): boolean {
  const handshake = handshakeValue(value, maps);
  if (handshake !== undefined) return /\bwebsocket\b/i.test(handshake);
  const values = possibleValues(value, maps);
  return !values || values.some((possible) => possible.value !== '');
}

export const upgradeHeaderForwards = (maps: ReadonlyMap<string, MapDefinition>) => (header: Placed) =>
  upgradeValueForwards(header.directive.args[1]?.value ?? '', maps);

/**
 * A `Connection` value that keeps the upgrade: the "upgrade" token for the handshake when its
 * variables tell the value (a map from $http_upgrade is looked up as nginx does); else for some
 * request, once maps are followed: the "upgrade" token, or `$http_connection` (the client's own
 * "Connection: Upgrade"). An empty value sends no header, "close" breaks the handshake, and
 * $http_upgrade ("websocket") is no Connection token. Another variable is not known before run
 * time: trusted rather than warned about falsely.
 */
export function connectionValueUpgrades(value: string, maps: ReadonlyMap<string, MapDefinition>): boolean {
  const handshake = handshakeValue(value, maps);
  if (handshake !== undefined) return /\bupgrade\b/i.test(handshake);
  const values = possibleValues(value, maps);
  return !values || values.some(({ value: possible }) => {
    if (variableName(possible) === 'http_upgrade') return false;
    return /\bupgrade\b/i.test(possible) || possible.includes('$');
  });
}

export const connectionHeaderUpgrades = (maps: ReadonlyMap<string, MapDefinition>) => (header: Placed) =>
  connectionValueUpgrades(header.directive.args[1]?.value ?? '', maps);

/** True when some level asks for an upgrade: an Upgrade header, or a Connection header that upgrades. */
function forwardsUpgrade(levels: readonly Level[], maps: ReadonlyMap<string, MapDefinition>): boolean {
  return levels.some((level) =>
    named(level, 'proxy_set_header').some((header) => {
      const name = headerName(header);
      const value = header.directive.args[1]?.value ?? '';
      if (name === 'upgrade') return true;
      // Evidence only: a variable we cannot follow proves nothing here.
      const variable = variableName(value) ?? '';
      return name === 'connection' && (/upgrade/i.test(value) || variable === 'http_connection' || (maps.has(variable) && connectionValueUpgrades(value, maps)));
    }),
  );
}

/** Every location of the file that proxies with proxy_pass, with what the rules need about it. */
export function proxiedLocations(
  file: ConfigFile,
  workspace: Workspace,
  graph: ReadonlyMap<string, Inclusion>,
  entries: readonly DirectiveEntry[],
  memo: Memo,
): WebSocketLocation[] {
  const found: WebSocketLocation[] = [];
  let maps: Map<string, MapDefinition> | undefined;
  // Indexed: see locationsByServer() (websocket/index.ts).
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const location = entry.directive;
    if (location.name.value !== 'location' || !location.block) continue;
    const proxyPass = named(levelOf(workspace, file.path, location, memo), 'proxy_pass')[0];
    if (!proxyPass) continue;
    maps ??= mapsAround(workspace, file.path, graph);
    const levels = entryLevels(workspace, graph, file.path, entry, memo);
    found.push({ file, workspace, location, levels, proxyPass, maps, graph, memo, target: entry.target });
  }
  return found;
}

/** A proxied location that carries WebSocket traffic: it forwards an upgrade, or its path names a socket. */
export const isWebSocketLocation = (ws: WebSocketLocation) => forwardsUpgrade(ws.levels, ws.maps) || pathNamesSocket(ws.location);
