import { statementSpan } from '../../../../parser';
import { routingModel, type RouteLocation, type RouteServer } from '../../../routing';
import type { LoadRule } from '../rule';

/**
 * Regexes that match every URI (they all start with `/`): `/`, `.`, `.*`, `.+`, `^/`, `^/.*`...
 * Anything longer is not decided here.
 */
const MATCHES_EVERY_URI = /^\^?(?:\/|\.|\.\*|\.\+|\/\.\*|\/\.\+)?$/;
/** `^` and literal characters (escaped metacharacters allowed), then optionally `.*`: what every URI it matches starts with. */
const LITERAL_PREFIX = /^\^((?:[^\\.*+?()[\]{}|^$]|\\[.*+?()[\]{}|^$/-])+)(?:\.\*)?$/;

const literalPrefix = (regex: RouteLocation) => LITERAL_PREFIX.exec(regex.name)?.[1].replace(/\\(.)/g, '$1');

/** The earlier regex of a level that always wins over `regex`: the same pattern (as caseless or less), or one that matches every URI. */
function earlierWinner(regex: RouteLocation, earlier: readonly RouteLocation[]): RouteLocation | undefined {
  return earlier.find((other) => MATCHES_EVERY_URI.test(other.name) && other.name !== ''
    || (other.name === regex.name && (other.caseless || !regex.caseless)));
}

/** A regex of the level that every URI of a prefix location matches: `^/ws` over `/ws/`. */
function regexOverPrefix(prefix: RouteLocation, regexes: readonly RouteLocation[]): RouteLocation | undefined {
  return regexes.find((regex) => {
    const literal = literalPrefix(regex);
    if (literal === undefined) return false;
    return regex.caseless ? prefix.name.toLowerCase().startsWith(literal.toLowerCase()) : prefix.name.startsWith(literal);
  });
}

/** A location that `by` always wins over, and why. */
interface Shadowed {
  location: RouteLocation;
  by: RouteLocation;
  why: string;
}

/**
 * A server's shadowed locations, kept with its routing: the routing model keeps the RouteServer of
 * every server an edit leaves alone, and what is shadowed depends on that server's locations only.
 */
const shadowedByServer = new WeakMap<RouteServer, Shadowed[]>();

/** The locations of a server that no request from outside can reach (see unreachableLocation). */
function shadowedIn(server: RouteServer): Shadowed[] {
  const known = shadowedByServer.get(server);
  if (known) return known;
  const found: Shadowed[] = [];
  // Levels to look at, with whether each is the server's own: a queue, as nesting can be deep.
  const levels = [{ locations: server.locations, top: true }];
  for (let index = 0; index < levels.length; index++) {
    const { locations, top } = levels[index];
    const regexes = locations.filter((location) => location.kind === 'regex');
    const noregexRoot = top && locations.find((location) => location.kind === 'noregex' && location.name === '/');
    const plainPrefix = locations.some((location) => location.kind === 'prefix');
    regexes.forEach((regex, index) => {
      const winner = earlierWinner(regex, regexes.slice(0, index));
      if (winner) found.push({ location: regex, by: winner, why: `the regex location "${winner.name}" before it matches every URI it matches` });
      else if (noregexRoot && !plainPrefix) found.push({ location: regex, by: noregexRoot, why: '"^~ /" matches every URI and stops the regex search' });
    });
    for (const prefix of locations) {
      // Nested locations may still take some of its URIs before the regexes are tried.
      if (prefix.kind !== 'prefix' || prefix.children.length > 0) continue;
      const regex = regexOverPrefix(prefix, regexes);
      if (regex) found.push({ location: prefix, by: regex, why: `every URI it matches also matches the regex location "${regex.name}", which wins (use "^~ ${prefix.name}" to keep it)` });
    }
    for (const location of locations) levels.push({ locations: location.children, top: false });
  }
  shadowedByServer.set(server, found);
  return found;
}

/**
 * Locations that no request from outside can reach, where that is decidable (ngx_http_core_module.c,
 * ngx_http_core_find_location()): regexes are tried in order and the first match wins; a prefix
 * location is only kept when no regex of its level matches (unless `^~`), so a regex `^/ws` takes
 * every URI of `location /ws/`; at the server level, `^~ /` with no plain prefix location keeps
 * every URI from the regexes.
 */
export const unreachableLocation: LoadRule = {
  id: 'unreachable-location',
  severity: 'warning',
  description: 'A location that another location always wins over.',
  check(configuration) {
    // Spans from the directives now: an edit before a kept server moves them.
    return routingModel(configuration).servers.flatMap((server) => shadowedIn(server).map(({ location, by, why }) => ({
      at: location.placed, span: statementSpan(location.placed.directive), first: by.placed, firstMessage: 'it wins here',
      message: `location "${location.name}" is never used: ${why}`,
    })));
  },
};
