// The hashes nginx builds of a configuration's exact server names and map keys, and what
// ngx_hash_init() says of each (knowledge/hashes.ts): shared by hash-bucket-size (what nginx refuses)
// and suboptimal-hash (what it warns of).

import type { Directive, Span, Word } from '../../../../parser';
import { bucketSizeOf, fitsBucket, hashProblem } from '../../../knowledge/hashes';
import { routingModel } from '../../../routing';
import { placedIn, placedNamed, treeOf, type Configuration, type Placed } from '../configuration';

export interface BuiltHash {
  /** `server_names_hash` or `map_hash`, as nginx names it and its settings. */
  name: string;
  maxSize: number;
  bucketSize: number;
  problem: ReturnType<typeof hashProblem>;
  /** The keys too long for a bucket, where nginx's message points. */
  tooLong: Array<{ at: Placed; span: Span }>;
  /** Where a problem of the whole hash is shown: the map, or the longest server_name of the address. */
  at: Placed;
  span: Span;
}

const kept = new WeakMap<Configuration, BuiltHash[]>();

/** The hashes of the configuration's exact server names (an address's) and map keys (a map's). */
export function hashesOf(configuration: Configuration): BuiltHash[] {
  let hashes = kept.get(configuration);
  if (!hashes) kept.set(configuration, (hashes = [...serverNameHashes(configuration), ...mapHashes(configuration)]));
  return hashes;
}

const DEFAULT_SERVER_NAMES_MAX_SIZE = 512;
const DEFAULT_MAP_MAX_SIZE = 2048;

interface Key {
  key: string;
  at: Placed;
  word: Word;
}

const sharedKept = new WeakMap<Configuration, Map<string, Placed[]>>();

/**
 * The addresses more than one http server listens on, as nginx prints them (`0.0.0.0:80`,
 * `[::]:80`, `unix:/run/a.sock`), with their servers in reading order: ngx_http_optimize_servers()
 * builds names (ngx_http_server_names()) only for these. A host name nginx resolves at load is no
 * address we know.
 */
export function sharedAddresses(configuration: Configuration): Map<string, Placed[]> {
  let shared = sharedKept.get(configuration);
  if (shared) return shared;
  const byAddress = new Map<string, Placed[]>();
  for (const server of routingModel(configuration).servers) {
    for (const { address, port } of server.listens) {
      if (address === undefined) continue;
      const where = Number.isNaN(port) ? address : `${address.includes(':') ? `[${address}]` : address}:${port}`;
      const servers = byAddress.get(where);
      if (!servers) byAddress.set(where, [server.placed]);
      else if (servers[servers.length - 1] !== server.placed) servers.push(server.placed);
    }
  }
  shared = new Map([...byAddress].filter(([, servers]) => servers.length > 1));
  sharedKept.set(configuration, shared);
  return shared;
}

/**
 * The names hash of each shared address: ngx_http_server_names() adds each server's names in order,
 * a name already added (or a `.example.com` covering it) once only. `$hostname` stands for a name we
 * cannot know.
 */
function serverNameHashes(configuration: Configuration): BuiltHash[] {
  const httpLevel = (name: string) => placedNamed(configuration, name).find(isAtHttpLevel);
  const bucketSize = bucketSizeOf(numberOf(httpLevel('server_names_hash_bucket_size')));
  const maxSize = numberOf(httpLevel('server_names_hash_max_size')) ?? DEFAULT_SERVER_NAMES_MAX_SIZE;
  const hashes: BuiltHash[] = [];
  const judged = new Set<string>();
  for (const servers of sharedAddresses(configuration).values()) {
    // Two addresses of the same servers build the same hash: it is judged once.
    const identity = servers.map((server) => server.order).join(',');
    if (judged.has(identity)) continue;
    judged.add(identity);
    const keys: string[] = [];
    const spots: Key[] = [];
    const added = new Set<string>();
    const add = (key: string, spot?: Key) => {
      if (added.has(key)) return;
      added.add(key);
      keys.push(key);
      if (spot) spots.push(spot);
    };
    let unknowable = false;
    const serverNames = servers.map((server) => placedIn(configuration, server, 'server_name'));
    for (const names of serverNames) {
      // ngx_http_core_merge_srv_conf(): a server without server_name has the name "".
      if (names.length === 0) add('');
      for (const at of names) {
        for (const word of at.directive.args) {
          const key = word.value.toLowerCase();
          if (key.includes('$')) unknowable = true;
          // ngx_hash_add_key(): `.example.com` also stands for example.com, in another hash.
          if (key.startsWith('.') && key.length > 1) added.add(key.slice(1));
          else if (!key.startsWith('~') && !key.startsWith('*') && !key.endsWith('*')) add(key, { key, at, word });
        }
      }
    }
    const longest = serverNames.flat().sort((a, b) => b.directive.args.length - a.directive.args.length)[0];
    const hash = built('server_names_hash', keys, spots, maxSize, bucketSize, longest ?? servers[0]);
    // Where a name is the machine's, only a name too long alone is known to fail.
    if (!unknowable || hash.problem === 'bucket') hashes.push(hash);
  }
  return hashes;
}

const isAtHttpLevel = ({ context }: Placed) => context.kind === 'directives' && context.name === 'http';

/** Lines of a map that are no keys (ngx_http_map()). */
const NOT_KEYS = new Set(['default', 'hostnames', 'volatile', 'include']);

/**
 * ngx_http_map(): a key's leading `\` is dropped, `~` keys are regexes; in a `hostnames` map the
 * wildcards have hashes of their own. ngx_http_map_block() fixes the settings at the first map:
 * those read after it are not used.
 */
function mapHashes(configuration: Configuration): BuiltHash[] {
  const hashes: BuiltHash[] = [];
  for (const map of placedNamed(configuration, 'map')) {
    const block = map.directive.block;
    if (!block) continue;
    const lines = block.children.filter((line): line is Directive => line.kind === 'directive' && line.args.length === 1);
    const hostnames = block.children.some((line) => line.kind === 'directive' && line.name.value === 'hostnames' && line.args.length === 0);
    const spots: Key[] = [];
    for (const line of lines) {
      const key = line.name.value.replace(/^\\/, '').toLowerCase();
      if (NOT_KEYS.has(line.name.value) || key.startsWith('~') || (hostnames && /^[*.]|\*$/.test(key))) continue;
      spots.push({ key, at: map, word: line.name });
    }
    const tree = treeOf(map);
    const readBefore = (name: string) => placedNamed(configuration, name).find((placed) => treeOf(placed) === tree && placed.order < map.order);
    const bucketSize = bucketSizeOf(numberOf(readBefore('map_hash_bucket_size')));
    const maxSize = numberOf(readBefore('map_hash_max_size')) ?? DEFAULT_MAP_MAX_SIZE;
    hashes.push(built('map_hash', spots.map(({ key }) => key), spots, maxSize, bucketSize, map));
  }
  return hashes;
}

function built(name: string, keys: string[], spots: readonly Key[], maxSize: number, bucketSize: number, at: Placed): BuiltHash {
  const problem = hashProblem(keys, maxSize, bucketSize);
  const tooLong = problem === 'bucket' ? spots.filter(({ key }) => !fitsBucket(key, bucketSize)).map(({ at, word }) => ({ at, span: spanOf(word) })) : [];
  return { name, maxSize, bucketSize, problem, tooLong, at, span: spanOf(at.directive.name) };
}

/** A *_hash_* setting's number (ngx_conf_set_num_slot()); undefined when unset or not a number. */
function numberOf(setting: Placed | undefined): number | undefined {
  const text = setting?.directive.args[0]?.value;
  return text && /^[0-9]+$/.test(text) ? Number(text) : undefined;
}

const spanOf = (word: Word) => ({ start: word.start, end: word.end });
