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

function findIn(levels: readonly RouteLocation[], uri: string, search: Search): Rc {
  const depth = search.chain.length;
  const found = findStatic(levels, uri);
  let rc: Rc = found.rc;
  let noregex = false;
  if (found.rc !== 'declined') {
    search.current = found.location;
    search.chain.push(found.location);
  }
  if (found.rc === 'again') {
    noregex = found.location.kind === 'noregex';
    // Nested locations of the prefix found.
    rc = findIn(found.location.children, uri, search);
  }
  if (rc === 'ok' || rc === 'done' || search.undecided) return rc;
  if (noregex) return rc;
  for (const location of levels) {
    if (location.kind !== 'regex') continue;
    if (!location.regex) {
      search.undecided = location;
      return rc;
    }
    if (!location.regex.test(uri)) continue;
    search.current = location;
    // The prefix locations found below this level are not on the way to it.
    search.chain.length = depth;
    search.chain.push(location);
    findIn(location.children, uri, search);
    return 'ok';
  }
  return rc;
}

/** The location of a server (its top-level locations) that serves a normalised URI (bytes). */
export function findLocation(serverLocations: readonly RouteLocation[], uri: string): LocationMatch {
  const search: Search = { current: undefined, chain: [] };
  const rc = findIn(serverLocations, uri, search);
  if (search.undecided) return { kind: 'undecided', regex: search.undecided, chain: search.chain };
  if (rc === 'done' && search.current) return { kind: 'redirect', location: search.current, chain: search.chain };
  return { kind: 'location', location: search.current, chain: search.chain };
}
