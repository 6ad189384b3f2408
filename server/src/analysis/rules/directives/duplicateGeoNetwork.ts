import { statementSpan, type Block, type Directive } from '../../../parser';
import { geoNetwork } from '../../knowledge/handlerValues';
import type { DirectiveRule } from './directiveRule';

/** The lines of each geo block that add a network it already holds, with nginx's warning: read once per block, kept by its children. */
const keptDuplicates = new WeakMap<Block['children'], ReadonlyMap<Directive, string>>();

/**
 * ngx_http_geo_cidr_add() (and stream's): a network the tree holds is replaced, with a warning that
 * names both values. `delete NET` takes a network out; a file included in the block may add or
 * delete any, so the networks above an `include` are forgotten. `ranges` blocks are not judged.
 */
function duplicatesOf(block: Block): ReadonlyMap<Directive, string> {
  const kept = keptDuplicates.get(block.children);
  if (kept) return kept;
  const duplicates = new Map<Directive, string>();
  const lines = block.children.filter((node): node is Directive => node.kind === 'directive');
  const values = new Map<string, string>();
  const ranges = lines.some((line) => line.name.value === 'ranges' && line.args.length === 0);
  for (const line of ranges ? [] : lines) {
    if (line.args.length !== 1) continue;
    const [key, word] = [line.name.value, line.args[0].value];
    if (key === 'include') values.clear();
    if (key === 'include' || key === 'proxy') continue;
    const network = geoNetwork(key === 'delete' ? word : key);
    if (network === undefined) continue;
    if (key === 'delete') {
      values.delete(network);
      continue;
    }
    const old = values.get(network);
    if (old !== undefined) duplicates.set(line, `duplicate network "${key}", value: "${word}", old value: "${old}"`);
    values.set(network, word);
  }
  keptDuplicates.set(block.children, duplicates);
  return duplicates;
}

/** A network given twice in one geo block: nginx warns, and the later value replaces the earlier one. */
export const duplicateGeoNetwork: DirectiveRule = {
  id: 'duplicate-geo-network',
  severity: 'warning',
  description: 'A network given twice in one geo block: the later value silently replaces the earlier one.',
  check(entry) {
    const { directive, context, parent } = entry;
    const block = parent?.directive.block;
    if (context.kind !== 'data' || context.owner !== 'geo' || !block) return undefined;
    const message = duplicatesOf(block).get(directive);
    return message === undefined ? undefined : { message, span: statementSpan(directive) };
  },
};
