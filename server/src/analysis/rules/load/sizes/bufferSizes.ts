import { statementSpan } from '../../../../parser';
import { parseSize } from '../../../knowledge/values';
import { placedIn, placedNamed, type Configuration, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/** ngx_pagesize of x86-64 and arm64 Linux: the default *_buffer_size, and the size of each of the 8 default *_buffers. */
const PAGE_SIZE = 4096n;
/** The default *_max_temp_file_size. */
const MAX_TEMP_FILE_SIZE = 1024n * 1024n * 1024n;

/** The modules whose merge checks their buffers together: ngx_http_proxy_merge_loc_conf() and its fastcgi, uwsgi and scgi twins. */
const MODULES = ['proxy', 'fastcgi', 'uwsgi', 'scgi'];

/** The blocks with a location configuration of their own, merged into from the block around them. */
const LEVELS = ['server', 'location', 'if', 'limit_except'];

/** Where the buffer settings may stand. */
const SETTING_BLOCKS = new Set(['http', 'server', 'location']);

const namesOf = (module: string) => ({
  bufferSize: `${module}_buffer_size`,
  buffers: `${module}_buffers`,
  busy: `${module}_busy_buffers_size`,
  tempWrite: `${module}_temp_file_write_size`,
  maxTemp: `${module}_max_temp_file_size`,
});

type Names = ReturnType<typeof namesOf>;

/** A block of the http tree with a location configuration: an http server, a location, an `if`, a `limit_except`. */
const isHttpLevel = ({ directive, context }: Placed) =>
  directive.block !== undefined && context.kind === 'directives' && context.family === 'http' && (directive.name.value !== 'server' || context.name === 'http');

/** The level and the levels around it, up to the http block, innermost first. */
function chainOf(level: Placed): Placed[] {
  const chain: Placed[] = [];
  for (let at: Placed | undefined = level; at; at = at.directive.name.value === 'http' ? undefined : at.parent) chain.push(at);
  return chain;
}

/**
 * The buffer settings nginx refuses together, as it merges each server's and location's
 * configuration with the one around it (ngx_http_proxy_merge_loc_conf(): `there must be at least 2
 * "proxy_buffers"`, `"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers"
 * minus one buffer`...). A `proxy_buffer_size 64k;` alone is refused so: the default busy size, twice
 * the larger buffer, outgrows the 8 default 4k buffers. nginx names the end of the http block, where
 * it merges; the finding is shown on the setting in force nearest to the level that fails.
 */
export const bufferSizes: LoadRule = {
  id: 'buffer-sizes',
  severity: 'error',
  description: 'proxy_buffer_size, proxy_buffers, proxy_busy_buffers_size and the temp file sizes (of fastcgi, uwsgi, scgi too) that nginx refuses together.',
  check(configuration) {
    return MODULES.flatMap((module) => moduleProblems(configuration, namesOf(module)));
  },
};

function moduleProblems(configuration: Configuration, names: Names): LoadProblem[] {
  const settings = Object.values(names).flatMap((name) => placedNamed(configuration, name));
  // Without any of them every level has the defaults, which nginx takes.
  if (settings.length === 0) return [];
  const setIn = new Set(settings.map((placed) => placed.parent));
  const problems: LoadProblem[] = [];
  const reported = new Set<string>();
  for (const level of placedNamed(configuration, ...LEVELS)) {
    if (!isHttpLevel(level)) continue;
    const chain = chainOf(level);
    if (!chain.some((block) => setIn.has(block))) continue;
    const problem = levelProblem(configuration, chain, names);
    if (!problem) continue;
    // One finding per setting and message: an http-level setting fails in every server alike.
    const key = `${problem.at.order} ${problem.message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    problems.push(problem);
  }
  return problems;
}

/** What nginx refuses as it merges the innermost level of `chain`, in the order it checks. */
function levelProblem(configuration: Configuration, chain: readonly Placed[], names: Names): LoadProblem | undefined {
  /** The directive of `name` in force at the level, and how near it stands (0: the level's own). */
  const inForce = (name: string) => {
    for (let depth = 0; depth < chain.length; depth++) {
      // The settings stand in http, server and location blocks: one in an `if` is not-allowed-here's.
      if (!SETTING_BLOCKS.has(chain[depth].directive.name.value)) continue;
      const [placed] = placedIn(configuration, chain[depth], name);
      if (placed) return { placed, depth };
    }
    return undefined;
  };
  const size = (setting: ReturnType<typeof inForce>, index = 0) => (setting ? parseSize(setting.placed.directive.args[index]?.value ?? '') : undefined);
  const bufferSizeSet = inForce(names.bufferSize);
  const buffersSet = inForce(names.buffers);
  const bufferSize = bufferSizeSet ? size(bufferSizeSet) : PAGE_SIZE;
  const count = buffersSet ? /^\d+$/.exec(buffersSet.placed.directive.args[0]?.value ?? '')?.[0] : '8';
  const bufferEach = buffersSet ? size(buffersSet, 1) : PAGE_SIZE;
  // A value nginx cannot read is invalid-value's.
  if (bufferSize === undefined || count === undefined || bufferEach === undefined) return undefined;
  const buffers = BigInt(count);
  const largest = bufferSize > bufferEach ? bufferSize : bufferEach;
  const sized = (name: string, fallback: bigint) => {
    const set = inForce(name);
    return { set, value: set ? size(set) : fallback };
  };
  const busy = sized(names.busy, 2n * largest);
  const tempWrite = sized(names.tempWrite, 2n * largest);
  const maxTemp = sized(names.maxTemp, MAX_TEMP_FILE_SIZE);
  if (busy.value === undefined || tempWrite.value === undefined || maxTemp.value === undefined) return undefined;
  const sizes = `the maximum of the value of "${names.bufferSize}" and one of the "${names.buffers}"`;
  const checks: Array<[boolean, string, Array<ReturnType<typeof inForce>>]> = [
    [buffers < 2n, `there must be at least 2 "${names.buffers}"`, [buffersSet]],
    [busy.value < largest, `"${names.busy}" must be equal to or greater than ${sizes}`, [busy.set, bufferSizeSet, buffersSet]],
    [busy.value > (buffers - 1n) * bufferEach, `"${names.busy}" must be less than the size of all "${names.buffers}" minus one buffer`, [busy.set, buffersSet, bufferSizeSet]],
    [tempWrite.value < largest, `"${names.tempWrite}" must be equal to or greater than ${sizes}`, [tempWrite.set, bufferSizeSet, buffersSet]],
    [maxTemp.value !== 0n && maxTemp.value < largest,
      `"${names.maxTemp}" must be equal to zero to disable temporary files usage or must be equal to or greater than ${sizes}`, [maxTemp.set, bufferSizeSet, buffersSet]],
  ];
  const failed = checks.find(([fails]) => fails);
  if (!failed) return undefined;
  const [, message, involved] = failed;
  // The setting in force nearest to the level, of those the check reads.
  const [nearest] = involved.filter((setting) => setting !== undefined).sort((a, b) => a.depth - b.depth || b.placed.order - a.placed.order);
  if (!nearest) return undefined;
  return { at: nearest.placed, span: statementSpan(nearest.placed.directive), message, first: chain[0], firstMessage: 'refused as nginx merges this level (it names the end of the http block)' };
}
