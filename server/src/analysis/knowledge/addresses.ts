// How nginx reads the address of an upstream or a listen (ngx_parse_url() in src/core/ngx_inet.c),
// as far as the checks of ports and upstreams need it.

/** A dotted IPv4 address, as ngx_inet_addr() reads one. */
export const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * The directives whose first argument nginx reads as an upstream address (ngx_http_upstream_add(),
 * ngx_http_upstream_server() and their stream twins, through ngx_parse_url()), with the schemes
 * their http handlers strip first and whether the address may go on with a URI (`u.uri_part`).
 * The stream tree's proxy_pass takes a bare address.
 */
export const UPSTREAM_ADDRESSES: ReadonlyMap<string, { schemes: readonly string[]; uriPart: boolean }> = new Map([
  ['proxy_pass', { schemes: ['http://', 'https://'], uriPart: true }],
  ['fastcgi_pass', { schemes: [], uriPart: false }],
  ['scgi_pass', { schemes: [], uriPart: false }],
  ['memcached_pass', { schemes: [], uriPart: false }],
  ['uwsgi_pass', { schemes: ['uwsgi://', 'suwsgi://'], uriPart: false }],
  ['grpc_pass', { schemes: ['grpc://', 'grpcs://'], uriPart: false }],
  ['server', { schemes: [], uriPart: false }],
]);

/** The directives that pass requests to an upstream address (every one of UPSTREAM_ADDRESSES but an upstream's `server`). */
export const UPSTREAM_PASSES: readonly string[] = [...UPSTREAM_ADDRESSES.keys()].filter((name) => name !== 'server');

/** A port as ngx_parse_inet_url() takes it: digits (ngx_atoi()) from 1 to 65535. */
export const isPort = (text: string) => /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;

/** `value` without the first of `schemes` it starts with (compared case-insensitively, as ngx_strncasecmp()). */
export function withoutScheme(value: string, schemes: readonly string[]): string {
  const scheme = schemes.find((prefix) => value.toLowerCase().startsWith(prefix));
  return scheme ? value.slice(scheme.length) : value;
}

/** The port of `host[:port]` as ngx_parse_inet_url() finds it: after the first `:`, or after `]:` for an IPv6 address; undefined without one. */
export function portOf(host: string): string | undefined {
  if (host.startsWith('[')) return host.includes(']:') ? host.slice(host.indexOf(']:') + 2) : undefined;
  return host.includes(':') ? host.slice(host.indexOf(':') + 1) : undefined;
}

/** The port a `listen` names (ngx_parse_url() with u.listen: a number alone is one), if any. */
export const listenPortOf = (address: string) => (/^\d+$/.test(address) ? address : portOf(address));

/** An address without its URI part: `host[:port]`. */
export const withoutUriPart = (address: string) => address.slice(0, address.length - uriPart(address).length);

/** The URI part of an address (ngx_parse_url()): from its first `/` or `?`; for a unix socket, after the `:` that ends its path. */
export function uriPart(address: string): string {
  if (address.startsWith('unix:')) {
    const colon = address.indexOf(':', 'unix:'.length);
    return colon < 0 ? '' : address.slice(colon + 1);
  }
  const start = address.search(/[/?]/);
  return start < 0 ? '' : address.slice(start);
}
