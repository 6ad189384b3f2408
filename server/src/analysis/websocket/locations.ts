// Which locations proxy WebSocket traffic, and everything the WebSocket rules need about each.

import type { Directive } from '../../parser';
import type { TargetVersion } from '../knowledge/versions';
import type { DirectiveEntry } from '../directiveIndex';
import type { Inclusion } from '../fileContext';
import type { ConfigFile, Workspace } from '../workspace';
import { headerName, levelOf, levelsOutward, mapSources, Memo, named, type Level, type Placed } from './levels';

export interface WebSocketLocation {
  file: ConfigFile;
  workspace: Workspace;
  location: Directive;
  /** The location's level first, then the enclosing levels outwards (nested location, server, http). */
  levels: Level[];
  proxyPass: Placed;
  /** `map` targets (without `$`) to their source, across the configuration. */
  maps: Map<string, string>;
  graph: ReadonlyMap<string, Inclusion>;
  /** Shared by the locations of one analysis. */
  memo: Memo;
  /** The nginx release the configuration is judged for. */
  target: TargetVersion;
}

/** Path segments that plainly name a socket endpoint: /ws, /websocket, /socket.io, /sockjs, /cable, /hub. */
const SOCKET_SEGMENT = /^(?:wss?|websockets?|socket\.io|sockjs(?:-node)?|cable|hubs?)$/i;

export function pathNamesSocket(location: Directive): boolean {
  const path = location.args[location.args.length - 1]?.value ?? '';
  return path
    // Segments of a prefix, or of a regex's path and its alternatives: ~ ^/api/(ws|events)$
    .split(/[/|]/)
    .map((segment) => segment.replace(/\\(.)/g, '$1').replace(/^\^|\$$|[()?*+]/g, ''))
    .some((segment) => SOCKET_SEGMENT.test(segment));
}

/** An Upgrade header that forwards the client's upgrade request: any non-empty value ($http_upgrade). */
export const upgradeHeaderForwards = (header: Placed) => (header.directive.args[1]?.value ?? '') !== '';

/**
 * A `Connection` header value that keeps the upgrade: the "upgrade" token, or a variable mapped from
 * $http_upgrade (the idiom of the ngx_http_proxy_module docs). An empty value sends no header, and
 * "close" or $http_upgrade itself ("websocket" is no Connection token) break the handshake.
 */
export function connectionValueUpgrades(value: string, maps: ReadonlyMap<string, string>): boolean {
  const variable = /^\$\{?(\w+)\}?$/.exec(value)?.[1]?.toLowerCase();
  if (!variable) return /\bupgrade\b/i.test(value);
  if (variable === 'http_upgrade') return false;
  const source = maps.get(variable);
  // A variable defined nowhere we can see ($http_connection forwards the client's own
  // "Connection: Upgrade"): trust it rather than warn falsely.
  return source === undefined || source.toLowerCase() === '$http_upgrade';
}

export const connectionHeaderUpgrades = (maps: ReadonlyMap<string, string>) => (header: Placed) =>
  connectionValueUpgrades(header.directive.args[1]?.value ?? '', maps);

/** True when some level asks for an upgrade: an Upgrade header, or a Connection header that upgrades. */
function forwardsUpgrade(levels: readonly Level[]): boolean {
  return levels.some((level) =>
    named(level, 'proxy_set_header').some((header) => {
      const name = headerName(header);
      const value = header.directive.args[1]?.value ?? '';
      return name === 'upgrade' || (name === 'connection' && /upgrade/i.test(value));
    }),
  );
}

export function webSocketLocations(
  file: ConfigFile,
  workspace: Workspace,
  graph: ReadonlyMap<string, Inclusion>,
  entries: readonly DirectiveEntry[],
): WebSocketLocation[] {
  const found: WebSocketLocation[] = [];
  let maps: Map<string, string> | undefined;
  const memo = new Memo();
  for (const entry of entries) {
    const location = entry.directive;
    if (location.name.value !== 'location' || !location.block) continue;
    const proxyPass = named(levelOf(workspace, file.path, location, memo), 'proxy_pass')[0];
    if (!proxyPass) continue;
    maps ??= mapSources(workspace, [file.path, ...graph.keys()]);
    const chain: Directive[] = [];
    for (let e: DirectiveEntry | undefined = entry; e; e = e.parent) chain.unshift(e.directive);
    const levels = levelsOutward(workspace, graph, file.path, chain, memo);
    if (!forwardsUpgrade(levels) && !pathNamesSocket(location)) continue;
    found.push({ file, workspace, location, levels, proxyPass, maps, graph, memo, target: entry.target });
  }
  return found;
}
