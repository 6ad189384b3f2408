import { statementSpan } from '../../../../parser';
import { zoneParameter } from '../../../knowledge/values';
import { placedIn, placedNamed, treeOf, unresolvedIn, type Configuration, type Placed } from '../configuration';
import { judgedAlone, unlessUnreadInclude, type LoadProblem, type LoadRule } from '../rule';

/** The name of the zone that the first `zone=` or `keys_zone=` parameter defines. */
const sizedBy = (parameter: string) => (args: readonly string[]) => zoneParameter(args.find((arg) => arg.startsWith(parameter)), parameter)?.name;

/** The directives that give a shared memory zone its size, and the zone's name. */
const DEFINERS: ReadonlyArray<{ name: string; zoneOf: (args: readonly string[]) => string | undefined }> = [
  { name: 'limit_req_zone', zoneOf: sizedBy('zone=') },
  { name: 'limit_conn_zone', zoneOf: sizedBy('zone=') },
  ...['proxy', 'fastcgi', 'scgi', 'uwsgi'].map((module) => ({ name: `${module}_cache_path`, zoneOf: sizedBy('keys_zone=') })),
  // An upstream's `zone NAME SIZE`; upstreams may share one zone, sized once.
  { name: 'zone', zoneOf: (args) => (args.length === 2 ? args[0] : undefined) },
];

const zeroSize = (zone: string) => `zero size shared memory zone "${zone}"`;

/** An http block with a server in it (an upstream's `server` lines are the upstream's). */
const hasServers = (configuration: Configuration, http: Placed) => placedIn(configuration, http, 'server').length > 0;

/**
 * Where a zone is named without a size, and what nginx says when nothing defines it: a limit's zone
 * stays zero-sized until the cycle starts (ngx_init_cycle() in ngx_cycle.c, naming no line), a
 * cache's is refused when the location is merged (ngx_http_proxy_merge_loc_conf() and its twins).
 */
const USERS: ReadonlyArray<{ name: string; zoneOf: (args: readonly string[]) => string | undefined; message: (zone: string) => string }> = [
  { name: 'limit_req', zoneOf: (args) => args.find((arg) => arg.startsWith('zone='))?.slice('zone='.length), message: zeroSize },
  { name: 'limit_conn', zoneOf: (args) => args[0], message: zeroSize },
  { name: 'zone', zoneOf: (args) => (args.length === 1 ? args[0] : undefined), message: zeroSize },
  ...['proxy', 'fastcgi', 'scgi', 'uwsgi'].map((module) => ({
    name: `${module}_cache`,
    zoneOf: (args: readonly string[]) => (args[0] === 'off' ? undefined : args[0]),
    message: (zone: string) => `"${module}_cache" zone "${zone}" is unknown`,
  })),
];

/**
 * An include the workspace lacks stands where a zone may be defined: at the top or the http (stream)
 * level, or in an upstream (`zone NAME SIZE`). One in a server or a location cannot define one:
 * limit_req_zone, limit_conn_zone and *_cache_path stand at the http level only.
 */
const unreadMayDefine = (configuration: Configuration, placed: Placed) =>
  unresolvedIn(configuration, [undefined, treeOf(placed)]) || [...configuration.unresolved].some((include) => include.parent?.directive.name.value === 'upstream');

/**
 * A limit_req, limit_conn or *_cache naming a shared memory zone that no limit_req_zone,
 * limit_conn_zone or *_cache_path defines, or an upstream's `zone NAME` that no other gives a size. Zones are the whole cycle's, so a name defined anywhere
 * (by another module too: a different error) counts. A fragment's zones are often defined in the
 * main config: in a file read alone it is a warning, as it is where an include the workspace
 * lacks may define the zone (unreadMayDefine()).
 */
export const unknownZone: LoadRule = {
  id: 'unknown-zone',
  severity: 'error',
  description: 'limit_req, limit_conn or proxy_cache (fastcgi, scgi, uwsgi) naming a zone that nothing defines.',
  check(configuration) {
    const defined = new Set<string>();
    for (const { name, zoneOf } of DEFINERS) {
      for (const { directive } of placedNamed(configuration, name)) {
        const zone = zoneOf(directive.args.map((arg) => arg.value));
        if (zone) defined.add(zone);
      }
    }
    const problems: LoadProblem[] = [];
    for (const { name, zoneOf, message } of USERS) {
      for (const placed of placedNamed(configuration, name)) {
        const zone = zoneOf(placed.directive.args.map((arg) => arg.value));
        if (!zone || zone.includes('$') || defined.has(zone)) continue;
        // A cache named at an http level without servers is never merged into one: its zone stays zero-sized.
        const unmerged = name.endsWith('_cache') && placed.parent?.directive.name.value === 'http' && !hasServers(configuration, placed.parent);
        const problem: LoadProblem = { at: placed, span: statementSpan(placed.directive), message: unmerged ? zeroSize(zone) : message(zone) };
        if (unreadMayDefine(configuration, placed)) problems.push(unlessUnreadInclude(problem));
        else if (configuration.main) problems.push(problem);
        else problems.push(judgedAlone(problem, 'a zone defined outside it'));
      }
    }
    return problems;
  },
};
