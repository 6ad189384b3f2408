// The request headers a proxy_pass sends to the upstream for one request, in nginx's order
// (ngx_http_proxy_init_headers(): the proxy_set_header list in force, then the defaults it does
// not name; ngx_http_proxy_create_request(): a header whose value is empty is not sent, then the
// client's own headers unless proxy_pass_request_headers is off).

import type { TargetVersion } from '../knowledge/versions';
import { nearest, type Level, type Placed } from '../websocket/levels';
import { defaultsNotSet, PROXY_OWN_HEADERS } from './defaults';
import { evaluate } from './evaluate';
import { headerEntries } from './index';
import type { MapDefinition } from './maps';

export interface UpstreamHeader {
  name: string;
  /** The value as written: `$http_upgrade`, `$connection_upgrade`, `close`. */
  value: string;
  /** The value for this request, when every variable in it is known. */
  resolved?: string;
  /** The proxy_set_header that sets it; undefined for a default of nginx. */
  from?: Placed;
}

export interface UpstreamHeaders {
  /** The headers nginx sends, without those whose value is empty for this request. */
  headers: UpstreamHeader[];
  /** The client's other headers, passed as is unless proxy_pass_request_headers is off. */
  clientHeaders: {
    passed: boolean;
    /** Names never passed from the client: nginx's own and those the list sets (even to ""). */
    except: string[];
    /** The proxy_pass_request_headers in force, if one is written. */
    from?: Placed;
  };
}

/**
 * What the upstream of a location receives. `levels` are the location's, innermost first;
 * `known` the variables the request tells (lowercase, without `$`).
 */
export function upstreamRequestHeaders(
  levels: readonly Level[],
  maps: ReadonlyMap<string, MapDefinition>,
  target: TargetVersion,
  known: ReadonlyMap<string, string>,
): UpstreamHeaders {
  // The list of one level only: a level with any proxy_set_header replaces what it would inherit
  // (ngx_http_proxy_merge_loc_conf(): ngx_conf_merge_ptr_value(conf->headers_source, prev->headers_source)).
  const entries = headerEntries(levels, 'proxy_set_header', maps);
  const keys = entries.map((entry) => entry.key);
  const written: UpstreamHeader[] = entries.filter((entry) => entry.sent).map((entry) => ({ name: entry.name, value: entry.value, from: entry.placed }));
  const headers = [...written, ...defaultsNotSet(keys, target)].flatMap((header): UpstreamHeader[] => {
    const resolved = evaluate(header.value, known, maps);
    if (resolved === '') return [];
    return [resolved === undefined ? header : { ...header, resolved }];
  });
  const except = [...entries.map((entry) => entry.name), ...PROXY_OWN_HEADERS.filter((name) => !keys.includes(name.toLowerCase()))];
  const setting = nearest(levels, 'proxy_pass_request_headers');
  return {
    headers,
    clientHeaders: {
      passed: setting?.placed.directive.args[0]?.value !== 'off',
      except: except.filter((name, i) => except.findIndex((other) => other.toLowerCase() === name.toLowerCase()) === i),
      ...(setting && { from: setting.placed }),
    },
  };
}
