// The add_header list nginx sends at a level. ngx_http_headers_merge_conf() takes the level's own
// list, else the inherited one; from 1.29.3 `add_header_inherit merge` appends the inherited list to
// the level's own, and `off` inherits nothing (ngx_http_headers_filter_module docs).

import { directiveSpecs } from '../../knowledge/directives';
import type { TargetVersion } from '../../knowledge/versions';
import { named, type Level, type Placed } from '../../websocket/levels';
import { valueInForce } from './rule';

export interface HeaderList {
  /** Every add_header in force, outer levels' ones last. */
  headers: Placed[];
  /** The level whose own list stops the inheritance (undefined: none does). */
  stoppedAt?: Level;
}

export function addHeadersInForce(levels: readonly Level[], target: TargetVersion): HeaderList {
  const knowsInherit = directiveSpecs('add_header_inherit', target).length > 0;
  const headers: Placed[] = [];
  for (let i = 0; i < levels.length; i++) {
    const own = named(levels[i], 'add_header');
    headers.push(...own);
    const mode = knowsInherit ? valueInForce(levels.slice(i), 'add_header_inherit')?.directive.args[0]?.value : undefined;
    if (mode === 'off' || (own.length > 0 && mode !== 'merge')) return { headers, stoppedAt: levels[i] };
  }
  return { headers };
}

export const headerNamed = (headers: readonly Placed[], name: string) =>
  headers.filter((header) => header.directive.args[0]?.value.toLowerCase() === name.toLowerCase());
