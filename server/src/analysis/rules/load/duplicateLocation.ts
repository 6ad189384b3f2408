import { statementSpan } from '../../../parser';
import { placedNamed, type Placed } from './configuration';
import type { LoadProblem, LoadRule } from './rule';

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
    const problems: LoadProblem[] = [];
    // Per block, the exact and the inclusive names apart: keyed by the name itself, whose hash the
    // string keeps from one edit to the next (24,000 locations on each edit of the bench's file).
    const seen = new Map<Placed | undefined, { exact: Map<string, Placed>; inclusive: Map<string, Placed> }>();
    for (const placed of placedNamed(configuration, 'location')) {
      const { directive, context } = placed;
      if (!directive.block || context.kind !== 'directives' || context.family !== 'http') continue;
      const location = prefixLocation(directive);
      if (!location) continue;
      let names = seen.get(placed.parent);
      if (!names) seen.set(placed.parent, (names = { exact: new Map(), inclusive: new Map() }));
      const ofKind = location.exact ? names.exact : names.inclusive;
      const first = ofKind.get(location.name);
      if (first) problems.push({ at: placed, span: statementSpan(directive), message: `duplicate location "${location.name}"`, first });
      else ofKind.set(location.name, placed);
    }
    return problems;
  },
};
