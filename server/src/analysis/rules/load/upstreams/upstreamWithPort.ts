import { NginxLines, statementSpan } from '../../../../parser';
import { isPort, portOf, UPSTREAM_ADDRESSES, UPSTREAM_PASSES, withoutScheme, withoutUriPart } from '../../../knowledge/addresses';
import { placedNamed, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/** The passes that name an upstream by its host (ngx_http_upstream_add() without NGX_HTTP_UPSTREAM_CREATE, and stream's), with their tree. */
const PASSES: ReadonlyArray<{ name: string; family: string; schemes: readonly string[] }> = [
  ...UPSTREAM_PASSES.map((name) => ({ name, family: 'http', schemes: UPSTREAM_ADDRESSES.get(name)!.schemes })),
  { name: 'proxy_pass', family: 'stream', schemes: [] },
];

/** The host of a pass's static address and the port it names (`u->no_port` unset), if any; undefined for a socket or a port nginx refuses (another finding). */
function hostAndPort(value: string, schemes: readonly string[]): { host: string; port?: number } | undefined {
  const url = withoutScheme(value, schemes);
  if (url.startsWith('unix:') || url.startsWith('[')) return undefined;
  const address = withoutUriPart(url);
  const port = portOf(address);
  if (port === undefined) return { host: address };
  return isPort(port) ? { host: address.slice(0, address.indexOf(':')), port: Number(port) } : undefined;
}

/** nginx's line of a directive: where its `;` was read. */
const lineOf = (placed: Placed) => `${placed.file.path}:${new NginxLines(placed.file.text).lineAt(placed.directive.end - 1)}`;

/**
 * A pass to `name:port` where an `upstream name` block exists: an upstream has its servers' ports,
 * and ngx_http_upstream_add() (and stream's) refuses a port on its name. nginx names the pass when
 * the block came first ("upstream "app" may not have port 8080"); when a pass came first, the block
 * takes the first upstream of its name that a pass made, and is refused if that one has a port,
 * with the pass's place in the message ("... in /etc/nginx/conf.d/app.conf:12"). Names compare
 * ignoring case.
 */
export const upstreamWithPort: LoadRule = {
  id: 'upstream-with-port',
  severity: 'error',
  description: 'proxy_pass (fastcgi_pass, grpc_pass...) to NAME:PORT where an upstream block is named NAME.',
  check(configuration) {
    const upstreams = new Map<string, Placed>();
    for (const placed of placedNamed(configuration, 'upstream')) {
      const { directive, context } = placed;
      if (!directive.block || directive.args.length !== 1 || context.kind !== 'directives') continue;
      const key = `${context.family}\0${directive.args[0].value.toLowerCase()}`;
      if (!upstreams.has(key)) upstreams.set(key, placed);
    }
    if (upstreams.size === 0) return [];
    const passes: Array<{ pass: Placed; key: string; host: string; port?: number }> = [];
    for (const { name, family, schemes } of PASSES) {
      // A large configuration passes to the same few addresses thousands of times: each is read once.
      const addresses = new Map<string, { key: string; host: string; port?: number } | undefined>();
      for (const pass of placedNamed(configuration, name)) {
        const { directive, context } = pass;
        const value = directive.args[0]?.value;
        if (value === undefined || context.kind !== 'directives' || context.family !== family) continue;
        let address = addresses.get(value);
        if (!addresses.has(value)) {
          const read = value.includes('$') ? undefined : hostAndPort(value, schemes);
          const key = read && `${family}\0${read.host.toLowerCase()}`;
          addresses.set(value, (address = read && key && upstreams.has(key) ? { key, ...read } : undefined));
        }
        // A pass without a port after its upstream block is the usual one: nothing to say of it.
        if (address && (address.port !== undefined || pass.order < upstreams.get(address.key)!.order)) passes.push({ pass, ...address });
      }
    }
    const problems: LoadProblem[] = [];
    const madeFirst = new Set<string>();
    for (const { pass, key, host, port } of passes.sort((a, b) => a.pass.order - b.pass.order)) {
      const upstream = upstreams.get(key)!;
      if (upstream.order < pass.order) {
        if (port !== undefined) problems.push({ at: pass, span: statementSpan(pass.directive), message: `upstream "${host}" may not have port ${port}`, first: upstream, firstMessage: 'the upstream' });
        continue;
      }
      if (madeFirst.has(key)) continue;
      madeFirst.add(key);
      if (port === undefined) continue;
      const name = upstream.directive.args[0];
      problems.push({ at: upstream, span: { start: upstream.directive.name.start, end: name.end }, message: `upstream "${name.value}" may not have port ${port} in ${lineOf(pass)}`, first: pass, firstMessage: 'the pass with the port' });
    }
    return problems;
  },
};
