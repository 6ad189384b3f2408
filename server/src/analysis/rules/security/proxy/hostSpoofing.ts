// host-spoofing: `proxy_set_header Host $http_host` passes the client's Host header as it came,
// not the host nginx chose the server by: $host is the request line's host, else the Host header,
// else server_name, lowercased and without the port (ngx_http_variable_host()); $arg_* is anyone's.
// In a catch-all server (a default_server, or one named only "_" or "") every host lands: there $host
// is the client's host too, and the finding would change nothing.

import { named, type Level } from '../../../websocket/levels';
import { findingAt, entriesNamed, levelsAround, wordsSpan, type SecurityRule } from '../rule';

const DEFAULT_SERVER = new Set(['default_server', 'default']);

/** A server that takes requests for any host: the default of one of its listens, or named only "_" or "". */
function catchesAll(server: Level): boolean {
  if (named(server, 'listen').some((listen) => listen.directive.args.slice(1).some((arg) => DEFAULT_SERVER.has(arg.value)))) return true;
  const names = named(server, 'server_name').flatMap((placed) => placed.directive.args.map((arg) => arg.value));
  return names.length > 0 && names.every((name) => name === '_' || name === '');
}

/** Values of a Host header that the client writes verbatim. */
const CLIENT_HOST = /^\$(?:\{http_host\}|http_host|\{arg_\w+\}|arg_\w+)$/i;

export const hostSpoofing: SecurityRule = {
  id: 'host-spoofing',
  severity: 'information',
  docs: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#var_host',
  description: 'proxy_set_header Host from $http_host or $arg_*: the backend sees whatever host the client wrote.',
  check(scope) {
    return entriesNamed(scope, 'proxy_set_header').flatMap((entry) => {
      const [name, value] = entry.directive.args;
      if (name?.value.toLowerCase() !== 'host' || !value || !CLIENT_HOST.test(value.value)) return [];
      const server = levelsAround(scope, entry).find((level) => level.block?.name.value === 'server');
      if (server && catchesAll(server) && !/arg_/i.test(value.value)) return [];
      return [findingAt(this, scope, wordsSpan(entry.directive),
        `Host is sent as the client wrote it (${value.value}): the backend may build links or pick a tenant from a spoofed host; $host is the one nginx chose the server by`, {
          fixes: [{ title: 'Send "Host $host"', preferred: true, edits: [{ file: scope.file.path, span: value, newText: '$host' }] }],
        })];
    });
  },
};
