// How common each directive is in each context: the blocks of the shared corpus that use it, counted
// by scripts/generate-directive-frequency.ts (never typed by hand). Completion ranks by it.

import data from './directive-frequency.json';
import type { Context } from '../context';

const byContext = data as Record<string, Record<string, number>>;

/** In how many blocks of the context's kind the corpus uses `name` (0: rarely or never). */
export function directiveFrequency(context: Context, name: string): number {
  if (context.kind !== 'directives') return 0;
  return byContext[`${context.family}/${context.name}`]?.[name] ?? 0;
}
