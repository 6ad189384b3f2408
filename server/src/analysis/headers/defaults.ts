// The request headers ngx_http_proxy_module adds on its own, by release. A proxy_set_header of the
// same name replaces the default (ngx_http_proxy_init_headers() skips a default the list has).

import { compareVersions, parseVersion, type TargetVersion } from '../knowledge/versions';

/**
 * nginx 1.29.7 made HTTP/1.1 the default of proxy_http_version, stopped sending "Connection: close"
 * and keeps upstream connections alive by default (changes.xml of 1.29.7; ngx_http_proxy_headers[]
 * gives Connection an empty value from then on).
 */
export const KEEPALIVE_DEFAULTS_SINCE = parseVersion('1.29.7')!;

export const defaultsToHttp11 = (target: TargetVersion) => compareVersions(target.version, KEEPALIVE_DEFAULTS_SINCE) >= 0;

/** The headers nginx sends to a proxied upstream unless the list in force names them (ngx_http_proxy_headers[]). */
export function proxyDefaultHeaders(target: TargetVersion): Array<{ name: string; value: string }> {
  return [
    { name: 'Host', value: '$proxy_host' },
    ...(defaultsToHttp11(target) ? [] : [{ name: 'Connection', value: 'close' }]),
  ];
}
