// ssrf: proxy_pass whose scheme or host comes from the client. nginx connects wherever the value
// points (ngx_http_proxy_eval() parses the URL at run time), so a client reaches internal services.
// An `internal` location is reached only by nginx's own redirects, whose values the config chooses.

import { isInternal, entriesNamed, findingAt, levelsAround, type SecurityRule } from '../rule';
import { clientSource, schemeAndHost, variablesIn } from './proxyTarget';

export const ssrf: SecurityRule = {
  id: 'ssrf',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass',
  description: 'proxy_pass whose scheme or host the client controls, outside an internal location.',
  check(scope) {
    return entriesNamed(scope, 'proxy_pass').flatMap((entry) => {
      const url = entry.directive.args[0];
      const variables = url ? variablesIn(schemeAndHost(url.value)) : [];
      // The levels only for a URL with variables: most proxy_pass name a fixed upstream.
      if (!url || variables.length === 0) return [];
      const levels = levelsAround(scope, entry);
      if (isInternal(levels)) return [];
      for (const variable of variables) {
        const source = clientSource(entry, levels, variable);
        if (!source) continue;
        return [findingAt(this, scope, url,
          `The ${url.value.includes('://') && !url.value.startsWith('$') ? 'host' : 'scheme or host'} of proxy_pass comes from the client (${source}): any request can make nginx connect to an internal address (SSRF); map the value to known backends, or mark the location internal`)];
      }
      return [];
    });
  },
};
