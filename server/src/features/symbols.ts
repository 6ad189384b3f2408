// Document outline and workspace symbols: block directives as a tree of named symbols. Plain data
// with offsets; server.ts turns them into LSP DocumentSymbol / WorkspaceSymbol.

import { isLuaBlockDirective, walk, type Directive, type Span, type Word } from '../parser';
import type { ConfigFile } from '../analysis/workspace';

export type SymbolKind =
  | 'http' | 'server' | 'location' | 'upstream' | 'map' | 'geo' | 'split_clients' | 'if' | 'limit_except'
  | 'types' | 'events' | 'stream' | 'mail' | 'lua' | 'block';

export interface SymbolNode {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** The whole directive, its block included. */
  span: Span;
  /** The directive's words (name and arguments). */
  selectionSpan: Span;
  children: SymbolNode[];
}

export interface WorkspaceSymbolItem {
  name: string;
  detail?: string;
  kind: SymbolKind;
  file: string;
  span: Span;
}

/** Kinds named after the directive itself; anything else with a block is a generic 'block'. */
const NAMED_KINDS = new Set<string>([
  'http', 'server', 'location', 'upstream', 'map', 'geo', 'split_clients', 'if', 'limit_except',
  'types', 'events', 'stream', 'mail',
]);

/**
 * Words as written in the source (quotes and escapes included: `if ($a = "")` must stay readable), a
 * word that touches the one before (the `)` nginx reads after a quote) without a separator.
 */
const joined = (text: string, words: readonly Word[], separator = ' ') =>
  words.map((word, i) => (i > 0 && words[i - 1].end !== word.start ? separator : '') + text.slice(word.start, word.end)).join('');

/** Values of the `name` directives directly inside a block directive. */
function childArgs(text: string, directive: Directive, name: string): string[] {
  const values: string[] = [];
  for (const child of directive.block?.children ?? []) {
    if (child.kind === 'directive' && child.name.value === name && child.args.length > 0) {
      values.push(joined(text, child.args));
    }
  }
  return values;
}

function selectionOf(directive: Directive): Span {
  const last = directive.args[directive.args.length - 1] ?? directive.name;
  return { start: directive.name.start, end: last.end };
}

/** Name, kind and detail of a block directive; `ancestors` tell an http server from a stream one. */
function describe(
  text: string, directive: Directive, ancestors: readonly Directive[],
): Pick<SymbolNode, 'name' | 'detail' | 'kind'> {
  const name = directive.name.value;
  const args = directive.args;
  if (isLuaBlockDirective(name)) return { name, kind: 'lua' };
  const kind = (NAMED_KINDS.has(name) ? name : 'block') as SymbolKind;
  const withArgs = args.length > 0 ? `${name} ${joined(text, args)}` : name;
  switch (kind) {
    case 'server': {
      const listen = childArgs(text, directive, 'listen');
      const context = ancestors.find((a) => a.name.value === 'stream' || a.name.value === 'mail');
      if (context) {
        // stream and mail servers have no virtual host name: they are their listen addresses.
        const protocol = childArgs(text, directive, 'protocol');
        return { name: listen.join(', ') || 'server', detail: protocol.join(' ') || undefined, kind };
      }
      const names = childArgs(text, directive, 'server_name').join(' ').trim();
      return { name: names || 'server', detail: listen.join(', ') || undefined, kind };
    }
    case 'location':
      return { name: joined(text, args) || name, kind };
    case 'upstream': {
      const servers = (directive.block?.children ?? []).filter((c) => c.kind === 'directive' && c.name.value === 'server').length;
      return { name: args.length > 0 ? joined(text, args) : name, detail: `${servers} server${servers === 1 ? '' : 's'}`, kind };
    }
    case 'map':
    case 'geo':
    case 'split_clients':
      // `map $source $result`: what is computed from what. geo's source is optional.
      return { name: args.length > 0 ? joined(text, args, ' → ') : name, kind };
    default:
      return { name: withArgs, kind };
  }
}

const symbolOf = (text: string, directive: Directive, ancestors: readonly Directive[]): SymbolNode => ({
  ...describe(text, directive, ancestors),
  span: { start: directive.start, end: directive.end },
  selectionSpan: selectionOf(directive),
  children: [],
});

const isSymbol = (directive: Directive) => directive.block !== undefined || directive.luaBody !== undefined;

/**
 * How deep the outline nests. Deeper symbols become children of the symbol at this depth: JSON.stringify
 * (the LSP transport) recurses and overflows on a tree a few thousand levels deep.
 */
export const MAX_SYMBOL_DEPTH = 100;

/**
 * The outline of a file: every block directive (and Lua block) with its nested blocks as children.
 * `walk` is iterative and visits parents first, so each node's parent already exists when it is met.
 */
export function documentSymbols(file: ConfigFile): SymbolNode[] {
  const roots: SymbolNode[] = [];
  const nodes = new Map<Directive, SymbolNode>();
  walk(file.tree.root, (directive, ancestors) => {
    if (!isSymbol(directive)) return;
    const node = symbolOf(file.text, directive, ancestors);
    nodes.set(directive, node);
    // Every ancestor is a block directive, so each has a node.
    const parentDepth = Math.min(ancestors.length, MAX_SYMBOL_DEPTH);
    const parent = parentDepth > 0 ? nodes.get(ancestors[parentDepth - 1]) : undefined;
    (parent ? parent.children : roots).push(node);
  });
  return roots;
}

/** Case-insensitive: the query's characters appear in order in the name (a substring is one case). */
function matches(name: string, query: string): boolean {
  let at = 0;
  for (const c of name.toLowerCase()) if (at < query.length && c === query[at]) at++;
  return at === query.length;
}

/** Servers and upstreams of the given files whose name matches `query`; substring matches first. */
export function workspaceSymbols(files: readonly ConfigFile[], query: string): WorkspaceSymbolItem[] {
  const wanted = query.toLowerCase().replace(/\s+/g, '');
  const found: WorkspaceSymbolItem[] = [];
  for (const file of files) {
    walk(file.tree.root, (directive, ancestors) => {
      const name = directive.name.value;
      if (!directive.block || (name !== 'server' && name !== 'upstream')) return;
      const symbol = describe(file.text, directive, ancestors);
      if (!matches(symbol.name, wanted)) return;
      found.push({ ...symbol, file: file.path, span: { start: directive.start, end: directive.end } });
    });
  }
  const isSubstring = (item: WorkspaceSymbolItem) => item.name.toLowerCase().includes(wanted);
  // Array.prototype.sort is stable: document order is kept within each group.
  return found.sort((a, b) => Number(isSubstring(b)) - Number(isSubstring(a)));
}
