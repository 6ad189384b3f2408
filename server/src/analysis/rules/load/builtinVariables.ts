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

/**
 * The dynamic modules of Debian's nginx-extras 1.22.1 (/usr/lib/nginx/modules): the variables they
 * define are the ones above. Another module may define any.
 */
const NGINX_EXTRAS_MODULES = new Set([
  'ndk_http_module', 'ngx_http_auth_pam_module', 'ngx_http_cache_purge_module', 'ngx_http_dav_ext_module',
  'ngx_http_echo_module', 'ngx_http_fancyindex_module', 'ngx_http_geoip2_module', 'ngx_http_geoip_module',
  'ngx_http_headers_more_filter_module', 'ngx_http_image_filter_module', 'ngx_http_lua_module', 'ngx_http_perl_module',
  'ngx_http_subs_filter_module', 'ngx_http_uploadprogress_module', 'ngx_http_upstream_fair_module',
  'ngx_http_xslt_filter_module', 'ngx_mail_module', 'ngx_nchan_module', 'ngx_stream_geoip2_module',
  'ngx_stream_geoip_module', 'ngx_stream_module',
]);

/** `load_module PATH` loads a module whose variables we know. */
export const isKnownModule = (modulePath: string) => NGINX_EXTRAS_MODULES.has(modulePath.replace(/^.*\//, '').replace(/\.so$/, ''));

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
