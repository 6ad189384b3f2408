// What the set handlers of some directives refuse in their values, where the handler is nginx's own
// code rather than an ngx_conf_set_*_slot (values.ts): modelled on the handler, which each check names.
// A value with variables is read per request: only literal values are judged.

import { parseTime } from './values';

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** ngx_ptocidr() (src/core/ngx_inet.c): an IPv4 or IPv6 address with an optional /bits prefix length. */
function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const bits = slash < 0 ? undefined : text.slice(slash + 1);
  const v6 = address.includes(':');
  if (v6 ? !isIpv6(address) : !IPV4.test(address)) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (v6 ? 128 : 32));
}

function isIpv6(text: string): boolean {
  try {
    return new URL(`http://[${text}]/`).hostname.length > 0;
  } catch {
    return false;
  }
}

/** ngx_http_core_limit_except(): the methods of ngx_methods_names[], compared ignoring case. */
const LIMIT_EXCEPT_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'MKCOL', 'COPY', 'MOVE', 'OPTIONS', 'PROPFIND', 'PROPPATCH', 'LOCK', 'UNLOCK', 'PATCH']);

/** ngx_http_core_error_page(): CODE... [=[RESPONSE]] URI. */
function errorPageProblem(args: readonly string[]): string | undefined {
  const beforeUri = args.length - 2;
  const overwrite = args[beforeUri]?.startsWith('=') ? args[beforeUri] : undefined;
  if (overwrite !== undefined && (beforeUri === 0 || (overwrite.length > 1 && !/^\d+$/.test(overwrite.slice(1))))) return `invalid value "${overwrite}"`;
  const codes = args.slice(0, overwrite === undefined ? args.length - 1 : beforeUri);
  for (const code of codes) {
    if (!/^\d+$/.test(code) || code === '499') return `invalid value "${code}"`;
    if (Number(code) < 300 || Number(code) > 599) return `value "${code}" must be between 300 and 599`;
  }
  return undefined;
}

/** ngx_http_core_listen() and its twins: the port of the address (ngx_parse_url() with u.listen), 1 to 65535. */
function listenPortProblem([address = '']: readonly string[]): string | undefined {
  if (address.startsWith('unix:') || address.includes('$')) return undefined;
  const port =
    /^\d+$/.test(address) ? address
    : address.startsWith('[') ? (address.includes(']:') ? address.slice(address.indexOf(']:') + 2) : undefined)
    : address.includes(':') ? address.slice(address.indexOf(':') + 1)
    : undefined;
  // Port ranges (1.27.3) are left to the parameters' data.
  if (port === undefined || port.includes('-')) return undefined;
  return /^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535 ? undefined : `invalid port in "${address}" of the "listen" directive`;
}

const REWRITE_FLAGS = new Set(['last', 'break', 'redirect', 'permanent']);

type HandlerCheck = (args: readonly string[]) => string | undefined;

/** By directive name and tree. */
const CHECKS: ReadonlyMap<string, HandlerCheck> = new Map<string, HandlerCheck>([
  // ngx_http_access_rule() and ngx_stream_access_rule(): all, unix: (http), or a CIDR.
  ...['allow', 'deny'].map((name): [string, HandlerCheck] => [name, ([value = '']) =>
    value === 'all' || value === 'unix:' || value.includes('$') || isCidr(value) ? undefined : `invalid parameter "${value}"`]),
  ['error_page', errorPageProblem],
  // ngx_http_rewrite_set() and ngx_stream_set(): the name must be a variable.
  ['set', ([name = '']) => (name.startsWith('$') ? undefined : `invalid variable name "${name}"`)],
  ['limit_except', (methods) => {
    const wrong = methods.find((method) => !LIMIT_EXCEPT_METHODS.has(method.toUpperCase()));
    return wrong === undefined ? undefined : `invalid method "${wrong}"`;
  }],
  ['listen', listenPortProblem],
  // ngx_http_rewrite(): the flag, compared as written.
  ['rewrite', (args) => (args.length === 3 && !REWRITE_FLAGS.has(args[2]) ? `invalid parameter "${args[2]}"` : undefined)],
  // ngx_http_file_cache_valid_set_slot(): the last word is a time in seconds.
  ...['proxy', 'fastcgi', 'scgi', 'uwsgi'].map((module): [string, HandlerCheck] => [`${module}_cache_valid`, (args) => {
    const time = args[args.length - 1] ?? '';
    return parseTime(time, true) === undefined ? `invalid time value "${time}"` : undefined;
  }]),
]);

/** What the handler of `name` refuses in `args`, in nginx's words. */
export function handlerValueProblem(name: string, args: readonly string[]): string | undefined {
  return CHECKS.get(name)?.(args);
}
