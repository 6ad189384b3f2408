// The checks nginx runs on each directive, in ngx_conf_handler()'s order (src/core/ngx_conf_file.c):
// unknown name, then context, then `;` versus `{`, then argument count. nginx stops at the first,
// and so do we, so one directive gets at most one of these errors.

import type { Block, Span } from '../../parser';
import type { DirectiveEntry } from '../directiveIndex';
import type { RuleInfo } from '../types';

export interface DirectiveProblem {
  message: string;
  span: Span;
  /** The directive name meant (a typo's "did you mean"): offered as the preferred fix. */
  meant?: string;
}

export interface DirectiveRule extends RuleInfo {
  /** `root`: the top level of the entry's file, the block of its top-level directives. */
  check(entry: DirectiveEntry, root: Block): DirectiveProblem | undefined;
}
