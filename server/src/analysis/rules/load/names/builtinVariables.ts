// Which variable names nginx itself defines (from its source, per release) and those of the
// third-party modules that Debian's nginx-extras ships.

import { isNginxVariable, type VariableFamily } from '../../../knowledge/variables';
import type { TargetVersion } from '../../../knowledge/versions';
import { moduleOfPath } from '../../../thirdParty';

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
export const isKnownModule = (modulePath: string) => NGINX_EXTRAS_MODULES.has(moduleOfPath(modulePath));

/**
 * `name` (without `$`, lowercase) is a variable that nginx at the target, or one of nginx-extras'
 * modules, defines in the `tree` a use stands in. Without a tree (a fragment read alone, whose tree
 * is a guess: a conf.d file of stream `log_format`s reads as http), the http and stream trees count
 * alike, as a false Error is the worse mistake.
 */
export function isBuiltinVariable(name: string, target: TargetVersion, tree?: VariableFamily): boolean {
  const inTree = tree ? isNginxVariable(name, tree, target) : isNginxVariable(name, 'http', target) || isNginxVariable(name, 'stream', target);
  return inTree || THIRD_PARTY_PREFIXES.some((prefix) => name.startsWith(prefix));
}
