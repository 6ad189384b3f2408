import { statementSpan } from '../../parser';
import type { DirectiveRule } from './directiveRule';

/**
 * A directive repeated in one block whose handler keeps one value: the ngx_conf_set_*_slot
 * handlers and many of nginx's own answer "is duplicate" when the field is already set
 * (src/core/ngx_conf_file.c), which ngx_conf_handler() reports as `"name" directive is duplicate`.
 */
export const duplicateDirective: DirectiveRule = {
  id: 'duplicate-directive',
  severity: 'error',
  description: 'A directive that nginx takes once per block, repeated.',
  check(entry) {
    const { directive, allowed, repeats } = entry;
    // Repeated blocks (`events`, `http`...) are duplicate-block's, which reads the whole configuration.
    if (allowed.some((spec) => spec.block)) return undefined;
    if (!repeats?.terminator || !directive.terminator || allowed.length === 0 || !allowed.every((spec) => spec.duplicate)) return undefined;
    return { message: `"${directive.name.value}" directive is duplicate`, span: statementSpan(directive) };
  },
};
