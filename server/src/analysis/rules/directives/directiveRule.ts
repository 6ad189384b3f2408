// The checks nginx runs on each directive, in ngx_conf_handler()'s order (src/core/ngx_conf_file.c):
// unknown name, then context, then `;` versus `{`, then argument count. nginx stops at the first,
// and so do we, so one directive gets at most one of these errors.

import type { Span } from '../../../parser';
import type { DirectiveEntry } from '../../directiveIndex';
import type { RuleInfo } from '../../types';
import type { ConfigFile } from '../../workspace';

export interface DirectiveProblem {
  message: string;
  span: Span;
  /** The directive name meant (a typo's "did you mean"): offered as the preferred fix. */
  meant?: string;
}

export interface DirectiveRule extends RuleInfo {
  /** `file`: the entry's file (its top level is the block of its top-level directives). */
  check(entry: DirectiveEntry, file: ConfigFile): DirectiveProblem | undefined;
}
