// Tree traversal without recursion: a file with thousands of nested blocks must not overflow
// the call stack.

import type { Block, Directive } from './ast';

/**
 * Called for every directive with its enclosing block directives, outermost first. The array is
 * the walker's own stack: valid during the call only (copy it to keep it), so that a deep file
 * costs no quadratic copying.
 */
export type Visit = (directive: Directive, ancestors: readonly Directive[]) => void;

export function walk(root: Block, visit: Visit): void {
  const ancestors: Directive[] = [];
  // Children still to visit at each depth; frames[i + 1] are the children of ancestors[i].
  const frames: Array<{ children: Block['children']; index: number }> = [{ children: root.children, index: 0 }];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    if (frame.index >= frame.children.length) {
      frames.pop();
      ancestors.pop();
      continue;
    }
    const node = frame.children[frame.index++];
    if (node.kind !== 'directive') continue;
    visit(node, ancestors);
    if (node.block) {
      ancestors.push(node);
      frames.push({ children: node.block.children, index: 0 });
    }
  }
}
const directivesByName = new WeakMap<Block, Map<string, Directive[]>>();

/**
 * The directives named `name` anywhere in the tree, in source order. Indexed by one walk per tree
 * (trees never change), so the rules that look for maps, upstreams or session caches in every file
 * of a configuration do not walk it again each time.
 */
export function directivesNamed(root: Block, name: string): readonly Directive[] {
  let byName = directivesByName.get(root);
  if (!byName) {
    const index = new Map<string, Directive[]>();
    walk(root, (directive) => {
      const list = index.get(directive.name.value);
      if (list) list.push(directive);
      else index.set(directive.name.value, [directive]);
    });
    directivesByName.set(root, (byName = index));
  }
  return byName.get(name) ?? [];
}

/**
 * The chain of directives around `offset`, outermost first: the blocks that contain it and, last,
 * the directive under it (if any). An offset inside a block but between directives ends with the block.
 */
export function directiveAt(root: Block, offset: number): Directive[] {
  const chain: Directive[] = [];
  let children = root.children;
  for (;;) {
    const hit = children.find(
      (node): node is Directive => node.kind === 'directive' && node.start <= offset && offset <= node.end,
    );
    if (!hit) return chain;
    chain.push(hit);
    if (!hit.block || offset <= hit.block.start || (hit.block.closed && offset >= hit.block.end)) return chain;
    children = hit.block.children;
  }
}
