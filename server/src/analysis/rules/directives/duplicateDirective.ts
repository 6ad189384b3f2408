import { statementSpan, type Directive } from '../../../parser';
import type { DirectiveSpec } from '../../knowledge/directives';
import type { DirectiveRule } from './directiveRule';

/**
 * A directive repeated in one block whose handler keeps one value: the ngx_conf_set_*_slot
 * handlers and many of nginx's own answer "is duplicate" when the field is already set
 * (src/core/ngx_conf_file.c), which ngx_conf_handler() reports as `"name" directive is duplicate`.
 * This rule judges a block as one file holds it; included-duplicate-directive the lines an include
 * adds to it.
 */
export const duplicateDirective: DirectiveRule = {
  id: 'duplicate-directive',
  severity: 'error',
  description: 'A directive that nginx takes once per block, repeated.',
  check(entry) {
    const repetition = repetitionOf(entry.directive, entry.allowed, entry.repeats, () => entry.directivesBefore());
    return repetition && { message: repetition.message, span: statementSpan(entry.directive) };
  },
};

/** A directive nginx refuses for what stands before it in its block, and the earlier one it names or repeats. */
export interface Repetition {
  message: string;
  earlier: Directive;
}

/**
 * How nginx takes `directive` in its block: a repetition it refuses, or undefined. `allowed` are its
 * forms there, `repeats` the first directive of its name before it, `before` the directives before
 * it in order (asked only for the names whose handlers look at others: undefined when unknown).
 */
export function repetitionOf(
  directive: Directive, allowed: readonly DirectiveSpec[], repeats: Directive | undefined, before: () => readonly Directive[] | undefined,
): Repetition | undefined {
  const name = directive.name.value;
  if (!directive.terminator) return undefined;
  const other = Object.hasOwn(OTHER_OF_ROOT_OR_ALIAS, name) ? OTHER_OF_ROOT_OR_ALIAS[name] : undefined;
  if (other) {
    // `root` and `alias` set one field: ngx_http_core_root() names the one written first.
    const earlier = before()?.find((node) => node.name.value === other && node.terminator === ';');
    if (earlier) return { earlier, message: `"${name}" directive is duplicate, "${other}" directive was specified earlier` };
  }
  if (FIXED_BY_MAP.has(name)) {
    const map = before()?.find((node) => node.name.value === 'map' && node.block);
    if (map) return { earlier: map, message: `"${name}" directive is duplicate` };
  }
  // Repeated main-level blocks (`events`, `http`...) are duplicate-block's, which reads the whole
  // configuration; a second `limit_except` in a location is this block's (ngx_http_core_limit_except()).
  if (allowed.some((spec) => spec.block && spec.contexts.includes('main'))) return undefined;
  if (!repeats?.terminator || allowed.length === 0) return undefined;
  if (!allowed.every((spec) => spec.duplicate) && !offWithOthers(directive, before)) return undefined;
  return { earlier: repeats, message: `"${name}" directive is duplicate` };
}

const OTHER_OF_ROOT_OR_ALIAS: Readonly<Record<string, string>> = { root: 'alias', alias: 'root' };

/**
 * Lists that `off` empties: ngx_http_proxy_redirect() and the proxy_cookie_* handlers answer "is
 * duplicate" to `off` after any of them in the block, and to any of them after `off`.
 */
const TAKES_OFF_ALONE = new Set(['proxy_redirect', 'proxy_cookie_domain', 'proxy_cookie_path', 'proxy_cookie_flags']);

const isOff = (node: { args: ReadonlyArray<{ value: string }> }) => node.args.length === 1 && node.args[0].value === 'off';

function offWithOthers(directive: Directive, before: () => readonly Directive[] | undefined): boolean {
  if (!TAKES_OFF_ALONE.has(directive.name.value)) return false;
  const earlier = before()?.filter((node) => node.name.value === directive.name.value && node.terminator === ';') ?? [];
  return earlier.length > 0 && (isOff(directive) || earlier.some(isOff));
}

/**
 * Settings that the first `map` of the block fixes: ngx_http_map_block() (and the stream one) gives
 * them their defaults when unset, so the slot handler finds them set when they come after a map.
 */
const FIXED_BY_MAP = new Set(['map_hash_bucket_size', 'map_hash_max_size']);
