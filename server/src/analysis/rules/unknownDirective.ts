import { statementSpan } from '../../parser';
import { allDirectives } from '../reference';
import { allThirdPartyNames } from '../thirdParty';
import type { DirectiveRule } from './directiveRule';

/** Edit distance, bounded: gives up (returns limit + 1) once every path exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    if (Math.min(...current) > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

let knownNames: string[] | undefined;

/** The closest known directive name, if it is a plausible typo of `name`. */
export function suggestDirective(name: string): string | undefined {
  knownNames ??= [...new Set([...allDirectives().map((d) => d.name), ...allThirdPartyNames()])];
  const limit = name.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of knownNames) {
    const distance = editDistance(name, candidate, limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export const unknownDirective: DirectiveRule = {
  id: 'unknown-directive',
  severity: 'error',
  description: 'A directive that neither nginx nor the modules shipped with nginx-extras define.',
  check(entry) {
    if (entry.context.kind === 'data' || entry.forms.length > 0 || entry.thirdParty || entry.declared) return undefined;
    const name = entry.directive.name.value;
    const suggestion = suggestDirective(name);
    return {
      message: `unknown directive "${name}"` + (suggestion ? ` (did you mean "${suggestion}"?)` : ''),
      span: statementSpan(entry.directive),
    };
  },
};
