// What the set handlers of some directives refuse in their values, where the handler is nginx's own
// code rather than an ngx_conf_set_*_slot (values.ts): modelled on the handler, which each check names.
// A value with variables is read per request: only literal values are judged.

import { KEEPALIVE_DEFAULTS_SINCE } from '../headers/defaults';
import { IPV4, isPort, listenPortOf, portOf, withoutUriPart } from './addresses';
import { parseTime } from './values';
import { compareVersions, parseVersion, type TargetVersion } from './versions';


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
  // A number alone is a port ("test value as port only").
  const port = listenPortOf(address);
  // Port ranges (1.27.3) are left to the parameters' data.
  if (port === undefined || port.includes('-')) return undefined;
  return isPort(port) ? undefined : `invalid port in "${address}" of the "listen" directive`;
}

const REWRITE_FLAGS = new Set(['last', 'break', 'redirect', 'permanent']);

const LOCATION_MODIFIERS = new Set(['=', '~', '~*', '^~']);

/** err_levels[] and debug_levels[] of src/core/ngx_log.c. */
const LOG_LEVELS = new Set([
  'emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug',
  'debug_core', 'debug_alloc', 'debug_mutex', 'debug_event', 'debug_http', 'debug_mail', 'debug_stream',
]);

/** A word that must name a variable to define, as `$name` (undefined: not written, another error). */
const variableNameProblem = (word: string | undefined) => (word === undefined || word.startsWith('$') ? undefined : `invalid variable name "${word}"`);

/** ngx_parse_size(): a number with an optional k or m, either case. */
const isSize = (text: string) => /^\d+[kKmM]?$/.test(text);

/** ngx_pagesize on x86-64 and arm64 Linux. */
const PAGE_SIZE = 4096;

/** The smallest limit zone and TLS session cache: eight pages (ngx_http_limit_req_zone(), ngx_http_ssl_session_cache()). */
const SMALLEST_ZONE = 8 * PAGE_SIZE;

/** The size of a `NAME:SIZE` zone parameter in bytes (the size after the first `:`), or undefined when it has none nginx reads. */
function zoneSize(parameter: string): number | undefined {
  const size = parameter.includes(':') ? parameter.slice(parameter.indexOf(':') + 1) : undefined;
  if (size === undefined || !isSize(size)) return undefined;
  return Number(size.replace(/[kKmM]$/, '')) * ({ k: 1024, m: 1024 * 1024 }[size.slice(-1).toLowerCase()] ?? 1);
}

/** ngx_http_limit_req_zone() and ngx_http_limit_conn_zone() (and stream's): `zone=NAME:SIZE`, and for limit_req `rate=Nr/s` or `r/m`. */
function limitZoneProblem(args: readonly string[], takesRate: boolean): string | undefined {
  for (const parameter of args.slice(1)) {
    if (parameter.startsWith('zone=')) {
      const size = zoneSize(parameter);
      if (size === undefined) return `invalid zone size "${parameter}"`;
      if (size < SMALLEST_ZONE) return `zone "${parameter}" is too small`;
    } else if (takesRate && parameter.startsWith('rate=')) {
      const rate = parameter.slice('rate='.length).replace(/r\/[sm]$/, '');
      if (!/^\d+$/.test(rate) || Number(rate) === 0) return `invalid rate "${parameter}"`;
    } else {
      return `invalid parameter "${parameter}"`;
    }
  }
  return undefined;
}

/**
 * ngx_http_upstream_server() and ngx_stream_upstream_server(): the parameters after the address.
 * `resolve` and `service=` came with 1.27.3, `drain` and `route=` after 1.28 (taken from 1.29 on: a
 * release of the data that has them is 1.30).
 */
function upstreamServerProblem(args: readonly string[], target: TargetVersion): string | undefined {
  const resolves = compareVersions(target.version, RESOLVE_SINCE) >= 0;
  const sticky = compareVersions(target.version, STICKY_SINCE) >= 0;
  const wrong = args.slice(1).find((parameter) => {
    const [name, value] = parameter.includes('=') ? [parameter.slice(0, parameter.indexOf('=') + 1), parameter.slice(parameter.indexOf('=') + 1)] : [parameter, undefined];
    switch (name) {
      case 'weight=': return !/^\d+$/.test(value!) || Number(value) === 0;
      case 'max_conns=':
      case 'max_fails=': return !/^\d+$/.test(value!);
      case 'fail_timeout=': return parseTime(value!, true) === undefined;
      case 'backup':
      case 'down': return false;
      case 'resolve':
      case 'service=': return !resolves;
      case 'drain':
      case 'route=': return !sticky;
      default: return true;
    }
  });
  return wrong === undefined ? undefined : `invalid parameter "${wrong}"`;
}

/** `server ... resolve` and `service=` in an upstream block (before, invalid parameters). */
export const RESOLVE_SINCE = parseVersion('1.27.3')!;
/** An upstream server's `route=` and `drain` (CHANGES 1.29.6: "the "server" directive supports the "route" and "drain" parameters"). */
const STICKY_SINCE = parseVersion('1.29.6')!;

/**
 * ngx_http_ssl_session_cache() (and stream's and mail's): off, none, builtin[:N], shared:NAME:SIZE,
 * the size read after the first `:` past the name, at least eight pages.
 */
function sessionCacheProblem(args: readonly string[]): string | undefined {
  for (const value of args) {
    if (value === 'off' || value === 'none' || value === 'builtin' || /^builtin:\d+$/.test(value)) continue;
    const size = /^shared:[^:]+:/.test(value) ? zoneSize(value.slice('shared:'.length)) : undefined;
    if (size === undefined) return `invalid session cache "${value}"`;
    if (size < SMALLEST_ZONE) return `session cache "${value}" is too small`;
  }
  return undefined;
}

/** ngx_http_headers_expires() and ngx_http_parse_expires(): [modified] [@|+|-]time, or epoch, max, off. */
function expiresProblem(args: readonly string[]): string | undefined {
  const problem = (why: string) => `"expires" directive ${why}`;
  const modified = args.length === 2;
  if (modified && args[0] !== 'modified') return problem('invalid value');
  const value = args[args.length - 1] ?? '';
  if (value.includes('$') || (!modified && ['epoch', 'max', 'off'].includes(value))) return undefined;
  const daily = value.startsWith('@');
  if (daily && modified) return problem('daily time cannot be used with "modified" parameter');
  const time = parseTime(/^[@+-]/.test(value) ? value.slice(1) : value, true);
  if (time === undefined) return problem('invalid value');
  return daily && time > 24n * 60n * 60n ? problem('daily time value must be less than 24 hours') : undefined;
}

/** ngx_resolver_create(): valid=TIME, ipv4= and ipv6= on or off (other words are addresses). */
/** ngx_resolver_create() reads `ipv4=` since 1.23.1: before, the word is an address like any other. */
const RESOLVER_IPV4_SINCE = parseVersion('1.23.1')!;

/**
 * ngx_resolver_create(), word by word: `valid=TIME`, `ipv6=on|off` (and `ipv4=` since 1.23.1) are
 * parameters; any other word is an address, read with ngx_parse_url() without a URI part: a port
 * after the first `:` (an IPv6 address needs brackets, `[::1]`), 53 by default. A word with `=` is
 * no host name the system resolves (`status_zone=` is NGINX Plus's): "host not found".
 */
function resolverWordProblem(word: string, target: TargetVersion): string | undefined {
  if (word.startsWith('valid=')) return parseTime(word.slice('valid='.length), true) === undefined ? `invalid parameter: ${word}` : undefined;
  if (word.startsWith('ipv6=') || (word.startsWith('ipv4=') && compareVersions(target.version, RESOLVER_IPV4_SINCE) >= 0)) {
    return /^ipv[46]=(?:on|off)$/.test(word) ? undefined : `invalid parameter: ${word}`;
  }
  if (word.startsWith('[')) return undefined;
  if (/[/?]/.test(word)) return `invalid host in resolver "${word}"`;
  if (word.includes('=')) return `host not found in resolver "${word}"`;
  const colon = word.indexOf(':');
  const port = colon < 0 ? undefined : word.slice(colon + 1);
  return port === undefined || isPort(port) ? undefined : `invalid port in resolver "${word}"`;
}

/**
 * ngx_http_rewrite_if_condition(): `(` opens the first word or is one, `)` closes the last or is one;
 * inside, `$var`, `$var OP value` (=, !=, ~, ~*, !~, !~*) or `-f|-d|-e|-x path` (or `!-f`...).
 * Regular expressions are compiled by PCRE, whose verdict is not ours to give.
 */
function ifConditionProblem(args: readonly string[]): string | undefined {
  const words = [...args];
  if (!words[0]?.startsWith('(')) return `invalid condition "${words[0] ?? ''}"`;
  let cur = 0;
  if (words[0] === '(') cur = 1;
  else words[0] = words[0].slice(1);
  let last = words.length - 1;
  if (!words[last].endsWith(')')) return `invalid condition "${words[last]}"`;
  if (words[last] === ')') last--;
  else words[last] = words[last].slice(0, -1);
  const first = words[cur] ?? '';
  if (first.length > 1 && first.startsWith('$')) {
    if (cur !== last && cur + 2 !== last) return `invalid condition "${first}"`;
    if (cur === last || IF_OPERATORS.has(words[cur + 1])) return undefined;
    return `unexpected "${words[cur + 1]}" in condition`;
  }
  const fileTest = /^!?-([fdex])$/.exec(first);
  return fileTest && cur + 1 === last ? undefined : `invalid condition "${first}"`;
}

const IF_OPERATORS = new Set(['=', '!=', '~', '~*', '!~', '!~*']);

/** ngx_parse_offset(): a number with an optional k, m or g, either case. */
const isOffset = (text: string) => /^\d+[kKmMgG]?$/.test(text);

/** The release that added min_free= to the cache paths. */
const MIN_FREE_SINCE = parseVersion('1.19.1')!;

/** The parameters of ngx_http_file_cache_set_slot() after the path, and what each value must be. */
const CACHE_PATH_VALUES: ReadonlyMap<string, (value: string) => boolean> = new Map([
  ['inactive=', (value: string) => parseTime(value, true) !== undefined],
  ['max_size=', isOffset],
  ['min_free=', isOffset],
  ['loader_files=', (value: string) => /^\d+$/.test(value)],
  ['manager_files=', (value: string) => /^\d+$/.test(value)],
  ...['loader_sleep=', 'loader_threshold=', 'manager_sleep=', 'manager_threshold='].map((name): [string, (value: string) => boolean] => [name, (value) => parseTime(value, false) !== undefined]),
]);

/** ngx_http_file_cache_set_slot(), for proxy_cache_path and its fastcgi, scgi, uwsgi twins. */
function cachePathProblem(name: string, args: readonly string[], target: TargetVersion): string | undefined {
  for (const parameter of args.slice(1)) {
    if (parameter.startsWith('levels=')) {
      // One to three levels of 1 or 2 characters each.
      if (!/^[12](?::[12]){0,2}$/.test(parameter.slice('levels='.length))) return `invalid "levels" "${parameter}"`;
    } else if (parameter.startsWith('use_temp_path=')) {
      if (!/^use_temp_path=(?:on|off)$/.test(parameter)) return `invalid use_temp_path value "${parameter}", it must be "on" or "off"`;
    } else if (parameter.startsWith('keys_zone=')) {
      const size = zoneSize(parameter);
      if (size === undefined) return `invalid keys zone size "${parameter}"`;
      if (size < 2 * PAGE_SIZE) return `keys zone "${parameter}" is too small`;
    } else {
      const key = parameter.slice(0, parameter.indexOf('=') + 1);
      const valid = CACHE_PATH_VALUES.get(key);
      if (!valid || (key === 'min_free=' && compareVersions(target.version, MIN_FREE_SINCE) < 0)) return `invalid parameter "${parameter}"`;
      if (!valid(parameter.slice(key.length))) return `invalid ${key.slice(0, -1)} value "${parameter}"`;
    }
  }
  return args.slice(1).some((parameter) => parameter.startsWith('keys_zone=')) ? undefined : `"${name}" must have "keys_zone" parameter`;
}

/**
 * ngx_http_log_set_log() and ngx_stream_log_set_log(): `off` alone, or a path and a format, then
 * buffer=, flush=, gzip[=level] and if=. A buffer (gzip sets one) needs a file named without variables.
 */
function accessLogProblem(args: readonly string[]): string | undefined {
  const [path = '', , ...parameters] = args;
  if (path === 'off') return args.length > 1 ? `invalid parameter "${args[1]}"` : undefined;
  let buffered = false;
  let flushed = false;
  for (const parameter of parameters) {
    if (parameter.startsWith('buffer=')) {
      const size = parameter.slice('buffer='.length);
      if (!isSize(size) || /^0+[kKmM]?$/.test(size)) return `invalid buffer size "${size}"`;
      buffered = true;
    } else if (parameter.startsWith('flush=')) {
      const time = parameter.slice('flush='.length);
      const flush = parseTime(time, false);
      if (flush === undefined || flush === 0n) return `invalid flush time "${time}"`;
      flushed = true;
    } else if (parameter === 'gzip' || parameter.startsWith('gzip=')) {
      const level = parameter.slice('gzip='.length);
      if (parameter !== 'gzip' && !/^[1-9]$/.test(level)) return `invalid compression level "${level}"`;
      buffered = true;
    } else if (!parameter.startsWith('if=')) return `invalid parameter "${parameter}"`;
  }
  if (flushed && !buffered) return `no buffer is defined for access_log "${path}"`;
  if (!buffered) return undefined;
  if (path.startsWith('syslog:')) return 'logs to syslog cannot be buffered';
  return path.includes('$') ? 'buffered logs cannot have variables in name' : undefined;
}

/** ngx_http_limit_req(): zone=, burst= and delay= numbers above 0, nodelay; a zone is a must. */
function limitReqProblem(args: readonly string[]): string | undefined {
  for (const parameter of args) {
    const [, key, value] = /^(burst|delay)=(.*)$/.exec(parameter) ?? [];
    if (key) {
      if (!/^\d+$/.test(value) || Number(value) === 0) return `invalid ${key} value "${parameter}"`;
    } else if (!parameter.startsWith('zone=') && parameter !== 'nodelay') return `invalid parameter "${parameter}"`;
  }
  return args.some((parameter) => parameter.startsWith('zone=')) ? undefined : '"limit_req" must have "zone" parameter';
}

/** ngx_http_log_compile_format() and the stream one: the escaping a `log_format` names first. */
const LOG_ESCAPES = new Set(['default', 'json', 'none']);

type HandlerCheck = (args: readonly string[], target: TargetVersion) => string | undefined;

/**
 * ngx_http_core_server_name() and its stream twin: a wildcard is `*.` and more, or `.` and more; a
 * regex `~` and more (with PCRE, as Debian's and the source builds have it).
 */
function serverNameProblem(names: readonly string[]): string | undefined {
  for (const name of names) {
    if ((name.startsWith('*') && (name.length < 3 || name[1] !== '.')) || (name.startsWith('.') && name.length < 2)) return `server name "${name}" is invalid`;
    if (name === '~') return `empty regex in server name "${name}"`;
  }
  return undefined;
}

/**
 * ngx_mail_auth_http(): `[http://]host[:port][/uri]`, the scheme compared as written (ngx_strncmp()),
 * the port read as ngx_parse_inet_url() reads it. (The host is resolved at load: not judged.)
 */
function authHttpProblem([url = '']: readonly string[]): string | undefined {
  const address = url.startsWith('http://') ? url.slice('http://'.length) : url;
  if (address.startsWith('unix:')) return undefined;
  const port = portOf(withoutUriPart(address));
  return port === undefined || isPort(port) ? undefined : `invalid port in auth_http "${address}"`;
}

/**
 * The protocols of the mail modules and the ports a listen makes a server speak them on when it
 * names none (ngx_mail_imap_module.c, ngx_mail_pop3_module.c, ngx_mail_smtp_module.c: the same in
 * every release from 1.18 to 1.31).
 */
export const MAIL_PROTOCOL_PORTS: ReadonlyMap<string, readonly number[]> = new Map([['imap', [143, 993]], ['pop3', [110, 995]], ['smtp', [25, 465, 587]]]);

/** ngx_parse_addr_port() reads `[ipv6]` without a port from 1.27.3 (CHANGES: "can be specified in the "proxy_bind" ... directives"). */
const BRACKETED_ADDRESS_SINCE = parseVersion('1.27.3')!;

/** ngx_parse_addr(): an IPv4 address as ngx_inet_addr() reads it, or an IPv6 one. */
const isAddress = (text: string) => inetAddress(text) !== undefined || isIpv6(text);

/**
 * ngx_http_upstream_bind_set_slot() and ngx_stream_proxy_bind(): `off`, a value with variables (read
 * per request), or an address with an optional port, as ngx_parse_addr_port() reads it: the port
 * after the first `:`, or after `]` for an IPv6 address in brackets.
 */
function bindProblem([value = '']: readonly string[], target: TargetVersion): string | undefined {
  if (value === 'off' || value.includes('$') || isAddress(value)) return undefined;
  let address = value;
  let port: string;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    address = value.slice(1, close);
    if (close === value.length - 1 && compareVersions(target.version, BRACKETED_ADDRESS_SINCE) >= 0) port = '1';
    else port = close > 0 && value[close + 1] === ':' ? value.slice(close + 2) : '';
  } else {
    const colon = value.indexOf(':');
    address = value.slice(0, colon);
    port = colon < 0 ? '' : value.slice(colon + 1);
  }
  return isPort(port) && isAddress(address) ? undefined : `invalid address "${value}"`;
}

/** By directive name and tree. */
const CHECKS: ReadonlyMap<string, HandlerCheck> = new Map<string, HandlerCheck>([
  // ngx_http_access_rule() and ngx_stream_access_rule(): all, unix: (http), or a CIDR.
  ...['allow', 'deny'].map((name): [string, HandlerCheck] => [name, ([value = '']) =>
    value === 'all' || value === 'unix:' || value.includes('$') || isCidr(value) ? undefined : `invalid parameter "${value}"`]),
  ['error_page', errorPageProblem],
  ...['proxy', 'fastcgi', 'scgi', 'uwsgi', 'grpc', 'memcached'].map((module): [string, HandlerCheck] => [`${module}_bind`, bindProblem]),
  ['server_name', serverNameProblem],
  // ngx_http_rewrite_set() and ngx_stream_set(): the name must be a variable.
  ['set', ([name = '']) => variableNameProblem(name)],
  ['limit_except', (methods) => {
    const wrong = methods.find((method) => !LIMIT_EXCEPT_METHODS.has(method.toUpperCase()));
    return wrong === undefined ? undefined : `invalid method "${wrong}"`;
  }],
  ['listen', listenPortProblem],
  ['auth_http', authHttpProblem],
  // ngx_mail_core_protocol(): the name of a mail module's protocol, as written.
  ['protocol', ([name = '']) => (MAIL_PROTOCOL_PORTS.has(name) ? undefined : `unknown protocol "${name}"`)],
  ['expires', expiresProblem],
  ...['proxy', 'fastcgi', 'scgi', 'uwsgi'].map((module): [string, HandlerCheck] => [`${module}_cache_path`, (args, target) => cachePathProblem(`${module}_cache_path`, args, target)]),
  // ngx_http_core_open_file_cache(): off, or max=N [inactive=TIME].
  ['open_file_cache', (args) => {
    if (args.length === 1 && args[0] === 'off') return undefined;
    const wrong = args.find((parameter) => !(/^max=[1-9]\d*$/.test(parameter) || (parameter.startsWith('inactive=') && parseTime(parameter.slice('inactive='.length), true) !== undefined)));
    if (wrong !== undefined) return `invalid "open_file_cache" parameter "${wrong}"`;
    return args.some((parameter) => parameter.startsWith('max=')) ? undefined : '"open_file_cache" must have the "max" parameter';
  }],
  ['if', ifConditionProblem],
  // ngx_http_limit_conn() and the stream one: a number of connections from 1 to 65535.
  ['limit_conn', ([, count = '']) => {
    const number = /^\d+$/.test(count) ? Number(count) : 0;
    if (number <= 0) return `invalid number of connections "${count}"`;
    return number > 65535 ? 'connection limit must be less 65536' : undefined;
  }],
  ['resolver', (args, target) => {
    for (const word of args) {
      const problem = resolverWordProblem(word, target);
      if (problem) return problem;
    }
    return undefined;
  }],
  // ngx_http_core_location(): with two words, the first is the modifier.
  ['location', (args) => (args.length === 2 && !LOCATION_MODIFIERS.has(args[0]) ? `invalid location modifier "${args[0]}"` : undefined)],
  ['limit_req_zone', (args) => limitZoneProblem(args, true)],
  ['limit_conn_zone', (args) => limitZoneProblem(args, false)],
  ['server', upstreamServerProblem],
  ['ssl_session_cache', sessionCacheProblem],
  // ngx_http_upstream_keepalive(): a number of connections, at least one until 1.29.7 made
  // keepalive the default (`keepalive 0` turns it off since).
  ['keepalive', ([count = ''], target) => {
    const least = compareVersions(target.version, KEEPALIVE_DEFAULTS_SINCE) >= 0 ? 0 : 1;
    return /^\d+$/.test(count) && Number(count) >= least ? undefined : `invalid value "${count}" in "keepalive" directive`;
  }],
  // ngx_http_map_block(), ngx_http_split_clients(), ngx_http_geo_block() (and stream's): the variable they define.
  ...['map', 'split_clients'].map((name): [string, HandlerCheck] => [name, (args) => variableNameProblem(args[1])]),
  ['geo', (args) => variableNameProblem(args[args.length - 1])],
  // ngx_http_headers_add(), for add_header and add_trailer: the one parameter it takes, as written.
  ...['add_header', 'add_trailer'].map((name): [string, HandlerCheck] => [name, (args) => (args.length === 3 && args[2] !== 'always' ? `invalid parameter "${args[2]}"` : undefined)]),
  // ngx_http_try_files(): a last `=CODE` is a number up to 999.
  ['try_files', (args) => {
    const last = args[args.length - 1] ?? '';
    return last.startsWith('=') && !(/^\d+$/.test(last.slice(1)) && Number(last.slice(1)) <= 999) ? `invalid code "${last}"` : undefined;
  }],
  // ngx_http_rewrite_return(): a code up to 999, or (alone) a URL to redirect to.
  ['return', ([code = '', text]) => {
    if (/^\d+$/.test(code)) return Number(code) > 999 ? `invalid return code "${code}"` : undefined;
    return text === undefined && /^(?:https?:\/\/|\$scheme)/.test(code) ? undefined : `invalid return code "${code}"`;
  }],
  // ngx_http_core_keepalive(): a timeout, then the Keep-Alive header's seconds.
  ['keepalive_timeout', ([timeout = '', header]) =>
    parseTime(timeout, false) === undefined || (header !== undefined && parseTime(header, true) === undefined) ? '"keepalive_timeout" directive invalid value' : undefined],
  // ngx_log_set_levels(): each word after the file is a level, as written.
  ['error_log', (args) => {
    const wrong = args.slice(1).find((level) => !LOG_LEVELS.has(level));
    return wrong === undefined ? undefined : `invalid log level "${wrong}"`;
  }],
  ['access_log', accessLogProblem],
  ['log_format', ([, escape = '']) => (escape.startsWith('escape=') && !LOG_ESCAPES.has(escape.slice('escape='.length)) ? `unknown log format escaping "${escape.slice('escape='.length)}"` : undefined)],
  // ngx_set_worker_processes() and ngx_event_connections(): `auto` or a number, and a number (ngx_atoi()).
  ['worker_processes', ([count = '']) => (count === 'auto' || /^\d+$/.test(count) ? undefined : '"worker_processes" directive invalid value')],
  ['worker_connections', ([count = '']) => (/^\d+$/.test(count) ? undefined : `invalid number "${count}"`)],
  ['limit_req', limitReqProblem],
  // ngx_conf_set_path_slot(): up to three levels after the path, each a number above 0, ten in all.
  ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((prefix): [string, HandlerCheck] => [`${prefix}_temp_path`, ([, ...levels]) => {
    const valid = levels.every((level) => /^\d+$/.test(level) && Number(level) > 0) && levels.reduce((sum, level) => sum + Number(level), 0) <= 10;
    return valid ? undefined : `"${prefix}_temp_path" directive invalid value`;
  }]),
  // ngx_http_rewrite(): the flag, compared as written.
  ['rewrite', (args) => (args.length === 3 && !REWRITE_FLAGS.has(args[2]) ? `invalid parameter "${args[2]}"` : undefined)],
  // ngx_http_file_cache_valid_set_slot(): the last word is a time in seconds.
  ...['proxy', 'fastcgi', 'scgi', 'uwsgi'].map((module): [string, HandlerCheck] => [`${module}_cache_valid`, (args) => {
    const time = args[args.length - 1] ?? '';
    return parseTime(time, true) === undefined ? `invalid time value "${time}"` : undefined;
  }]),
]);

/** The handler of `name` has a check here. */
export const hasHandlerCheck = (name: string) => CHECKS.has(name);

/**
 * What the handler of `name` in `context` (the tree, and the block for `server`) refuses in `args`
 * at the target release, in nginx's words.
 */
export function handlerValueProblem(name: string, context: { family: string; block: string }, args: readonly string[], target: TargetVersion): string | undefined {
  // The stream tree's `return` sends any text (ngx_stream_return()); `server` is an upstream's line.
  if ((name === 'return' && context.family !== 'http') || (name === 'server' && context.block !== 'upstream')) return undefined;
  return CHECKS.get(name)?.(args, target);
}

/** A one-word line of a geo block is one of its flags (ranges, proxy_recursive, volatile): others are invalid-arguments'. */
const isGeoFlag = (line: readonly string[]) => line.length === 1;

/** ngx_http_geo_cidr_value(): 255.255.255.255, or what ngx_ptocidr() reads. */
const isNetwork = (net: string) => net === '255.255.255.255' || isCidr(net);

/**
 * ngx_inet_addr(): four dot-separated decimal octets up to 255 (an empty one is 0); INADDR_NONE, which
 * 255.255.255.255 is too, is no address.
 */
function inetAddress(text: string): number | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((octet) => /^\d*$/.test(octet) && Number(octet) <= 255)) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + Number(octet), 0);
  return address === 0xffffffff ? undefined : address;
}

/** ngx_http_geo_range(): `start-end`, two addresses in order. */
function isRange(net: string): boolean {
  const dash = net.indexOf('-');
  const start = inetAddress(net.slice(0, dash));
  const end = dash < 0 ? undefined : inetAddress(net.slice(dash + 1));
  return start !== undefined && end !== undefined && start <= end;
}

/** An IPv6 address as a number (its canonical form from the URL parser, groups expanded). */
function ipv6Value(address: string): bigint {
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

interface Cidr {
  v6: boolean;
  address: bigint;
  /** The prefix length. */
  bits: number;
  /** The address's bits past the prefix. */
  hostBits: bigint;
}

/** A network as ngx_ptocidr() reads it (ngx_http_geo_cidr_value()'s 255.255.255.255 too); undefined for what is none. */
function cidrOf(net: string): Cidr | undefined {
  if (!isNetwork(net)) return undefined;
  const slash = net.indexOf('/');
  const text = slash < 0 ? net : net.slice(0, slash);
  const v6 = text.includes(':');
  const width = v6 ? 128 : 32;
  const bits = slash < 0 ? width : Number(net.slice(slash + 1));
  const address = v6 ? ipv6Value(text) : BigInt(text === '255.255.255.255' ? 0xffffffff : inetAddress(text)!);
  return { v6, address, bits, hostBits: address & ((1n << BigInt(width - bits)) - 1n) };
}

/**
 * The network a geo line adds, as ngx_ptocidr() stores it in the radix tree: the address with the
 * bits past the prefix cleared and the prefix length; `default` is 0.0.0.0/0 (ngx_http_geo_cidr()).
 * Undefined for what is no network (another finding).
 */
export function geoNetwork(net: string): string | undefined {
  if (net === 'default') return 'v4 0/0';
  const cidr = cidrOf(net);
  return cidr && `${cidr.v6 ? 'v6' : 'v4'} ${cidr.address - cidr.hostBits}/${cidr.bits}`;
}

/** ngx_ptocidr() answers NGX_DONE: the address has bits past its prefix (`10.0.0.1/8`), which nginx clears with a warning. */
export const hasLowAddressBits = (net: string) => (cidrOf(net)?.hostBits ?? 0n) !== 0n;

/**
 * ngx_http_geo() and ngx_stream_geo(): the lines of a geo block, in order. Networks are CIDRs
 * (ngx_http_geo_cidr()), or address ranges once `ranges` came first (ngx_http_geo_range()). When the
 * lines are a file included in the block (`whole` false), those above the include are unknown: a line
 * that is either a network or a range is taken.
 */
function geoBlockProblems(lines: ReadonlyArray<readonly string[]>, whole: boolean): Array<string | undefined> {
  let ranges = false;
  // Any network or default line made the tree that `ranges` must come before.
  let networks = false;
  return lines.map((words) => {
    const [key, value] = words;
    if (isGeoFlag(words)) {
      const problem = key === 'ranges' && networks ? 'the "ranges" directive must be the first directive inside "geo" block' : undefined;
      ranges ||= key === 'ranges';
      return problem;
    }
    if (key !== 'proxy' && key !== 'include') networks = true;
    if (words.length !== 2 || key === 'include' || key === 'default') return undefined;
    if (key === 'proxy') return isNetwork(value) ? undefined : `invalid network "${value}"`;
    const net = key === 'delete' ? value : key;
    if (ranges) return isRange(net) ? undefined : `invalid range "${net}"`;
    return isNetwork(net) || (!whole && isRange(net)) ? undefined : `invalid network "${net}"`;
  });
}

/** A split_clients percentage in hundredths (ngx_atofp(..., 2)); undefined when nginx refuses it. */
function hundredthsOf(percent: string): number | undefined {
  const number = /^(\d*)(?:\.(\d{0,2}))?%$/.exec(percent);
  if (!number || (number[1] === '' && !number[2])) return undefined;
  const hundredths = Number(number[1] || 0) * 100 + Number((number[2] ?? '').padEnd(2, '0'));
  return hundredths > 0 ? hundredths : undefined;
}

/**
 * ngx_http_split_clients() and the stream one: `*`, or a percentage above 0 with at most two
 * decimals; once the block is read, the parts may not add up past 100% (`*` takes what is left, and
 * any part after it is too much). nginx names the block's end; we mark the line that passes 100%.
 */
function splitClientsProblems(lines: ReadonlyArray<readonly string[]>): Array<string | undefined> {
  let sum = 0;
  return lines.map(([percent = '']) => {
    if (percent === '*') {
      sum = 10_000;
      return undefined;
    }
    const hundredths = hundredthsOf(percent);
    if (hundredths === undefined) return `invalid percent value "${percent}"`;
    sum += hundredths;
    return sum > 10_000 ? 'percent total is greater than 100%' : undefined;
  });
}

/** What the block's own handler refuses in each line of a data block, given in order; `whole`: the lines start the block (not a file included in it). */
export type DataBlockCheck = (lines: ReadonlyArray<readonly string[]>, whole: boolean) => Array<string | undefined>;

/**
 * The data blocks whose lines their handler judges (geo, split_clients), read in one pass (a geo
 * block may hold 100,000 networks): a line's verdict depends on the lines above it.
 */
const DATA_BLOCK_CHECKS: ReadonlyMap<string, DataBlockCheck> = new Map([
  ['geo', geoBlockProblems],
  ['split_clients', splitClientsProblems],
]);

export const dataBlockCheck = (owner: string): DataBlockCheck | undefined => DATA_BLOCK_CHECKS.get(owner);
