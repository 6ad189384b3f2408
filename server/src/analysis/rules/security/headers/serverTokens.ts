// server-tokens: `server_tokens on` (or `build`) names the nginx version in the Server header and on
// error pages (ngx_http_header_filter(), ngx_http_special_response.c), which tells an attacker which
// known vulnerabilities to try. The default is on too, but only an explicit setting is reported.

import { entriesNamed, findingAt, wordsSpan, type SecurityRule } from '../rule';

export const serverTokens: SecurityRule = {
  id: 'server-tokens',
  severity: 'information',
  docs: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens',
  description: '"server_tokens on": the nginx version in every Server header and error page.',
  check(scope) {
    return entriesNamed(scope, 'server_tokens').flatMap((entry) => {
      const value = entry.directive.args[0];
      if (value?.value !== 'on' && value?.value !== 'build') return [];
      return [findingAt(this, scope, wordsSpan(entry.directive), `"server_tokens ${value.value}" shows the nginx version in the Server header and on error pages`, {
        fixes: [{ title: 'Change to "server_tokens off"', preferred: true, edits: [{ file: scope.file.path, span: value, newText: 'off' }] }],
      })];
    });
  },
};
