// ngx_hash_init() (src/core/ngx_hash.c) on a 64-bit build: how nginx lays out the exact keys of a
// hash (server names, map keys) in buckets, and what it says when they do not fit.

/**
 * ngx_cacheline_size, the default and the unit of the *_hash_bucket_size settings: 64 bytes on
 * x86-64 and most ARM64 CPUs (auto/cc/conf's NGX_CPU_CACHE_LINE, ngx_cpuinfo()).
 */
export const CACHE_LINE = 64;
const POINTER = 8;
/** What one bucket may hold at most (ngx_hash_init(): `65536 - ngx_cacheline_size`). */
const LARGEST_BUCKET = 65536 - CACHE_LINE;
/** Larger max sizes are not judged: nginx searches sizes up to it, and we would allocate as much. */
const LARGEST_JUDGED_MAX_SIZE = 1 << 22;

const align = (bytes: number) => Math.ceil(bytes / POINTER) * POINTER;
/** NGX_HASH_ELT_SIZE(): the value pointer, the key's length (2 bytes) and its bytes, pointer-aligned. */
const elementSize = (keyBytes: Uint8Array) => POINTER + align(keyBytes.length + 2);

const encoder = new TextEncoder();
const bytesOf = (key: string) => encoder.encode(key);

/** Whether a key's element and the bucket's end pointer fit in a bucket of `bucketSize` bytes. */
export const fitsBucket = (key: string, bucketSize: number) => elementSize(bytesOf(key)) + POINTER <= bucketSize;

/** A *_hash_bucket_size value as nginx uses it: aligned up to the cache line (undefined: the default). */
export const bucketSizeOf = (value: number | undefined) => (value === undefined ? CACHE_LINE : Math.ceil(value / CACHE_LINE) * CACHE_LINE);

/**
 * What ngx_hash_init() says of the exact keys (lowercased, without duplicates, in nginx's order):
 * `bucket` when a key alone is too long for a bucket ("could not build X, you should increase
 * X_bucket_size"), `max` when no size up to max_size keeps each bucket within bucket_size and, at
 * max_size, a bucket would pass 64 KB ("... increase X_max_size"), `optimal` when no size up to
 * max_size keeps each bucket within bucket_size (a warning: "could not build optimal X ...;
 * ignoring X_bucket_size"), undefined when the hash is built as asked or we cannot tell.
 */
export function hashProblem(keys: readonly string[], maxSize: number, bucketSize: number): 'bucket' | 'max' | 'optimal' | undefined {
  const bytes = keys.map(bytesOf);
  if (bytes.some((key) => elementSize(key) + POINTER > bucketSize)) return 'bucket';
  if (maxSize === 0 || maxSize > LARGEST_JUDGED_MAX_SIZE || bucketSize > LARGEST_BUCKET) return undefined;
  const sizes = bytes.map(elementSize);
  const hashes = bytes.map(keyHash);
  const room = bucketSize - POINTER;
  let start = Math.floor(keys.length / Math.floor(room / (2 * POINTER))) || 1;
  if (maxSize > 10000 && keys.length && Math.floor(maxSize / keys.length) < 100) start = maxSize - 1000;
  const filled = new Uint32Array(maxSize);
  for (let size = start; size <= maxSize; size++) {
    if (fillsWithin(hashes, sizes, size, filled, room)) return undefined;
  }
  // ngx_hash_init() then takes max_size whatever the buckets hold, up to 64 KB each.
  return fillsWithin(hashes, sizes, maxSize, filled, LARGEST_BUCKET - POINTER) ? 'optimal' : 'max';
}

/** Whether, with `size` buckets, no bucket's elements pass `room` bytes. */
function fillsWithin(hashes: readonly KeyHash[], sizes: readonly number[], size: number, filled: Uint32Array, room: number): boolean {
  filled.fill(0, 0, size);
  const wrap = 2 ** 32 % size;
  for (let index = 0; index < hashes.length; index++) {
    const { high, low } = hashes[index];
    const bucket = ((high % size) * wrap + low) % size;
    const bytes = filled[bucket] + sizes[index];
    if (bytes > room) return false;
    filled[bucket] = bytes;
  }
  return true;
}

interface KeyHash {
  high: number;
  low: number;
}

/** ngx_hash_key(): `key = key * 31 + byte` over the key's bytes, in a 64-bit unsigned integer (two 32-bit halves). */
function keyHash(key: Uint8Array): KeyHash {
  let high = 0;
  let low = 0;
  for (const byte of key) {
    const lowTimes31 = low * 31 + byte;
    const carry = Math.floor(lowTimes31 / 2 ** 32);
    low = lowTimes31 % 2 ** 32;
    high = (high * 31 + carry) % 2 ** 32;
  }
  return { high, low };
}
