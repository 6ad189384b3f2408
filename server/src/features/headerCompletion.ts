// Completion that knows proxying: the request headers admins forward as `$http_*` variables, the
// header names after proxy_set_header and add_header, and the values that belong to each (Upgrade
// and Connection for WebSocket, Host, X-Forwarded-*).

import type { Definition } from '../analysis/definitions';
import { variableName } from '../analysis/headers';
import type { Directive, Span } from '../parser';
import type { CompletionEntry } from './completion';

/** Request headers commonly forwarded, as nginx names their variables ($http_ + lowercase, `-` as `_`). */
export const REQUEST_HEADERS = [
  'Upgrade', 'Connection', 'Host', 'X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'X-Real-IP',
  'Origin', 'Cookie', 'Authorization', 'User-Agent', 'Referer', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions',
];

export const headerVariable = (header: string) => `http_${header.toLowerCase().replace(/-/g, '_')}`;

/** `$http_upgrade`... as variable entries (the `http_` prefix entry stays for the others). */
export function requestHeaderVariables(replace: Span): CompletionEntry[] {
  return REQUEST_HEADERS.map((header) => ({
    label: headerVariable(header),
    kind: 'variable',
    detail: `request header "${header}" (ngx_http_core_module)`,
    replace,
  }));
}

/** Response headers commonly added with add_header (security, caching, CORS). */
export const RESPONSE_HEADERS = [
  'Strict-Transport-Security', 'Content-Security-Policy', 'X-Frame-Options', 'X-Content-Type-Options', 'Referrer-Policy',
  'Permissions-Policy', 'Cache-Control', 'Access-Control-Allow-Origin', 'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers', 'Access-Control-Allow-Credentials', 'Vary',
];

/** Directives whose first argument is a header name: request headers sent upstream, or response headers sent to the client. */
const HEADER_DIRECTIVES: Record<string, { names: readonly string[]; detail: string }> = {
  proxy_set_header: { names: REQUEST_HEADERS, detail: 'request header' },
  grpc_set_header: { names: REQUEST_HEADERS, detail: 'request header' },
  add_header: { names: RESPONSE_HEADERS, detail: 'response header' },
};

/** The values a map block gives (its entries' and default's), lowercase. */
const mapValues = (map: Directive) =>
  (map.block?.children ?? []).flatMap((node) => (node.kind === 'directive' && node.args.length === 1 ? [node.args[0].value.toLowerCase()] : []));

/** Values that fit a header, best first, the user's maps on $http_upgrade that fit it first of all. */
function valuesFor(header: string, upgradeMaps: readonly Definition[]): Array<{ value: string; detail: string }> {
  const mapped = (fits: (value: string) => boolean) => upgradeMaps
    .filter((definition) => mapValues(definition.directive).some(fits))
    .map((definition) => ({ value: `$${definition.name}`, detail: 'your map on $http_upgrade' }));
  switch (header.toLowerCase()) {
    case 'upgrade':
      return [...mapped((value) => value.includes('$http_upgrade')), { value: '$http_upgrade', detail: 'the client\'s Upgrade header, whatever it asks for (h2c too)' }];
    case 'connection':
      return [
        ...mapped((value) => /\bupgrade\b/.test(value)),
        { value: '$http_connection', detail: 'the client\'s own Connection header ("Upgrade" on a handshake)' },
        { value: '"upgrade"', detail: 'always "upgrade"' },
        { value: '""', detail: 'no Connection header (upstream keepalive)' },
      ];
    case 'host':
      return [
        { value: '$host', detail: 'the request\'s host name' },
        { value: '$http_host', detail: 'the Host header as the client sent it, port included' },
        { value: '$proxy_host', detail: 'the proxy_pass host (nginx\'s default)' },
      ];
    case 'x-forwarded-for':
      return [{ value: '$proxy_add_x_forwarded_for', detail: 'the client\'s X-Forwarded-For with $remote_addr appended' }];
    case 'x-real-ip':
      return [{ value: '$remote_addr', detail: 'the client address' }];
    case 'x-forwarded-proto':
      return [{ value: '$scheme', detail: 'http or https' }];
    case 'x-forwarded-host':
      return [{ value: '$host', detail: 'the request\'s host name' }];
    default:
      return [];
  }
}

/**
 * Entries for the argument of proxy_set_header / grpc_set_header / add_header being typed at
 * `wordStart`: header names first, then values for the header named (for add_header, `always`
 * third, the one word ngx_http_headers_add() takes there). Undefined for other directives.
 */
export function headerArguments(directive: Directive, wordStart: number, offset: number, userVariables: () => readonly Definition[]): CompletionEntry[] | undefined {
  const headers = Object.hasOwn(HEADER_DIRECTIVES, directive.name.value) ? HEADER_DIRECTIVES[directive.name.value] : undefined;
  if (!headers) return undefined;
  const replace = { start: wordStart, end: offset };
  const index = directive.args.filter((arg) => arg.start < wordStart).length;
  if (index === 0) return headers.names.map((header) => ({ label: header, kind: 'value', detail: headers.detail, replace }));
  if (directive.name.value === 'add_header') return index === 2 ? [{ label: 'always', kind: 'value', detail: 'also on error responses', replace }] : [];
  if (index !== 1) return [];
  // The configuration's variable definitions are read only here, for a header's value.
  const upgradeMaps = userVariables()
    .filter((definition) => definition.directive.name.value === 'map' && variableName(definition.directive.args[0]?.value ?? '') === 'http_upgrade');
  return valuesFor(directive.args[0].value, upgradeMaps).map(({ value, detail }) => ({ label: value, kind: 'value', detail, replace }));
}
