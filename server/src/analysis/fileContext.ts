// The context a file's top level stands in. A main nginx.conf is `main`; a file that is only
// included takes the context of the `include` that pulls it in, when the workspace has the
// including file; otherwise its content tells (only `server` blocks: http; only `location`
// blocks: server), and when nothing tells, the context is unknown and no context error is reported.

import { contextOfChain, HTTP, HTTP_LOCATION, HTTP_SERVER, infosIn, MAIN, UNKNOWN, type Context } from './context';
import type { Directive } from '../parser';
import { directiveInfos } from './reference';
import { MAX_INCLUDE_DEPTH, MAX_INCLUDED_FILES, type ConfigFile, type Workspace } from './workspace';

const STREAM: Context = { kind: 'directives', family: 'stream', name: 'stream' };
/** The contexts a fragment is tried in, most likely first (as nginx-oracle wraps fragments). */
const FRAGMENT_CONTEXTS = [HTTP, HTTP_SERVER, HTTP_LOCATION, STREAM];

/** Where a file is pulled in: the `include` directive, its file and its enclosing blocks. */
export interface IncludeSite {
  file: string;
  directive: Directive;
  ancestors: readonly Directive[];
}

export interface Inclusion {
  context: Context;
  /** Undefined for a main config. */
  site?: IncludeSite;
}

/** Every file reachable by `include` from the workspace's main configs, with its context. */
export function includeGraph(workspace: Workspace): Map<string, Inclusion> {
  const graph = new Map<string, Inclusion>();
  const queue: Array<{ path: string; inclusion: Inclusion; depth: number }> = workspace.roots.map((path) => ({
    path,
    inclusion: { context: MAIN },
    depth: 0,
  }));
  while (queue.length > 0 && graph.size < MAX_INCLUDED_FILES) {
    const { path, inclusion, depth } = queue.shift()!;
    if (graph.has(path)) continue; // a cycle, or a file included twice: the first inclusion wins
    graph.set(path, inclusion);
    const file = workspace.file(path);
    if (!file || depth >= MAX_INCLUDE_DEPTH) continue;
    for (const include of workspace.includesOf(file)) {
      const context = contextOfChain(include.ancestors, inclusion.context);
      const site: IncludeSite = { file: path, directive: include.directive, ancestors: include.ancestors };
      for (const target of include.targets) queue.push({ path: target, inclusion: { context, site }, depth: depth + 1 });
    }
  }
  return graph;
}

/** The context a fragment's own top-level directives fit in, if one fits them all. */
export function contextFromContent(file: ConfigFile): Context {
  const names = file.tree.root.children.flatMap((node) =>
    node.kind === 'directive' && node.name.value !== 'include' && directiveInfos(node.name.value).length > 0
      ? [node.name.value]
      : [],
  );
  if (names.some((name) => infosIn(name, MAIN).length > 0 && infosIn(name, HTTP).length === 0)) return MAIN;
  if (names.length === 0) return UNKNOWN;
  return FRAGMENT_CONTEXTS.find((context) => names.every((name) => infosIn(name, context).length > 0)) ?? UNKNOWN;
}

export function fileContext(file: ConfigFile, workspace: Workspace): Context {
  if (workspace.roots.includes(file.path)) return MAIN;
  return includeGraph(workspace).get(file.path)?.context ?? contextFromContent(file);
}
