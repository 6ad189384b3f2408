import { placedIn, unresolvedIn, type Placed } from '../configuration';
import { sharedAddresses } from '../sizes/hashes';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * The key under which ngx_hash_add_key() files a server name, so that two names of one key clash:
 * exact names, and `.example.com` for its exact part; leading wildcards (`*.example.com` and
 * `.example.com` alike) and trailing ones (`www.example.*`) in hashes of their own. Regexes have none.
 */
function keysOf(name: string): string[] {
  if (name.startsWith('~')) return [];
  if (name.startsWith('*.')) return [`leading\0${name.slice(2)}`];
  if (name.startsWith('.') && name.length > 1) return [`exact\0${name.slice(1)}`, `leading\0${name.slice(1)}`];
  if (name.endsWith('.*')) return [`trailing\0${name.slice(0, -2)}`];
  return [`exact\0${name}`];
}

/**
 * A server name that an earlier server on the same address has (or the same server twice): nginx
 * keeps the first and warns "conflicting server name "example.com" on 0.0.0.0:80, ignored", naming
 * no line (ngx_http_server_names(), for an address more than one server listens on). A server
 * without server_name has the name "": two of them on one address conflict too. Requests for the
 * name go to the first server.
 */
export const conflictingServerName: LoadRule = {
  id: 'conflicting-server-name',
  severity: 'warning',
  description: 'A server name that an earlier server on the same address and port has: nginx ignores it ("conflicting server name").',
  check(configuration) {
    const problems: LoadProblem[] = [];
    for (const [where, servers] of sharedAddresses(configuration)) {
      const owners = new Map<string, Placed>();
      for (const server of servers) {
        // An include the workspace lacks may add names (which only adds conflicts) or listens: a
        // server without a listen of its own may not be on this address, one without names not be "".
        const unread = unresolvedIn(configuration, [server]);
        if (unread && placedIn(configuration, server, 'listen').length === 0) continue;
        const lines = placedIn(configuration, server, 'server_name');
        const named = lines.flatMap((at) => at.directive.args.map((word) => ({ at, word, name: word.value.toLowerCase() })));
        // ngx_http_core_merge_srv_conf(): a server without server_name has the name "".
        const names = lines.length > 0 || unread ? named : [{ at: server, word: server.directive.name, name: '' }];
        for (const { at, word, name } of names) {
          if (name.includes('$')) continue;
          const keys = keysOf(name);
          const first = keys.map((key) => owners.get(key)).find(Boolean);
          if (first) {
            problems.push({ at, span: { start: word.start, end: word.end }, message: `conflicting server name "${name}" on ${where}, ignored`, first, firstMessage: 'the server that has the name first' });
            continue;
          }
          for (const key of keys) owners.set(key, at);
        }
      }
    }
    return problems;
  },
};
