// How one proxy_set_header header stands at a WebSocket location: in effect, or lost by inheritance.

import { listInForce } from '../headers';
import { named, type Level, type Placed } from './levels';

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
  const matching = (headers: readonly Placed[]) => headers.filter((header) => headerName(header) === name);
  const inEffect = inForce ? matching(inForce.entries) : [];
  // nginx sends every entry of the list (headers/index.ts): one that does the job is enough.
  const status: HeaderStatus = { effective: inEffect.find(usable) ?? inEffect[inEffect.length - 1], effectiveLevel: inForce?.level };
  if (!inForce || inEffect.length > 0) return status;
  for (const level of levels.slice(levels.indexOf(inForce.level) + 1)) {
    const found = matching(named(level, 'proxy_set_header'));
    if (found.length === 0) continue;
    status.lost = found.find(usable);
    break;
  }
  return status;
}
