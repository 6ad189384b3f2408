// proxy-pass-no-resolver: a proxy_pass host taken from a variable is resolved at run time, which
// needs a `resolver` (ngx_http_proxy_handler(): "no resolver defined to resolve %V", a 502), unless
// the value names an upstream block or is an address.

import { named } from '../../../websocket/levels';
import { entriesNamed, findingAt, levelsAround, type SecurityRule } from '../rule';
import { literalValues, schemeAndHost, upstreamNames, variablesIn } from './proxyTarget';

/** A host that needs no resolving: an IPv4 or bracketed IPv6 address, with or without a port. */
const ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d+)?$/i;

export const resolverMissing: SecurityRule = {
  id: 'proxy-pass-no-resolver',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#resolver',
  description: 'proxy_pass with a host from a variable whose values are host names, and no resolver: every request fails with 502.',
  check(scope) {
    let upstreams: ReadonlySet<string> | undefined;
    return entriesNamed(scope, 'proxy_pass').flatMap((entry) => {
      const url = entry.directive.args[0];
      if (!url || !url.value.includes('://')) return [];
      const host = schemeAndHost(url.value).split('://')[1] ?? '';
      const [variable] = variablesIn(host);
      if (!variable || (host !== `$${variable}` && host !== `\${${variable}}`)) return [];
      const levels = levelsAround(scope, entry);
      if (levels.some((level) => named(level, 'resolver').length > 0)) return [];
      // Only values we know: a client-chosen host is the ssrf rule's, a Lua-set one we cannot read.
      const values = literalValues(scope, levels, variable);
      upstreams ??= upstreamNames(scope);
      const needsResolving = values?.find((value) => value !== '' && !ADDRESS.test(value) && !upstreams!.has(value.split(':')[0].toLowerCase()));
      if (!needsResolving) return [];
      return [findingAt(this, scope, url,
        `$${variable} can be "${needsResolving}", which is no upstream and no address: nginx resolves it per request and, with no "resolver" here, answers 502`)];
    });
  },
};
