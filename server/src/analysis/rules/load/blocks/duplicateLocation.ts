import { statementSpan } from '../../../../parser';
import { KeptByPlaced, placedNamed, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * The name and kind of a prefix location as ngx_http_core_location() stores it: `= /a` is exact;
 * `^~ /a` and `/a` are both inclusive. Named and regex locations are left out: nginx sorts them
 * apart and never compares their names (ngx_http_init_locations()).
 */
function prefixLocation(directive: Placed['directive']): { name: string; exact: boolean } | undefined {
  // Read in place: asked of every location of the configuration (24,000 in the bench's) on each edit.
  const first = directive.args[0]?.value;
  const second = directive.args[1]?.value;
  if (directive.args.length === 2) {
    if (first === '=') return { name: second, exact: true };
    return first === '^~' ? { name: second, exact: false } : undefined;
  }
  if (directive.args.length !== 1 || first.startsWith('~') || first.startsWith('@')) return undefined;
  if (first.startsWith('=')) return { name: first.slice(1), exact: true };
  return { name: first.startsWith('^~') ? first.slice(2) : first, exact: false };
}

/** A later location of a block and the earlier one of the same name and kind. */
interface Duplicate {
  location: Placed;
  first: Placed;
  name: string;
}

/**
 * The duplicates among each block's locations, kept by the block's Placed: of the blocks a derived
 * configuration keeps, only the one the statements read again stand in has other locations than
 * before. Judged again, the locations of every block cost 10 ms of each edit of the bench's 4.4 MB
 * file (their arguments are read from all over the heap).
 */
const keptDuplicates = new KeptByPlaced<Duplicate[]>();

/**
 * Two exact, or two inclusive, locations of one name in the same block (ngx_http.c,
 * ngx_http_join_exact_locations(): names compared by ngx_filename_cmp(), case-sensitive on Linux).
 * nginx names the later one, at the line of its `{`.
 */
export const duplicateLocation: LoadRule = {
  id: 'duplicate-location',
  severity: 'error',
  description: 'Two locations of the same name and kind in one block.',
  check(configuration) {
    // A block's duplicates are kept unless the edit read statements of it again (or it is new).
    const kept = (block: Placed | undefined) => (block && block !== configuration.reread ? keptDuplicates.get(configuration, block) : undefined);
    // The blocks met (the top level of a snippet of locations too: undefined), and for those judged
    // now their exact and their inclusive names.
    const blocks = new Set<Placed | undefined>();
    const judged = new Map<Placed | undefined, { exact: Map<string, Placed>; inclusive: Map<string, Placed>; found: Duplicate[] }>();
    for (const placed of placedNamed(configuration, 'location')) {
      const block = placed.parent;
      blocks.add(block);
      if (kept(block)) continue;
      const { directive, context } = placed;
      if (!directive.block || context.kind !== 'directives' || context.family !== 'http') continue;
      const location = prefixLocation(directive);
      if (!location) continue;
      let names = judged.get(block);
      if (!names) judged.set(block, (names = { exact: new Map(), inclusive: new Map(), found: [] }));
      const ofKind = location.exact ? names.exact : names.inclusive;
      const first = ofKind.get(location.name);
      if (first) names.found.push({ location: placed, first, name: location.name });
      else ofKind.set(location.name, placed);
    }
    const problems: LoadProblem[] = [];
    for (const block of blocks) {
      const found = kept(block) ?? judged.get(block)?.found ?? [];
      if (block) keptDuplicates.keep(configuration, block, found);
      for (const { location, first, name } of found) problems.push({ at: location, span: statementSpan(location.directive), message: `duplicate location "${name}"`, first });
    }
    // In reading order, as nginx would meet them.
    return problems.sort((a, b) => a.at.order - b.at.order);
  },
};
