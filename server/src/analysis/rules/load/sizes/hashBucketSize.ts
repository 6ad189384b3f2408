import { hashesOf } from './hashes';
import { isWholeConfiguration } from '../configuration';
import { judgedAlone, type LoadProblem, type LoadRule } from '../rule';

/**
 * A server name or a map key too long for its hash's buckets, or too many for its largest size:
 * nginx refuses to start ("could not build server_names_hash, you should increase
 * server_names_hash_bucket_size: 64", naming no line; ngx_hash_init()). In a file read alone the
 * settings may be made at the http level outside it: there it is a warning.
 */
export const hashBucketSize: LoadRule = {
  id: 'hash-bucket-size',
  severity: 'error',
  description: 'A server name or map key too long for the hash nginx builds of them, or too many (could not build server_names_hash / map_hash: increase the *_hash_bucket_size or *_hash_max_size).',
  check(configuration) {
    const problems: LoadProblem[] = [];
    for (const { name, problem, tooLong, bucketSize, maxSize, at, span } of hashesOf(configuration)) {
      if (problem === 'bucket') problems.push(...tooLong.map(({ at, span }) => ({ at, span, message: `could not build ${name}, you should increase ${name}_bucket_size: ${bucketSize}` })));
      if (problem === 'max') problems.push({ at, span, message: `could not build ${name}, you should increase ${name}_max_size: ${maxSize}` });
    }
    if (isWholeConfiguration(configuration)) return problems;
    return problems.map((problem) => judgedAlone(problem, 'a larger size set at the http level outside it'));
  },
};
