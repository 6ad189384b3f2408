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
    if (afterMap(entry)) return { message: `"${directive.name.value}" directive is duplicate`, span: statementSpan(directive) };
    // Repeated main-level blocks (`events`, `http`...) are duplicate-block's, which reads the whole
    // configuration; a second `limit_except` in a location is this block's (ngx_http_core_limit_except()).
    if (allowed.some((spec) => spec.block && spec.contexts.includes('main'))) return undefined;
    if (!repeats?.terminator || !directive.terminator || allowed.length === 0) return undefined;
    if (!allowed.every((spec) => spec.duplicate) && !offWithOthers(entry)) return undefined;
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

/**
 * Lists that `off` empties: ngx_http_proxy_redirect() and the proxy_cookie_* handlers answer "is
 * duplicate" to `off` after any of them in the block, and to any of them after `off`.
 */
const TAKES_OFF_ALONE = new Set(['proxy_redirect', 'proxy_cookie_domain', 'proxy_cookie_path', 'proxy_cookie_flags']);

const isOff = (node: { args: ReadonlyArray<{ value: string }> }) => node.args.length === 1 && node.args[0].value === 'off';

function offWithOthers(entry: DirectiveEntry): boolean {
  const { directive } = entry;
  if (!TAKES_OFF_ALONE.has(directive.name.value)) return false;
  const earlier = entry.directivesBefore()?.filter((node) => node.name.value === directive.name.value && node.terminator === ';') ?? [];
  return earlier.length > 0 && (isOff(directive) || earlier.some(isOff));
}

/**
 * Settings that the first `map` of the block fixes: ngx_http_map_block() (and the stream one) gives
 * them their defaults when unset, so the slot handler finds them set when they come after a map.
 */
const FIXED_BY_MAP = new Set(['map_hash_bucket_size', 'map_hash_max_size']);

const afterMap = (entry: DirectiveEntry) =>
  FIXED_BY_MAP.has(entry.directive.name.value) && entry.directive.terminator === ';' && (entry.directivesBefore()?.some((node) => node.name.value === 'map' && node.block) ?? false);
