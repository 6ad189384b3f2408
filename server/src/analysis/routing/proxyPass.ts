// The URI a `proxy_pass` sends upstream (ngx_http_proxy_module.c, ngx_http_proxy_create_request()).

import { UPSTREAM_ADDRESSES, uriPart, withoutScheme } from '../knowledge/addresses';
import { escapeUri, showBytes, toBytes } from './uri';

export type UpstreamUri =
  /** The URI sent, as bytes shown as text. */
  | { kind: 'uri'; uri: string; note: string }
  /** `proxy_pass` with variables and a URI part: that URI, evaluated at request time, is sent as is. */
  | { kind: 'as-is'; template: string; note: string };

export interface ProxiedRequest {
  /** The request target as the client sent it (r->unparsed_uri): path and arguments. */
  unparsed: string;
  /** The normalised path (r->uri, bytes) and the arguments. */
  path: string;
  args: string;
  /** The target had `%XX` escapes (r->quoted_uri): the path is escaped again before it is sent. */
  quoted: boolean;
}

/**
 * $proxy_host: the proxy_pass host, with its port unless the scheme's default, `localhost` for a
 * UNIX socket (ngx_http_proxy_set_vars()); undefined when variables make it at request time.
 */
export function proxyHost(proxyPass: string): string | undefined {
  const match = /^(https?):\/\/([^/]*)/i.exec(proxyPass);
  if (!match || proxyPass.includes('$')) return undefined;
  const [, scheme, authority] = match;
  if (/^unix:/i.test(authority)) return 'localhost';
  const hostAndPort = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(authority);
  if (!hostAndPort) return undefined;
  const [, hostName, port] = hostAndPort;
  const defaultPort = scheme.toLowerCase() === 'https' ? 443 : 80;
  return port !== undefined && Number(port) !== defaultPort ? authority : hostName;
}

/**
 * What the upstream gets for a request that a location named `locationName` (a prefix or exact
 * one; empty for a regex or named location, which cannot give proxy_pass a URI part) serves:
 * - no URI part: the client's request target, unchanged;
 * - a URI part: it replaces the location's prefix of the normalised path, the rest escaped if the
 *   client escaped anything, then `?` and the arguments;
 * - variables with a URI part: the evaluated URI, as is, without the arguments.
 */
export function upstreamUri(proxyPass: string, locationName: string, request: ProxiedRequest): UpstreamUri {
  // ngx_http_proxy_pass(): `scheme://host[:port]`, then the URI part (from a `/` or a `?`), if any.
  const part = uriPart(withoutScheme(proxyPass, UPSTREAM_ADDRESSES.get('proxy_pass')!.schemes));
  const hasVariables = proxyPass.includes('$');
  if (hasVariables && part !== '') {
    return { kind: 'as-is', template: part, note: 'proxy_pass has variables: the URI it evaluates to is passed as is' };
  }
  if (part === '') {
    return { kind: 'uri', uri: request.unparsed, note: 'no URI in proxy_pass: the request URI is passed unchanged' };
  }
  const rest = request.path.slice(locationName.length);
  const tail = request.quoted ? escapeUri(rest) : rest;
  const args = request.args ? `?${request.args}` : '';
  return { kind: 'uri', uri: showBytes(toBytes(part) + tail) + args, note: `"${locationName}" replaced by "${part}"` };
}
