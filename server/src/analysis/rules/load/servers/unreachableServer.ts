import { statementSpan } from '../../../../parser';
import { routingModel, type RouteServer } from '../../../routing';
import type { Listen, ServerName } from '../../../routing/model';
import { unresolvedIn, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

type Group = Array<{ server: RouteServer; listen: Listen }>;
type Hidden = { why: string; by: Placed };

const nameKey = (name: ServerName) => `${name.kind}\0${name.name}`;

/**
 * Why each server of one address and port is never chosen there, and what takes its requests: one
 * pass in the order nginx reads them, the first server of each name owning it (linear: a file of
 * 40,000 servers is one group).
 */
function hiddenIn(group: Group): Map<RouteServer, Hidden> {
  const defaultListen = group.find(({ listen }) => listen.defaultServer) ?? group[0];
  const { address, port } = defaultListen.listen;
  const where = `${address?.includes(':') ? `[${address}]` : address}:${port}`;
  const owners = new Map<string, Placed>();
  const hidden = new Map<RouteServer, Hidden>();
  for (const { server } of group) {
    // An empty name matches no Host (ngx_http_validate_host() refuses it).
    const names = server.names.filter((name) => !(name.name === '' && name.kind === 'exact'));
    const takenBy = names.map((name) => owners.get(nameKey(name)));
    if (server !== defaultListen.server && takenBy.every(Boolean)) {
      hidden.set(server, takenBy.length > 0
        ? { why: `its names belong to an earlier server on ${where} (nginx: "conflicting server name", ignored)`, by: takenBy[0]! }
        : { why: `it has no server_name and is not the default server of ${where}`, by: defaultListen.listen.placed ?? defaultListen.server.placed });
    }
    for (const name of names) if (!owners.has(nameKey(name))) owners.set(nameKey(name), server.placed);
  }
  return hidden;
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
    const groups = new Map<string, { group: Group; members: Set<RouteServer>; unsure?: boolean }>();
    for (const server of model.servers) {
      // An include the workspace lacks may give the server its listens and names: the addresses it
      // is counted on are not judged.
      const unsure = unresolvedIn(configuration, [server.placed]);
      for (const listen of server.listens) {
        // A host name is resolved at load: where it points is not known here.
        if (listen.address === undefined || Number.isNaN(listen.port)) continue;
        const key = `${listen.address}:${listen.port}`;
        let entry = groups.get(key);
        if (!entry) groups.set(key, (entry = { group: [], members: new Set() }));
        if (unsure) entry.unsure = true;
        if (entry.members.has(server)) continue;
        entry.members.add(server);
        entry.group.push({ server, listen });
      }
    }
    const hiddenByKey = new Map([...groups].map(([key, { group, unsure }]) => [key, unsure ? new Map<RouteServer, Hidden>() : hiddenIn(group)]));
    for (const server of model.servers) {
      const keys = [...new Set(server.listens.map((listen) => `${listen.address}:${listen.port}`))];
      const hidden = keys.map((key) => hiddenByKey.get(key)?.get(server));
      if (hidden.length === 0 || hidden.some((reason) => !reason)) continue;
      const [{ why, by }] = hidden as Hidden[];
      problems.push({ at: server.placed, span: statementSpan(server.placed.directive), first: by, firstMessage: 'requests go here', message: `this server is never chosen: ${why}` });
    }
    return problems;
  },
};
