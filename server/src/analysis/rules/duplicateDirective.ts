import { statementSpan } from '../../parser';
import type { DirectiveEntry } from '../directiveIndex';
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
    const rootOrAlias = rootAfterAlias(entry);
    if (rootOrAlias) return { message: rootOrAlias, span: statementSpan(directive) };
    // Repeated blocks (`events`, `http`...) are duplicate-block's, which reads the whole configuration.
    if (allowed.some((spec) => spec.block)) return undefined;
    if (!repeats?.terminator || !directive.terminator || allowed.length === 0 || !allowed.every((spec) => spec.duplicate)) return undefined;
    return { message: `"${directive.name.value}" directive is duplicate`, span: statementSpan(directive) };
  },
};

/** `root` and `alias` set one field: ngx_http_core_root() names the one written first. */
const OTHER_OF_ROOT_OR_ALIAS: Readonly<Record<string, string>> = { root: 'alias', alias: 'root' };

/** `alias` after `root` in one block, or `root` after `alias`: nginx's message, or undefined. */
function rootAfterAlias(entry: DirectiveEntry): string | undefined {
  const { directive } = entry;
  const other = Object.hasOwn(OTHER_OF_ROOT_OR_ALIAS, directive.name.value) ? OTHER_OF_ROOT_OR_ALIAS[directive.name.value] : undefined;
  if (!other || !directive.terminator) return undefined;
  const earlier = entry.directivesBefore()?.some((node) => node.name.value === other && node.terminator === ';');
  return earlier ? `"${directive.name.value}" directive is duplicate, "${other}" directive was specified earlier` : undefined;
}
