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

/** The defaults that a list in force (its names lowercase) does not name: nginx adds them after the list. */
export const defaultsNotSet = (setKeys: readonly string[], target: TargetVersion) =>
  proxyDefaultHeaders(target).filter((header) => !setKeys.includes(header.name.toLowerCase()));

/**
 * Every name of ngx_http_proxy_headers[]: Host and Connection above, Content-Length and
 * Transfer-Encoding nginx makes from the request body, and TE, Keep-Alive, Expect and Upgrade with
 * an empty value. A client's header of one of these names is never passed as is: the names are in
 * the headers hash that ngx_http_proxy_create_request() skips (ngx_http_proxy_init_headers()).
 * So a client's `Upgrade` reaches the upstream only through a proxy_set_header.
 */
export const PROXY_OWN_HEADERS = ['Host', 'Connection', 'Content-Length', 'Transfer-Encoding', 'TE', 'Keep-Alive', 'Expect', 'Upgrade'];
