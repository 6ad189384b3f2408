// How one proxy_set_header header stands at a WebSocket location: in effect, or lost by inheritance.

import { listInForce, named, type Level, type Placed } from './levels';

/** The header's name as nginx compares it: case-insensitively. */
export const headerName = (placed: Placed) => placed.directive.args[0]?.value.toLowerCase();

/** How a header stands at the innermost level: in effect, or set further out but not inherited. */
export interface HeaderStatus {
  /** The header in effect: the first of the list in force with that name that is usable, else the last. */
  effective?: Placed;
  /**
   * When the effective list has no such header: the one that would do its job (`usable`) in the
   * nearest level beyond the effective list's level, lost by inheritance.
   */
  lost?: Placed;
  /** The level whose own proxy_set_header list is in effect. */
  effectiveLevel?: Level;
}

export function headerStatus(levels: readonly Level[], name: string, usable: (header: Placed) => boolean = () => true): HeaderStatus {
  const inForce = listInForce(levels, 'proxy_set_header');
  if (!inForce) return {};
  // nginx sends every entry of the list (headers/index.ts): one that does the job is enough.
  const inEffect = pick(inForce.entries, name, usable);
  const status: HeaderStatus = { effective: inEffect.usable ?? inEffect.last, effectiveLevel: inForce.level };
  if (inEffect.last) return status;
  for (let i = levels.indexOf(inForce.level) + 1; i < levels.length; i++) {
    const found = pick(named(levels[i], 'proxy_set_header'), name, usable);
    if (!found.last) continue;
    status.lost = found.usable;
    break;
  }
  return status;
}

/** The first usable header named `name` of a list, and the last of that name. Four times per WebSocket location: searched, not filtered. */
function pick(headers: readonly Placed[], name: string, usable: (header: Placed) => boolean): { usable?: Placed; last?: Placed } {
  let first: Placed | undefined;
  let last: Placed | undefined;
  for (let i = 0; i < headers.length; i++) {
    if (headerName(headers[i]) !== name) continue;
    last = headers[i];
    if (!first && usable(last)) first = last;
  }
  return { usable: first, last };
}
