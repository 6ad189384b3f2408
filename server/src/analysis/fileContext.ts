// The context a file's top level stands in. A main nginx.conf is `main`; a file that is only
// included takes the context of the `include` that pulls it in, when the workspace has the
// including file; otherwise its content tells (the first context where all its directives fit:
// only `server` blocks, http; only `location` blocks, server; with a mistake in it, the context its
// other top-level directives agree on), and when nothing tells, the context is unknown and no
// context error is reported.

import { walk, type Directive } from '../parser';
import { childContext, contextOfChain, HTTP, HTTP_LOCATION, HTTP_SERVER, infosIn, MAIN, UNKNOWN, type Context } from './context';
import { directiveInfos, type Family } from './reference';
import { MAX_INCLUDE_DEPTH, MAX_INCLUDED_FILES, type ConfigFile, type Workspace } from './workspace';

const directives = (family: Family, name: string): Context => ({ kind: 'directives', family, name });
/** The contexts a fragment is tried in, most likely first (nginx-oracle wraps fragments in http, then server, location, stream). */
const COMMON_CONTEXTS: readonly Context[] = [HTTP, HTTP_SERVER, HTTP_LOCATION, MAIN, directives('stream', 'stream')];
/** Blocks whose bodies people also keep in files of their own: tried when a directive points to them. */
const OTHER_CONTEXTS: readonly Context[] = [
  directives('stream', 'server'), directives('http', 'upstream'), directives('stream', 'upstream'),
  directives('core', 'events'), directives('mail', 'mail'), directives('mail', 'server'),
];

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

/**
 * The text the include graph may hold, all its files together: past it, includes are not followed
 * (a parsed file costs about 40 times its size in memory).
 */
export const MAX_CONFIGURATION_BYTES = 32 * 1024 * 1024;

/** Every file reachable by `include` from the workspace's main configs, with its context. */
export class IncludeGraph extends Map<string, Inclusion> {
  /** Includes whose files were not all followed because a budget of the graph was spent, and which. */
  readonly notFollowed = new Map<Directive, string>();
}

const graphs = new WeakMap<Workspace, { generation: number; graph: IncludeGraph }>();

/**
 * The files a rule about `file` looks through for definitions (maps, upstreams...): those of the
 * include graph in reading order, and `file` first when no main config includes it. The same list
 * for every file of the graph, so that results over it are kept for all of them (Workspace.keptOver()).
 */
export function filesAround(file: string, graph: IncludeGraph | ReadonlyMap<string, Inclusion>): string[] {
  return graph.has(file) ? [...graph.keys()] : [file, ...graph.keys()];
}

/**
 * The include graph of the workspace, built again only when a file's text, a file or directory or
 * the main configs changed (Workspace.generation): requests between two changes share it.
 */
export function includeGraph(workspace: Workspace): IncludeGraph {
  const cached = graphs.get(workspace);
  if (cached?.generation === workspace.generation) return cached.graph;
  const graph = buildIncludeGraph(workspace);
  // Building reads the files, which may bump the generation (a text changed): the graph has read them as they are now.
  graphs.set(workspace, { generation: workspace.generation, graph });
  return graph;
}

function buildIncludeGraph(workspace: Workspace): IncludeGraph {
  const graph = new IncludeGraph();
  const queue: Array<{ path: string; inclusion: Inclusion; depth: number }> = mainConfigs(workspace).map((path) => ({
    path,
    inclusion: { context: MAIN },
    depth: 0,
  }));
  const queued = new Set(queue.map((entry) => entry.path));
  let bytes = 0;
  const notFollowed = (site: IncludeSite | undefined, why: string) => {
    if (site && !graph.notFollowed.has(site.directive)) graph.notFollowed.set(site.directive, why);
  };
  // A read index, not shift(): files that all include a big glob make a long queue.
  for (let next = 0; next < queue.length; next++) {
    const { path, inclusion, depth } = queue[next];
    if (graph.has(path)) continue; // a cycle, or a file included twice: the first inclusion wins
    if (graph.size >= MAX_INCLUDED_FILES) {
      notFollowed(inclusion.site, `the configuration already has ${MAX_INCLUDED_FILES} files`);
      continue;
    }
    const file = workspace.file(path);
    if (file && bytes + file.text.length > MAX_CONFIGURATION_BYTES) {
      notFollowed(inclusion.site, `${path} would take the configuration over ${MAX_CONFIGURATION_BYTES / 1048576} MB`);
      continue;
    }
    graph.set(path, inclusion);
    if (!file) continue;
    bytes += file.text.length;
    for (const include of workspace.includesOf(file)) {
      const site: IncludeSite = { file: path, directive: include.directive, ancestors: include.ancestors };
      if (depth >= MAX_INCLUDE_DEPTH) {
        if (include.targets.length > 0) notFollowed(site, `it is ${MAX_INCLUDE_DEPTH} includes deep`);
        continue;
      }
      const context = contextOfChain(include.ancestors, inclusion.context);
      // A file already queued is skipped now rather than when it comes up: the first inclusion wins
      // either way, and files that all include one big glob would queue it once per file.
      for (const target of include.targets) {
        if (queued.has(target)) continue;
        queued.add(target);
        queue.push({ path: target, inclusion: { context, site }, depth: depth + 1 });
      }
    }
  }
  return graph;
}

/**
 * The top-level directives that tell a fragment's context. A `}` that closes nothing at the top level
 * means that a stray `}` closed some block early: the directives after that block then stand one
 * level too high (nginx reports the first of them as "not allowed here"), so they tell nothing. Those
 * up to the first block, which precede any early close, and those after the last unmatched `}` do.
 */
function contextEvidence(file: ConfigFile): { evidence: Directive[]; closedEarly: boolean } {
  const top = file.tree.root.children.filter((node): node is Directive => node.kind === 'directive');
  // Both lists are in file order: walk them together.
  let last = -1;
  let index = 0;
  for (const error of file.tree.errors) {
    if (error.message !== 'unexpected "}"') continue;
    while (index < top.length && top[index].end <= error.start) index++;
    const inside = index < top.length && top[index].start <= error.start;
    if (!inside) last = Math.max(last, error.start);
  }
  if (last < 0) return { evidence: top, closedEarly: false };
  const firstBlock = top.findIndex((d) => d.block !== undefined || d.luaBody !== undefined);
  return { evidence: top.filter((d, index) => index <= firstBlock || firstBlock < 0 || d.start > last), closedEarly: true };
}

/** `directive` may stand in `context`, as a block or not as it is written. */
function fitsIn(directive: Directive, context: Context): boolean {
  const block = directive.terminator === undefined ? undefined : directive.terminator === '{';
  return infosIn(directive.name.value, context).some((info) => block === undefined || info.isBlock === block);
}

/** Every directive of the file fits where it stands (context and `{`) when its top level is `top`. */
function fitsThroughout(file: ConfigFile, top: Context): boolean {
  const inside = new Map<Directive, Context>();
  let fits = true;
  walk(file.tree.root, (directive, ancestors) => {
    if (!fits) return;
    const context = ancestors.length === 0 ? top : inside.get(ancestors[ancestors.length - 1]);
    // Bodies of data and unknown blocks are not judged here.
    if (context?.kind !== 'directives') return;
    if (directiveInfos(directive.name.value).length > 0 && !fitsIn(directive, context)) fits = false;
    else if (directive.block) inside.set(directive, childContext(directive, context));
  });
  return fits;
}

/**
 * The context of a fragment that no include tells about, as nginx-oracle finds it by trying wraps:
 * the first context in which all its directives fit, nested ones included (http, server, location,
 * main, then stream, upstream, events, mail). Failing that (the file has a mistake), its top level
 * tells: the first context that fits all top-level directives, else all but one (a directive moved out
 * of its block: nginx reports that one). Contexts other than http, server, location and main are then
 * tried only when a directive belongs there and in none of those (`keepalive`: upstream; `auth_http`: mail).
 */
export function contextFromContent(file: ConfigFile): Context {
  // A ConfigFile stands for one text (the workspace parses a changed text anew): hovers reuse this.
  let context = inferred.get(file);
  if (!context) inferred.set(file, (context = inferContext(file)));
  return context;
}

const inferred = new WeakMap<ConfigFile, Context>();

/**
 * A file that cannot be a main config, whatever its name: no events, http, stream or mail block, and
 * top-level directives that fit another block (http, server...) and not the main context. Docker
 * images copy such an `nginx.conf` into conf.d; read as a main config, each line would be "not
 * allowed here".
 */
export function isFragment(file: ConfigFile): boolean {
  const context = contextFromContent(file);
  if (context === MAIN || context === UNKNOWN) return false;
  return !knownDirectives(contextEvidence(file).evidence).every((directive) => fitsIn(directive, MAIN));
}

const mainConfigsKept = new WeakMap<Workspace, { generation: number; mains: string[] }>();

/**
 * The workspace's roots that are main configs: not those whose content is a fragment (isFragment()).
 * Read when the graph is built, where the roots are parsed anyway, not when the roots are set: the
 * server's thread would parse a 4 MB nginx.conf for nothing.
 */
export function mainConfigs(workspace: Workspace): string[] {
  const kept = mainConfigsKept.get(workspace);
  if (kept?.generation === workspace.generation) return kept.mains;
  const mains = workspace.roots.filter((root) => {
    const file = workspace.file(root);
    return !file || !isFragment(file);
  });
  // Reading the roots may bump the generation (a text read anew): kept for the generation they were read at.
  mainConfigsKept.set(workspace, { generation: workspace.generation, mains });
  return mains;
}

/** Blocks that stand in the main context only: a file with one at its top level is a main config, whatever else it has wrong. */
const MAIN_ONLY_BLOCKS = new Set(['events', 'http', 'stream', 'mail']);

/** The directives that tell a context: known ones, `include` (which fits anywhere) left out. */
const knownDirectives = (top: readonly Directive[]) => top.filter((directive) => directive.name.value !== 'include' && directiveInfos(directive.name.value).length > 0);

function inferContext(file: ConfigFile): Context {
  const { evidence: top, closedEarly } = contextEvidence(file);
  if (top.some((directive) => directive.block && MAIN_ONLY_BLOCKS.has(directive.name.value))) return MAIN;
  const evidence = knownDirectives(top);
  if (evidence.length === 0) return UNKNOWN;
  let mailOnly: boolean | undefined;
  const hasMailOnly = () => (mailOnly ??= hasMailOnlyDirective(file));
  const candidates = [...COMMON_CONTEXTS, ...OTHER_CONTEXTS.filter((context) => pointsTo(evidence, context, hasMailOnly))];
  // A block closed early puts directives where they fit by chance: only the top level tells then.
  const fitting = closedEarly ? undefined : candidates.find(
    (context) => evidence.every((directive) => fitsIn(directive, context)) && fitsThroughout(file, context),
  );
  if (fitting) return fitting;
  const misfits = (context: Context) => evidence.filter((directive) => !fitsIn(directive, context)).length;
  return (
    candidates.find((context) => misfits(context) === 0) ??
    (evidence.length > 1 ? candidates.find((context) => misfits(context) === 1) : undefined) ??
    UNKNOWN
  );
}

/**
 * A top-level directive belongs to `context` and to none of the common ones (`keepalive`: upstream;
 * `worker_connections`: events), or, for mail, a directive of the file exists in mail only (`protocol`,
 * `auth_http`): mail's `server` blocks take most of http's directives, so nothing else tells them apart.
 */
function pointsTo(evidence: readonly Directive[], context: Context, hasMailOnly: () => boolean): boolean {
  if (evidence.some((d) => fitsIn(d, context) && !COMMON_CONTEXTS.some((common) => fitsIn(d, common)))) return true;
  return context.kind === 'directives' && context.family === 'mail' && hasMailOnly();
}

function hasMailOnlyDirective(file: ConfigFile): boolean {
  let found = false;
  walk(file.tree.root, (directive) => {
    if (found) return;
    const forms = directiveInfos(directive.name.value);
    found = forms.length > 0 && forms.every((form) => form.family === 'mail');
  });
  return found;
}

export function fileContext(file: ConfigFile, workspace: Workspace, graph: ReadonlyMap<string, Inclusion> = includeGraph(workspace)): Context {
  if (mainConfigs(workspace).includes(file.path)) return MAIN;
  return graph.get(file.path)?.context ?? contextFromContent(file);
}
