// The checks nginx makes once it has read the configuration, or a whole block of it: they look at
// more than one directive (two locations of one name, a log format defined above, a variable
// defined anywhere), so they run over a Configuration rather than over one directive.

import type { Span } from '../../../parser';
import type { TargetVersion } from '../../knowledge/versions';
import type { Fix, RuleInfo } from '../../types';
import type { Configuration, Placed } from './configuration';

export interface LoadProblem {
  /** The directive nginx names; the finding is shown in its file. */
  at: Placed;
  span: Span;
  message: string;
  /** For a duplicate: the earlier one. */
  first?: Placed;
  fixes?: Fix[];
}

export interface LoadRule extends RuleInfo {
  /** The problems of a configuration as nginx at the target version reads it. */
  check(configuration: Configuration, target: TargetVersion): LoadProblem[];
}
