import { statementSpan, type Block, type Directive } from '../../../parser';
import type { DirectiveRule } from './directiveRule';

/**
 * The first line of each key in a map block, built once per block (a map may hold many thousands of
 * lines), kept by the block's children: reparse() gives the block it re-reads a new array of children
 * and keeps the block itself, so an edited map is read again and the others are not.
 */
const firstLines = new WeakMap<Block['children'], Map<string, Directive>>();

/**
 * ngx_http_map() and ngx_stream_map(): a `\` before a key only escapes it, and the hash lowercases
 * exact keys (ngx_hash_add_key() without NGX_HASH_READONLY_KEY), so `A` and `a` are one key.
 */
const mapKey = (line: Directive) => line.name.value.replace(/^\\/, '').toLowerCase();

function firstLinesOf(block: Block): Map<string, Directive> {
  let lines = firstLines.get(block.children);
  if (lines) return lines;
  lines = new Map();
  for (const child of block.children) {
    if (child.kind !== 'directive' || child.args.length !== 1 || child.name.value.startsWith('~')) continue;
    const key = child.name.value === 'default' ? 'default' : mapKey(child);
    if (!lines.has(key)) lines.set(key, child);
  }
  firstLines.set(block.children, lines);
  return lines;
}

/**
 * A key given twice in a `map` (nginx: `conflicting parameter "key"`, or `duplicate default map
 * parameter`). Regex keys are compiled, not hashed, and `hostnames` maps match wildcards: not checked.
 */
export const duplicateMapKey: DirectiveRule = {
  id: 'duplicate-map-key',
  severity: 'error',
  description: 'A key given twice in one map block.',
  check(entry) {
    const { directive, context, parent } = entry;
    if (context.kind !== 'data' || context.owner !== 'map' || directive.args.length !== 1 || directive.name.value.startsWith('~')) return undefined;
    const block = parent?.directive.block;
    if (!block || block.children.some((child) => child.kind === 'directive' && child.name.value === 'hostnames' && child.args.length === 0)) return undefined;
    const isDefault = directive.name.value === 'default';
    const first = firstLinesOf(block).get(isDefault ? 'default' : mapKey(directive));
    if (!first || first === directive) return undefined;
    // nginx names the key as it hashes it: lowercased.
    const message = isDefault ? 'duplicate default map parameter' : `conflicting parameter "${mapKey(directive)}"`;
    return { message, span: statementSpan(directive) };
  },
};
