import { statementSpan } from '../../../../parser';
import { portOf, UPSTREAM_ADDRESSES, withoutScheme } from '../../../knowledge/addresses';
import { isWholeConfiguration, placedNamed, treeOf, unresolvedIn } from '../configuration';
import { judgedAlone, type LoadProblem, type LoadRule } from '../rule';

/**
 * The directives that pass to an address without a default port, and their tree
 * (ngx_http_fastcgi_pass() and its uwsgi, scgi, memcached, grpc twins, ngx_stream_proxy_pass():
 * `u.no_resolve = 1` and no `u.default_port`, unlike http's proxy_pass, which defaults to 80 or 443).
 */
const PASSES: ReadonlyArray<{ name: string; family: string }> = [
  ...['fastcgi_pass', 'scgi_pass', 'memcached_pass', 'uwsgi_pass', 'grpc_pass'].map((name) => ({ name, family: 'http' })),
  { name: 'proxy_pass', family: 'stream' },
];

/**
 * A pass to a host without a port that no `upstream` block names: nginx makes it an upstream of its
 * own with port 0 and refuses it once the configuration is read ("no port in upstream", from
 * ngx_http_upstream_init_round_robin() and its stream twin, naming the first directive that made it).
 * In a fragment read on its own the upstream may stand in a file beside it that the main config
 * includes too: there it is a warning, and nothing when an include the workspace lacks, read where
 * `upstream` blocks stand, may define it.
 */
export const noPortInUpstream: LoadRule = {
  id: 'no-port-in-upstream',
  severity: 'error',
  description: 'fastcgi_pass, uwsgi_pass, scgi_pass, memcached_pass, grpc_pass or a stream proxy_pass to a host without a port that no upstream block names.',
  check(configuration) {
    const whole = isWholeConfiguration(configuration);
    const upstreams = new Set<string>();
    for (const { directive, context } of placedNamed(configuration, 'upstream')) {
      // ngx_http_upstream_add() compares the names case-insensitively.
      if (directive.block && context.kind === 'directives' && directive.args.length > 0) upstreams.add(`${context.family}\0${directive.args[0].value.toLowerCase()}`);
    }
    const problems: LoadProblem[] = [];
    // http's proxy_pass directives, by the thousand in a large configuration, are no stream's.
    const hasStream = placedNamed(configuration, 'stream').length > 0;
    for (const { name, family } of PASSES) {
      if (family === 'stream' && !hasStream) continue;
      const schemes = family === 'http' ? UPSTREAM_ADDRESSES.get(name)!.schemes : [];
      for (const placed of placedNamed(configuration, name)) {
        const { directive, context } = placed;
        const url = directive.args[0]?.value;
        if (url === undefined || directive.args.length !== 1 || context.kind !== 'directives' || context.family !== family || url.includes('$')) continue;
        const host = withoutScheme(url, schemes);
        if (host === '' || host.startsWith('unix:') || portOf(host) !== undefined || upstreams.has(`${family}\0${host.toLowerCase()}`)) continue;
        const problem: LoadProblem = { at: placed, span: statementSpan(directive), message: `no port in upstream "${host}"` };
        if (whole) problems.push(problem);
        else if (!unresolvedIn(configuration, [undefined, treeOf(placed)])) problems.push(judgedAlone(problem, `an upstream "${host}" outside it`));
      }
    }
    return problems;
  },
};
