// The headers nginx sends at a location, as its header directives really work:
//
// - A family of list directives (proxy_set_header, grpc_set_header, add_header, proxy_hide_header)
//   is inherited as a whole: "if and only if there are no [such] directives defined on the current
//   level" (ngx_http_proxy_module docs; ngx_http_proxy_merge_loc_conf() takes the parent's array
//   when the level's own is unset). So one level is in force per family.
// - Every entry of that level is sent, in order: two `Connection` lines send two headers
//   (ngx_http_proxy_create_request() walks the whole list).
// - An entry whose value is empty is not sent (proxy_set_header docs: "If the value of a header
//   field is an empty string then this field will not be passed"), so `Connection ""` after
//   `Connection $connection_upgrade` leaves the upgrade in place.
// - A value that is a `map` target takes the values of the map's entries (maps.ts).
//
// Levels come from websocket/levels.ts (includes expanded in place, innermost level first).

import { listInForce, type Level, type Placed } from '../websocket/levels';
import { possibleValues, type MapDefinition, type PossibleValue } from './maps';

export { defaultsNotSet, defaultsToHttp11, proxyDefaultHeaders, KEEPALIVE_DEFAULTS_SINCE, PROXY_OWN_HEADERS } from './defaults';
export { mapDefinitions, mapsAround, possibleValues, variableName, MAX_MAP_DEPTH, type MapDefinition, type MapEntry, type PossibleValue } from './maps';

/** Directives that form a list inherited as a whole. */
export type HeaderFamily = 'proxy_set_header' | 'grpc_set_header' | 'add_header' | 'proxy_hide_header';

/** One entry of the list in force. */
export interface HeaderEntry {
  placed: Placed;
  /** The level the entry is written at (the level in force). */
  level: Level;
  /** The header name as written. */
  name: string;
  /** Lowercase: nginx compares header names case-insensitively. */
  key: string;
  /** The value as written (proxy_hide_header has none). */
  value: string;
  /** What the value can be once maps are followed; undefined when a map's entries are not all known. */
  values?: readonly PossibleValue[];
  /** False when every value is empty: nginx then sends no such header. */
  sent: boolean;
}

/** The entries of `family` in force at the innermost level, in the order nginx sends them. */
export function headerEntries(levels: readonly Level[], family: HeaderFamily, maps: ReadonlyMap<string, MapDefinition>): HeaderEntry[] {
  const inForce = listInForce(levels, family);
  if (!inForce) return [];
  return inForce.entries.map((placed) => {
    const [name, value] = placed.directive.args;
    const values = value ? possibleValues(value.value, maps) : undefined;
    return {
      placed,
      level: inForce.level,
      name: name?.value ?? '',
      key: name?.value.toLowerCase() ?? '',
      value: value?.value ?? '',
      values,
      sent: family === 'proxy_hide_header' || !values || values.some((possible) => possible.value !== ''),
    };
  });
}

/** The entries named `key` (lowercase) that nginx may send. */
export const sentNamed = (entries: readonly HeaderEntry[], key: string) => entries.filter((entry) => entry.key === key && entry.sent);
