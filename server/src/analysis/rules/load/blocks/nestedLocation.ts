import { nestedLocationProblem } from '../../directives/notAllowedHere';
import { atIncludedTop, placedNamed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * A location that an include puts inside a location where nginx refuses it: ngx_http_core_location()
 * checks a nested location against its parent's as it reads it, and an included file is read where
 * the `include` stands. A location nested in the same file is the directive rule's (not-allowed-here).
 */
export const nestedLocation: LoadRule = {
  id: 'nested-location',
  severity: 'error',
  description: 'A location that an include puts inside a location where nginx does not accept it.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    for (const placed of placedNamed(configuration, 'location')) {
      const { parent } = placed;
      if (!parent || !atIncludedTop(configuration, placed)) continue;
      const problem = nestedLocationProblem(placed.directive, parent.directive);
      if (problem) problems.push({ at: placed, span: problem.span, message: problem.message, first: parent, firstMessage: 'the location it is included in' });
    }
    return problems;
  },
};
