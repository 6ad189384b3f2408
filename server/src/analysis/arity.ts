// How many arguments each directive takes: derived from the reference syntax and corrected
// against the real nginx by scripts/generate-nginx-data.mjs (never typed by hand).

import arity from './data/nginx-arity.json';
import type { DirectiveInfo } from './reference';

export interface ArgumentBounds {
  min: number;
  /** null: no upper bound (`...` in the syntax). */
  max: number | null;
}

// One entry per "<module>/<name>", beside the nginx version the counts were checked against.
const bounds = arity as unknown as Record<string, ArgumentBounds | undefined>;

export function argumentBounds(info: DirectiveInfo): ArgumentBounds | undefined {
  return Object.hasOwn(bounds, `${info.module}/${info.name}`) ? bounds[`${info.module}/${info.name}`] : undefined;
}

export function acceptsArgumentCount(info: DirectiveInfo, count: number): boolean {
  const known = argumentBounds(info);
  return !known || (count >= known.min && (known.max === null || count <= known.max));
}
