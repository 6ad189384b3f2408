// The add_header list nginx sends at a level. ngx_http_headers_merge_conf() takes the level's own
// list, else the inherited one; from 1.29.3 `add_header_inherit merge` appends the inherited list to
// the level's own, and `off` inherits nothing (ngx_http_headers_filter_module docs).

import { directiveSpecs } from '../../../knowledge/directives';
import type { TargetVersion } from '../../../knowledge/versions';
import { named, type Level, type Placed } from '../../../websocket/levels';
import { valueInForce } from '../rule';

export interface HeaderList {
  /** Every add_header in force, outer levels' ones last. */
  headers: Placed[];
  /** The level whose own list stops the inheritance (undefined: none does). */
  stoppedAt?: Level;
}

/** `modes` keeps each level's add_header_inherit for one analysis (a parent may change between two). */
export function addHeadersInForce(levels: readonly Level[], target: TargetVersion, modes: Map<Level, string | null>): HeaderList {
  const knowsInherit = directiveSpecs('add_header_inherit', target).length > 0;
  const headers: Placed[] = [];
  for (let i = 0; i < levels.length; i++) {
    const own = named(levels[i], 'add_header');
    headers.push(...own);
    const mode = knowsInherit ? inheritMode(levels, i, modes) : undefined;
    if (mode === 'off' || (own.length > 0 && mode !== 'merge')) return { headers, stoppedAt: levels[i] };
  }
  return { headers };
}

/** The add_header_inherit value in force at levels[at] (null: none set), found once per level. */
function inheritMode(levels: readonly Level[], at: number, modes: Map<Level, string | null>): string | null {
  let i = at;
  while (i < levels.length && !modes.has(levels[i]) && named(levels[i], 'add_header_inherit').length === 0) i++;
  const found = i >= levels.length ? null : modes.has(levels[i]) ? modes.get(levels[i])! : valueInForce([levels[i]], 'add_header_inherit')!.directive.args[0]?.value ?? null;
  for (let j = at; j <= i && j < levels.length; j++) modes.set(levels[j], found);
  return found;
}

export const headerNamed = (headers: readonly Placed[], name: string) =>
  headers.filter((header) => header.directive.args[0]?.value.toLowerCase() === name.toLowerCase());
