// Which location serves a URI, as ngx_http_core_find_location() and
// ngx_http_core_find_static_location() find it (ngx_http_core_module.c).

import type { RouteLocation } from './model';

export type LocationMatch =
  /** The location that serves the URI (none: the server's own configuration serves it); `chain`: its enclosing locations and itself. */
  | { kind: 'location'; location: RouteLocation | undefined; chain: RouteLocation[] }
  /** nginx answers 301 to the URI with a `/` added (a `*_pass` location named `/uri/`, auto_redirect). */
  | { kind: 'redirect'; location: RouteLocation; chain: RouteLocation[] }
  /** A regex JavaScript cannot match as PCRE does was tested before the answer was found. */
  | { kind: 'undecided'; regex: RouteLocation; chain: RouteLocation[] };

type Static = { rc: 'ok' | 'again' | 'done'; location: RouteLocation } | { rc: 'declined' };

/**
 * ngx_http_core_find_static_location() over the level's exact and prefix locations: a name equal
 * to the URI (exact before prefix), else a `*_pass` location named URI + `/` (a redirect), else the
 * longest prefix. Names are compared as bytes (ngx_filename_cmp(), case-sensitive on Linux).
 */
function findStatic(levels: readonly RouteLocation[], uri: string): Static {
  const statics = levels.filter((location) => location.kind !== 'regex');
  const equal = statics.filter((location) => location.nameBytes === uri);
  const exact = equal.find((location) => location.kind === 'exact');
  if (exact) return { rc: 'ok', location: exact };
  const inclusive = equal.find((location) => location.kind !== 'exact');
  if (inclusive) return { rc: 'again', location: inclusive };
  // The tree node of `uri/` is passed last, on the way to shorter names: its redirect wins over them.
  const redirect = statics.find((location) => location.autoRedirect && location.nameBytes === `${uri}/`);
  // node->exact's configuration when the name has both kinds.
  if (redirect) return { rc: 'done', location: statics.find((l) => l.kind === 'exact' && l.nameBytes === redirect.nameBytes) ?? redirect };
  let longest: RouteLocation | undefined;
  for (const location of statics) {
    if (location.kind === 'exact' || !uri.startsWith(location.nameBytes)) continue;
    if (!longest || location.nameBytes.length > longest.nameBytes.length) longest = location;
  }
  return longest ? { rc: 'again', location: longest } : { rc: 'declined' };
}

/** The request's r->loc_conf as the search moves it, and the regex that stopped it. */
interface Search {
  current: RouteLocation | undefined;
  chain: RouteLocation[];
  undecided?: RouteLocation;
}

type Rc = 'ok' | 'again' | 'done' | 'declined';

/**
 * ngx_http_core_find_location() without recursion (nesting can be deep): down the prefix
 * locations found level by level, then back up, trying each level's regexes unless the prefix
 * found there is `^~`. A matching regex's nested locations are searched the same way, and the
 * answer is then that regex's level's: found (NGX_OK), whatever the nested search said.
 */
function findIn(top: readonly RouteLocation[], uri: string, search: Search): Rc {
  let levels = top;
  let inRegex = false;
  for (;;) {
    const passed: Array<{ levels: readonly RouteLocation[]; noregex: boolean; depth: number }> = [];
    let rc: Rc;
    for (;;) {
      const depth = search.chain.length;
      const found = findStatic(levels, uri);
      if (found.rc !== 'declined') {
        search.current = found.location;
        search.chain.push(found.location);
      }
      passed.push({ levels, noregex: found.rc === 'again' && found.location.kind === 'noregex', depth });
      if (found.rc !== 'again') {
        rc = found.rc;
        break;
      }
      levels = found.location.children;
    }
    const answer = (result: Rc): Rc => (inRegex ? 'ok' : result);
    if (rc === 'ok' || rc === 'done') return answer(rc);
    // Back up, deepest level first: the prefix location found last stays the answer if no regex matches.
    let matched: RouteLocation | undefined;
    for (let i = passed.length - 1; i >= 0 && !matched; i--) {
      const { levels: level, noregex, depth } = passed[i];
      if (noregex) continue;
      for (const location of level) {
        if (location.kind !== 'regex') continue;
        if (!location.regex) {
          search.undecided = location;
          return answer(rc);
        }
        if (!location.regex.test(uri)) continue;
        matched = location;
        search.current = location;
        // The prefix locations found below this level are not on the way to it.
        search.chain.length = depth;
        search.chain.push(location);
        break;
      }
    }
    if (!matched) return answer(rc);
    levels = matched.children;
    inRegex = true;
  }
}

/** The location of a server (its top-level locations) that serves a normalised URI (bytes). */
export function findLocation(serverLocations: readonly RouteLocation[], uri: string): LocationMatch {
  const search: Search = { current: undefined, chain: [] };
  const rc = findIn(serverLocations, uri, search);
  if (search.undecided) return { kind: 'undecided', regex: search.undecided, chain: search.chain };
  if (rc === 'done' && search.current) return { kind: 'redirect', location: search.current, chain: search.chain };
  return { kind: 'location', location: search.current, chain: search.chain };
}
