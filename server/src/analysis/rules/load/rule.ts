// The checks nginx makes once it has read the configuration, or a whole block of it: they look at
// more than one directive (two locations of one name, a log format defined above, a variable
// defined anywhere), so they run over a Configuration rather than over one directive.

import type { Span } from '../../../parser';
import type { TargetVersion } from '../../knowledge/versions';
import type { Fix, RuleInfo, Severity } from '../../types';
import type { Configuration, Placed } from './configuration';

export interface LoadProblem {
  /** The directive nginx names; the finding is shown in its file. */
  at: Placed;
  span: Span;
  message: string;
  /** For a duplicate: the earlier one; for a shadowed block: what shadows it. */
  first?: Placed;
  /** What `first` is to the problem (default: "defined first here"). */
  firstMessage?: string;
  fixes?: Fix[];
  /** Other than the rule's: a whole-configuration check judged in a file alone is a warning (judgedAlone()). */
  severity?: Severity;
}

/**
 * A whole-configuration check's problem in a file read on its own, where what stands outside it may
 * settle it: a warning that says so and what would (`a zone defined outside it`).
 */
export const judgedAlone = (problem: LoadProblem, settledBy: string): LoadProblem =>
  ({ ...problem, message: `${problem.message} (judged in this file alone: ${settledBy} would do)`, severity: 'warning' });

/** What a check says where an include the workspace lacks may define what it misses: a warning with this note. */
export const UNREAD_INCLUDE_NOTE = 'unless an include the workspace lacks defines it';

/** The problem made a warning that says an unread include may settle it. */
export const unlessUnreadInclude = (problem: LoadProblem): LoadProblem => ({ ...problem, message: `${problem.message} (${UNREAD_INCLUDE_NOTE})`, severity: 'warning' });

export interface LoadRule extends RuleInfo {
  /** The problems of a configuration as nginx at the target version reads it. */
  check(configuration: Configuration, target: TargetVersion): LoadProblem[];
}
