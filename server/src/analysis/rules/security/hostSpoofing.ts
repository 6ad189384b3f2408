// host-spoofing: `proxy_set_header Host $http_host` passes the client's Host header as it came,
// not the host nginx chose the server by: $host is the request line's host, else the Host header,
// else server_name, lowercased and without the port (ngx_http_variable_host()); $arg_* is anyone's.

import { findingAt, entriesNamed, wordsSpan, type SecurityRule } from './rule';

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
      return [findingAt(this, scope, wordsSpan(entry.directive),
        `Host is sent as the client wrote it (${value.value}): the backend may build links or pick a tenant from a spoofed host; $host is the one nginx chose the server by`, {
          fixes: [{ title: 'Send "Host $host"', preferred: true, edits: [{ file: scope.file.path, span: value, newText: '$host' }] }],
        })];
    });
  },
};
