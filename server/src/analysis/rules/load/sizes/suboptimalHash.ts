import { hashesOf } from './hashes';
import { isWholeConfiguration } from '../configuration';
import type { LoadRule } from '../rule';

/**
 * Server names of an address or map keys that no hash of at most *_hash_max_size buckets holds
 * within *_hash_bucket_size: nginx warns "could not build optimal server_names_hash, you should
 * increase either server_names_hash_max_size: 512 or server_names_hash_bucket_size: 64; ignoring
 * server_names_hash_bucket_size" (naming no line) and uses larger buckets (ngx_hash_init()). Said
 * only of a whole configuration: a file read alone may have larger sizes set outside it.
 */
export const suboptimalHash: LoadRule = {
  id: 'suboptimal-hash',
  severity: 'information',
  description: 'Server names or map keys that the hash nginx builds of them does not hold within its bucket size: nginx warns "could not build optimal server_names_hash" and ignores the bucket size.',
  check(configuration) {
    if (!isWholeConfiguration(configuration)) return [];
    return hashesOf(configuration)
      .filter(({ problem }) => problem === 'optimal')
      .map(({ name, maxSize, bucketSize, at, span }) => ({
        at, span,
        message: `could not build optimal ${name}, you should increase either ${name}_max_size: ${maxSize} or ${name}_bucket_size: ${bucketSize}; ignoring ${name}_bucket_size`,
      }));
  },
};
