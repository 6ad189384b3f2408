import type { Directive, Word } from '../../../parser';
import { parseSize } from '../../knowledge/values';
import { routingModel } from '../../routing';
import { isWholeConfiguration, placedIn, placedNamed, type Configuration, type Placed } from './configuration';
import { treeOf } from './logFormats';
import { judgedAlone, type LoadProblem, type LoadRule } from './rule';

/**
 * ngx_cacheline_size, the default and the unit of the *_hash_bucket_size settings: 64 bytes on
 * x86-64 and most ARM64 CPUs (auto/cc/conf's NGX_CPU_CACHE_LINE, ngx_cpuinfo()).
 */
const CACHE_LINE = 64;
const POINTER = 8;

/**
 * ngx_hash_init() refuses a key whose element, NGX_HASH_ELT_SIZE() (a pointer and the key's length
 * plus 2, aligned to a pointer), and the bucket's end pointer do not fit in a bucket: with 64 bytes,
 * a key of 47 bytes or more.
 */
const fits = (key: string, bucket: number) => {
  const bytes = key.length * 3 < bucket ? key.length : new TextEncoder().encode(key).length;
  return POINTER + Math.ceil((bytes + 2) / POINTER) * POINTER + POINTER <= bucket;
};

/** A *_hash_bucket_size value as nginx uses it: ngx_parse_size(), aligned up to the cache line. */
function bucketOf(setting: Placed | undefined): number {
  const size = setting && parseSize(setting.directive.args[0]?.value ?? '');
  return size === undefined ? CACHE_LINE : Math.ceil(Number(size) / CACHE_LINE) * CACHE_LINE;
}

const message = (hash: string, bucket: number) => `could not build ${hash}, you should increase ${hash}_bucket_size: ${bucket}`;

/**
 * A server name or a map key too long for its hash's buckets: nginx refuses to start ("could not
 * build server_names_hash, you should increase server_names_hash_bucket_size: 64", naming no line).
 * The names hash of an address is built only when more than one server listens on it
 * (ngx_http_optimize_servers()); a map's keys always (ngx_http_map_block()). In a file read alone
 * the bucket size may be set at the http level outside it: there it is a warning.
 */
export const hashBucketSize: LoadRule = {
  id: 'hash-bucket-size',
  severity: 'error',
  description: 'A server name or map key too long for the hash nginx builds of them (could not build server_names_hash / map_hash: increase the *_hash_bucket_size).',
  check(configuration) {
    const problems = [...serverNameProblems(configuration), ...mapKeyProblems(configuration)];
    if (isWholeConfiguration(configuration)) return problems;
    return problems.map((problem) => judgedAlone(problem, 'a larger size set at the http level outside it'));
  },
};

/** The exact names of servers that share an address with another server (wildcards and regexes have hashes of their own). */
function serverNameProblems(configuration: Configuration): LoadProblem[] {
  const servers = routingModel(configuration).servers;
  const byAddress = new Map<string, Set<Placed>>();
  for (const server of servers) {
    for (const { address, port } of server.listens) {
      const key = `${address}:${port}`;
      byAddress.set(key, (byAddress.get(key) ?? new Set()).add(server.placed));
    }
  }
  const shared = new Set<Placed>();
  for (const group of byAddress.values()) if (group.size > 1) for (const server of group) shared.add(server);
  if (shared.size === 0) return [];
  const settings = placedNamed(configuration, 'server_names_hash_bucket_size').filter(isAtHttpLevel);
  const bucket = bucketOf(settings[0]);
  const problems: LoadProblem[] = [];
  for (const server of shared) {
    for (const placed of placedIn(configuration, server, 'server_name')) {
      for (const word of placed.directive.args) {
        if (!/^[~*.]|\*$/.test(word.value) && !fits(word.value, bucket)) problems.push({ at: placed, span: spanOf(word), message: message('server_names_hash', bucket) });
      }
    }
  }
  return problems;
}

const isAtHttpLevel = ({ context }: Placed) => context.kind === 'directives' && context.name === 'http';

/** Lines of a map that are no keys (ngx_http_map()). */
const NOT_KEYS = new Set(['default', 'hostnames', 'volatile', 'include']);

/** The exact keys of each map (a `hostnames` map's wildcards have hashes of their own), with map_hash_bucket_size as read before the map. */
function mapKeyProblems(configuration: Configuration): LoadProblem[] {
  const problems: LoadProblem[] = [];
  for (const map of placedNamed(configuration, 'map')) {
    const lines = (map.directive.block?.children ?? []).filter((line): line is Directive => line.kind === 'directive' && line.args.length === 1);
    if (!lines.some((line) => !fits(line.name.value, CACHE_LINE))) continue;
    // ngx_http_map_block() fixes the size at the first map: a setting read after it is not used.
    const tree = treeOf(map);
    const setting = placedNamed(configuration, 'map_hash_bucket_size').find((placed) => treeOf(placed) === tree && placed.order < map.order);
    const bucket = bucketOf(setting);
    const hostnames = map.directive.block!.children.some((line) => line.kind === 'directive' && line.name.value === 'hostnames' && line.args.length === 0);
    for (const line of lines) {
      const key = line.name.value.replace(/^\\/, '');
      if (NOT_KEYS.has(line.name.value) || key.startsWith('~') || (hostnames && /^[*.]|\*$/.test(key))) continue;
      if (!fits(key, bucket)) problems.push({ at: map, span: spanOf(line.name), message: message('map_hash', bucket) });
    }
  }
  return problems;
}

const spanOf = (word: Word) => ({ start: word.start, end: word.end });
