// Which variable names nginx itself defines: the documented ones (with the `$http_NAME`-style
// families), those of nginx 1.22's source that the docs leave out, and those of the third-party
// modules that Debian's nginx-extras ships.

import { findVariables } from '../../reference';

/**
 * Variables of nginx 1.22.1's modules that @nginx/reference-lib does not document
 * (ngx_http_browser_module.c, ngx_http_geoip_module.c, ngx_http_grpc_module.c,
 * ngx_http_proxy_module.c, ngx_http_variables.c's TCP_INFO ones).
 */
const UNDOCUMENTED = new Set([
  'ancient_browser', 'modern_browser', 'msie',
  'geoip_area_code', 'geoip_city', 'geoip_city_continent_code', 'geoip_city_country_code', 'geoip_city_country_code3',
  'geoip_city_country_name', 'geoip_country_code', 'geoip_country_code3', 'geoip_country_name', 'geoip_dma_code',
  'geoip_latitude', 'geoip_longitude', 'geoip_org', 'geoip_postal_code', 'geoip_region', 'geoip_region_name',
  'grpc_internal_trailers', 'proxy_add_via', 'proxy_internal_body_length', 'proxy_internal_chunked',
  'tcpinfo_rtt', 'tcpinfo_rttvar', 'tcpinfo_snd_cwnd',
]);

/** Prefixes of the variables that nginx-extras' echo, nchan and uploadprogress modules define. */
const THIRD_PARTY_PREFIXES = ['echo_', 'nchan_', 'uploadprogress_'];

/** Answers by name: a large configuration uses the same few variables thousands of times. */
const known = new Map<string, boolean>();

/** `name` (without `$`, lowercase) is a variable that nginx or one of nginx-extras' modules defines. */
export function isBuiltinVariable(name: string): boolean {
  let builtin = known.get(name);
  if (builtin === undefined) {
    builtin = findVariables(name).length > 0 || UNDOCUMENTED.has(name) || THIRD_PARTY_PREFIXES.some((prefix) => name.startsWith(prefix));
    known.set(name, builtin);
  }
  return builtin;
}
