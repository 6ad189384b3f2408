import { statementSpan } from '../../../parser';
import { routingModel, type RouteServer } from '../../routing';
import type { Listen, ServerName } from '../../routing/model';
import type { Placed } from './configuration';
import type { LoadProblem, LoadRule } from './rule';

const sameName = (a: ServerName, b: ServerName) => a.kind === b.kind && a.name === b.name;

/** Why a server is never chosen on one address and port, and what takes its requests; undefined when it can be. */
function hiddenOn(server: RouteServer, group: ReadonlyArray<{ server: RouteServer; listen: Listen }>): { why: string; by: Placed } | undefined {
  const defaultListen = group.find(({ listen }) => listen.defaultServer) ?? group[0];
  if (defaultListen.server === server) return undefined;
  const earlier = group.slice(0, group.findIndex((entry) => entry.server === server)).map((entry) => entry.server);
  let takenBy: Placed | undefined;
  for (const name of server.names) {
    // An empty name matches no Host (ngx_http_validate_host() refuses it).
    if (name.name === '' && name.kind === 'exact') continue;
    const owner = earlier.find((other) => other.names.some((theirs) => sameName(theirs, name)));
    if (!owner) return undefined;
    takenBy ??= owner.placed;
  }
  const where = `${defaultListen.listen.address?.includes(':') ? `[${defaultListen.listen.address}]` : defaultListen.listen.address}:${defaultListen.listen.port}`;
  if (takenBy) return { why: `its names belong to an earlier server on ${where} (nginx: "conflicting server name", ignored)`, by: takenBy };
  return { why: `it has no server_name and is not the default server of ${where}`, by: defaultListen.listen.placed ?? defaultListen.server.placed };
}

/**
 * Servers that no request chooses (ngx_http.c, ngx_http_server_names() and ngx_http_add_addrs();
 * ngx_http_request.c, ngx_http_find_virtual_server()): on every address and port it listens on,
 * another server is the default and each of its names is an earlier server's, or it has none.
 */
export const unreachableServer: LoadRule = {
  id: 'unreachable-server',
  severity: 'warning',
  description: 'A server that no request can choose.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    const model = routingModel(configuration);
    const groups = new Map<string, Array<{ server: RouteServer; listen: Listen }>>();
    for (const server of model.servers) {
      for (const listen of server.listens) {
        // A host name is resolved at load: where it points is not known here.
        if (listen.address === undefined || Number.isNaN(listen.port)) continue;
        const key = `${listen.address}:${listen.port}`;
        const group = groups.get(key) ?? [];
        if (!group.some((entry) => entry.server === server)) group.push({ server, listen });
        groups.set(key, group);
      }
    }
    for (const server of model.servers) {
      const keys = [...new Set(server.listens.map((listen) => `${listen.address}:${listen.port}`))];
      const hidden = keys.map((key) => (groups.has(key) ? hiddenOn(server, groups.get(key)!) : undefined));
      if (hidden.length === 0 || hidden.some((reason) => !reason)) continue;
      const [{ why, by }] = hidden as Array<{ why: string; by: Placed }>;
      problems.push({ at: server.placed, span: statementSpan(server.placed.directive), first: by, firstMessage: 'requests go here', message: `this server is never chosen: ${why}` });
    }
    return problems;
  },
};
