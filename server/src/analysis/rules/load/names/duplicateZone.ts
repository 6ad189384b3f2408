import { statementSpan } from '../../../../parser';
import { parseSize, zoneParameter } from '../../../knowledge/values';
import { placedNamed, type Configuration, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/** A shared memory zone as one directive names it: the zone, its size (0: none given), the owner module (nginx's tag). */
interface ZoneUse {
  name: string;
  size: bigint;
  tag: string;
  /** For a zone's definition: what nginx says of a second one with the same tag (none: a second one shares the zone). */
  again?: (first: Placed) => string;
}

const CACHE_MODULES = ['proxy', 'fastcgi', 'scgi', 'uwsgi'];

/** The first word that names a zone with a size nginx reads (`zone=NAME:SIZE`, `keys_zone=`, `shared:`). */
function sized(args: readonly string[], prefix: string): { name: string; size: bigint } | undefined {
  for (const arg of args) {
    const zone = zoneParameter(arg, prefix);
    if (zone?.size !== undefined) return { name: zone.name, size: zone.size };
  }
  return undefined;
}

const familyOf = ({ context }: Placed) => (context.kind === 'directives' ? context.family : undefined);

/**
 * The zone a directive names, as its handler hands it to ngx_shared_memory_add(): limit_req_zone,
 * limit_conn_zone, *_cache_path keys_zone=, an upstream's `zone`, ssl_session_cache shared:, and the
 * limit_req, limit_conn and *_cache that use a zone by name.
 */
function zoneUseOf(placed: Placed): ZoneUse | undefined {
  const { directive } = placed;
  const args = directive.args.map((arg) => arg.value);
  const family = familyOf(placed);
  const name = directive.name.value;
  if (name === 'limit_req_zone' || name === 'limit_conn_zone') {
    const zone = sized(args, 'zone=');
    // ngx_http_limit_req_zone() and the limit_conn twins: a second definition is "already bound".
    return zone && { ...zone, tag: `${family} ${name}`, again: (first) => `${name} "${zone.name}" is already bound to key "${first.directive.args[0]?.value ?? ''}"` };
  }
  if (name === 'limit_req' || name === 'limit_conn') {
    const zone = name === 'limit_req' ? args.find((arg) => arg.startsWith('zone='))?.slice('zone='.length) : args[0];
    return zone && !zone.includes('$') ? { name: zone, size: 0n, tag: `${family} ${name}_zone` } : undefined;
  }
  const cache = /^(\w+)_cache(_path)?$/.exec(name);
  if (cache && CACHE_MODULES.includes(cache[1]) && family === 'http') {
    if (!cache[2]) return args[0] && args[0] !== 'off' && !args[0].includes('$') ? { name: args[0], size: 0n, tag: cache[1] } : undefined;
    const zone = sized(args, 'keys_zone=');
    // ngx_http_file_cache_set_slot(): a zone that a cache path already has.
    return zone && { ...zone, tag: cache[1], again: () => `duplicate zone "${zone.name}"` };
  }
  if (name === 'zone' && placed.parent?.directive.name.value === 'upstream' && args[0]) {
    // Upstreams may share a zone (ngx_http_upstream_zone()).
    return { name: args[0], size: (args[1] === undefined ? undefined : parseSize(args[1])) ?? 0n, tag: `${family} upstream` };
  }
  if (name === 'ssl_session_cache') {
    const zone = sized(args, 'shared:');
    return zone && { ...zone, tag: `${family} ssl` };
  }
  return undefined;
}

const ZONE_DIRECTIVES = ['limit_req_zone', 'limit_conn_zone', 'limit_req', 'limit_conn', 'zone', 'ssl_session_cache',
  ...CACHE_MODULES.flatMap((module) => [`${module}_cache_path`, `${module}_cache`])];

/**
 * Shared memory zones are the cycle's, by name: ngx_shared_memory_add() (src/core/ngx_cycle.c)
 * refuses a name another module's directive took ("already declared for a different use", as
 * `ssl_session_cache shared:SSL:10m` in http and in stream) and a second size; the defining
 * modules refuse a second definition. nginx names the later directive.
 */
export const duplicateZone: LoadRule = {
  id: 'duplicate-zone',
  severity: 'error',
  description: 'A shared memory zone defined twice, with two sizes, or by two modules (limit_req_zone, limit_conn_zone, *_cache_path keys_zone=, ssl_session_cache shared:, upstream zone).',
  check(configuration: Configuration) {
    const problems: LoadProblem[] = [];
    const zones = new Map<string, { tag: string; size: bigint; definition?: Placed }>();
    for (const placed of placedNamed(configuration, ...ZONE_DIRECTIVES)) {
      const use = zoneUseOf(placed);
      if (!use) continue;
      const known = zones.get(use.name);
      const problem = (message: string) => problems.push({ at: placed, span: statementSpan(placed.directive), message });
      if (!known) {
        zones.set(use.name, { tag: use.tag, size: use.size, definition: use.again && placed });
      } else if (known.tag !== use.tag) {
        problem(`the shared memory zone "${use.name}" is already declared for a different use`);
      } else if (use.size !== 0n && known.size !== 0n && use.size !== known.size) {
        problem(`the size ${use.size} of shared memory zone "${use.name}" conflicts with already declared size ${known.size}`);
      } else {
        if (known.size === 0n) known.size = use.size;
        if (use.again && known.definition) problem(use.again(known.definition));
        else if (use.again) known.definition = placed;
      }
    }
    return problems;
  },
};
