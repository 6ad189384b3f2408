// A whole configuration as nginx reads it at load: every directive in reading order, each include
// read in place (ngx_conf_parse() runs on the included file where the `include` stands), with the
// context each directive stands in. The load-time checks (duplicates, log formats, variables) look at
// what the whole configuration holds, not at one file.

import { basename } from '../../paths';
import { mainConfigs } from '../../fileContext';
import { MAX_INCLUDE_DEPTH, MAX_INCLUDED_FILES, type ConfigFile, type Workspace } from '../../workspace';
import { childContext, MAIN, type Context } from '../../context';
import { addNamed, reindexedByName, rereadDirectives, walkFrames, type Block, type Directive, type WalkFrame } from '../../../parser';

/** A directive where nginx reads it: its file, the block directive it stands in and its context. */
export interface Placed {
  directive: Directive;
  file: ConfigFile;
  parent?: Placed;
  context: Context;
  /** Its index in Configuration.directives. */
  order: number;
}

export interface Configuration {
  /** The file nginx is started with (a main config), or the fragment read on its own. */
  start: ConfigFile;
  top: Context;
  /** Every directive, includes read in place, in nginx's reading order. */
  directives: Placed[];
  /** The directives of each name, in reading order: a rule about locations need not read all 130k directives of a large configuration. */
  byName: Map<string, Placed[]>;
  /** The `include`s whose files the workspace does not have: what they hold is unknown. */
  unresolved: Set<Placed>;
  /** The files read, each in the version read. */
  files: Map<string, ConfigFile>;
  /** nginx is started with it (`nginx -c`), so it must hold everything a main configuration needs. */
  main: boolean;
  /**
   * Set when the configuration was derived from the previous one after an edit re-read statements
   * (rereadConfiguration()): the Placed of the block they stand in (undefined at the start file's
   * top level). Every Placed but theirs is the previous one's.
   */
  reread?: Placed;
  /** This reading's number (readConfiguration(), rereadConfiguration()). */
  generation: number;
  /** The number of the configuration this one was derived from. */
  derivedFrom?: number;
}

/** Numbers the configurations read or derived, for what is kept by Placed from one to the next (KeptByPlaced). */
let configurationsRead = 0;

/**
 * Results derived from a block and kept by its Placed, for the configuration derived from the one
 * they were made for: every Placed but the statements read again is the previous one's. Only from
 * that one: an analysis cancelled before it asked leaves results made for an earlier version, which
 * an edit since may have changed, and whether the Placed's contents changed is the asker's to say
 * (the block read again, the blocks around it).
 */
export class KeptByPlaced<T> {
  private readonly kept = new WeakMap<Placed, { value: T; generation: number }>();

  /** What was kept for `placed` by this configuration or the one it was derived from. */
  get(configuration: Configuration, placed: Placed): T | undefined {
    const kept = this.kept.get(placed);
    return kept && (kept.generation === configuration.generation || kept.generation === configuration.derivedFrom) ? kept.value : undefined;
  }

  keep(configuration: Configuration, placed: Placed, value: T): void {
    this.kept.set(placed, { value, generation: configuration.generation });
  }
}

/**
 * Debian's standard files beside nginx.conf (nginx-oracle stubs them with the real ones): they set
 * parameters and types only, never a variable, a log format or a block, so a checkout without them
 * lacks nothing these checks need.
 */
const STANDARD_INCLUDES = new Set([
  'mime.types', 'fastcgi_params', 'fastcgi.conf', 'proxy_params', 'scgi_params', 'uwsgi_params', 'koi-utf', 'koi-win', 'win-utf',
]);

export const isStandardInclude = (pattern: string) => STANDARD_INCLUDES.has(basename(pattern));

interface Frame extends WalkFrame {
  file: ConfigFile;
  parent?: Placed;
  context: Context;
  depth: number;
}

/** The configuration read from `start` with `top` as its top-level context. */
export function readConfiguration(start: ConfigFile, top: Context, workspace: Workspace, main: boolean): Configuration {
  const configuration: Configuration = { start, top, directives: [], byName: new Map(), unresolved: new Set(), files: new Map([[start.path, start]]), main, generation: ++configurationsRead };
  readFrames(configuration, workspace, [{ children: start.tree.root.children, index: 0, file: start, context: top, depth: 0 }], 0, (placed) => {
    configuration.directives.push(placed);
    addNamed(configuration.byName, nameOf(placed), placed);
  });
  return configuration;
}

const nameOf = (placed: Placed) => placed.directive.name.value;

/**
 * Reads the frames' directives in nginx's order, includes in place (explicit stack: no recursion),
 * giving each to `add` with its order from `firstOrder` on; the includes' files go to the
 * configuration's files and unresolved ones.
 */
function readFrames(configuration: Configuration, workspace: Workspace, frames: Frame[], firstOrder: number, add: (placed: Placed) => void): void {
  const targetsByFile = new Map<ConfigFile, Map<Directive, string[]>>();
  const targetsOf = (file: ConfigFile) => {
    let targets = targetsByFile.get(file);
    if (!targets) {
      targets = new Map(workspace.includesOf(file).map((include) => [include.directive, include.targets]));
      targetsByFile.set(file, targets);
    }
    return targets;
  };
  // Files read so far, repeats counted: a glob included from many places stays bounded.
  let reads = 1;
  let order = firstOrder;
  walkFrames(frames, (node, frame) => {
    const placed: Placed = { directive: node, file: frame.file, parent: frame.parent, context: frame.context, order: order++ };
    add(placed);
    if (node.block) {
      frames.push({ children: node.block.children, index: 0, file: frame.file, parent: placed, context: childContext(node, frame.context), depth: frame.depth });
      return;
    }
    const targets = node.name.value === 'include' ? targetsOf(frame.file).get(node) : undefined;
    if (!targets) return;
    const pattern = node.args[0].value;
    // A glob that matches nothing here may match files on the server.
    if (targets.length === 0 && !isStandardInclude(pattern)) configuration.unresolved.add(placed);
    if (frame.depth >= MAX_INCLUDE_DEPTH) {
      configuration.unresolved.add(placed);
      return;
    }
    // The budget takes the first files of the pattern, as nginx reads them.
    const included: Frame[] = [];
    for (const target of targets) {
      if (reads >= MAX_INCLUDED_FILES) {
        configuration.unresolved.add(placed);
        break;
      }
      const file = workspace.file(target);
      if (!file) {
        configuration.unresolved.add(placed);
        continue;
      }
      reads++;
      configuration.files.set(target, file);
      included.push({ children: file.tree.root.children, index: 0, file, parent: frame.parent, context: frame.context, depth: frame.depth + 1 });
    }
    // Pushed last to first, so that the first file is read first.
    frames.push(...included.reverse());
  });
}

/**
 * The configuration after an edit that reparse() read as statements of one block (or of a file's top
 * level) again, derived from `previous`: those statements read again, and every other directive's
 * Placed kept (its file moved to the new version), so that what is kept by Placed (the routing of
 * the servers the edit left alone) holds. Undefined when that cannot be told without reading it all:
 * more than one file changed, the statements held or hold an `include` (what is read, and the
 * include budget, may differ), or the file is read more than once.
 */
function rereadConfiguration(previous: Configuration, workspace: Workspace): Configuration | undefined {
  let edited: { before: ConfigFile; after: ConfigFile } | undefined;
  for (const [path, before] of previous.files) {
    const after = workspace.file(path);
    if (after === before) continue;
    if (edited || !after || after.tree.reread?.previousRoot !== before.tree.root) return undefined;
    edited = { before, after };
  }
  if (!edited) return undefined;
  const { before, after } = edited;
  const reread = after.tree.reread!;
  const isInclude = (directive: Directive) => directive.name.value === 'include';
  const { gone, fresh: freshIncludes } = rereadDirectives(reread, (directive) => (isInclude(directive) ? directive : undefined));
  // In walk() order, which is the reading order of statements without includes.
  const goneInOrder = [...gone];
  if (freshIncludes.length > 0 || goneInOrder.some(isInclude)) return undefined;
  // Where the statements are read: in their block, or where the file's top level is read (found by one of its other directives).
  const block = reread.chain[reread.chain.length - 1];
  const witness = block ?? topLevelWitness(after.tree.root, reread.children);
  // Among the directives of its name: a scan of every directive (120,000 in the bench's file) took a few ms of each edit.
  const readings = witness ? (previous.byName.get(witness.name.value) ?? []).filter((placed) => placed.directive === witness) : [];
  if (readings.length !== 1) return undefined;
  const [reading] = readings;
  const parent = block ? reading : reading.parent;
  // The statements' directives were together in reading order; new ones go there, or before the file's first directive after them.
  const movedEnd = reread.end + reread.delta;
  let at = block ? reading.order + 1 : 0;
  while (at < previous.directives.length) {
    const placed = previous.directives[at];
    if (gone.has(placed.directive) || (placed.file === before && placed.directive.start >= movedEnd)) break;
    at++;
  }
  if (goneInOrder.some((directive, i) => previous.directives[at + i]?.directive !== directive)) return undefined;
  const configuration: Configuration = { ...previous, files: new Map(previous.files).set(after.path, after), reread: parent, generation: ++configurationsRead, derivedFrom: previous.generation };
  if (previous.start === before) configuration.start = after;
  const fresh: Placed[] = [];
  const statements: Frame = { children: reread.children, index: 0, file: after, parent, context: block ? childContext(block, reading.context) : reading.context, depth: 0 };
  readFrames(configuration, workspace, [statements], at, (placed) => void fresh.push(placed));
  configuration.directives = [...previous.directives.slice(0, at), ...fresh, ...previous.directives.slice(at + goneInOrder.length)];
  // The directives after them move only when the statements read again changed their count.
  if (fresh.length !== goneInOrder.length) {
    for (let i = at + fresh.length; i < configuration.directives.length; i++) configuration.directives[i].order = i;
  }
  for (const placed of configuration.directives) if (placed.file === before) placed.file = after;
  configuration.byName = reindexedByName(previous.byName, goneInOrder.map((directive) => directive.name.value), fresh, nameOf, (placed) => gone.has(placed.directive), at, (placed) => placed.order);
  return configuration;
}

/** A directive of the file's top level that is not among the statements read again. */
function topLevelWitness(root: Block, readAgain: Block['children']): Directive | undefined {
  const again = new Set(readAgain);
  return root.children.find((node): node is Directive => node.kind === 'directive' && !again.has(node));
}

/** The directives of these names, in reading order. */
export function placedNamed(configuration: Configuration, ...names: string[]): readonly Placed[] {
  if (names.length === 1) return configuration.byName.get(names[0]) ?? [];
  return inReadingOrder(names.flatMap((name) => configuration.byName.get(name) ?? []));
}

export const inReadingOrder = (placed: Placed[]) => placed.sort((a, b) => a.order - b.order);

const byBlockKept = new WeakMap<Configuration, Map<string, Map<Placed | undefined, Placed[]>>>();

/** The directives of `name` in force in `server`: its own, or else those of the level around it (ngx_conf_merge_ptr_value() takes a list whole). */
export function inForce(configuration: Configuration, server: Placed, name: string): readonly Placed[] {
  const own = placedIn(configuration, server, name);
  return own.length > 0 ? own : placedIn(configuration, server.parent, name);
}

/** The directive of `name` in force at `level`: its own, else the nearest level's around it (each level is merged with the one around it). */
export function inForceFrom(configuration: Configuration, level: Placed, name: string): Placed | undefined {
  for (let at: Placed | undefined = level; at; at = at.parent) {
    const [own] = placedIn(configuration, at, name);
    if (own) return own;
  }
  return undefined;
}

/** A `server` block standing in a `tree` block: of the http, stream or mail tree (an upstream's `server` lines are the upstream's). */
const isServerIn = (tree: 'http' | 'stream' | 'mail') => ({ directive, context }: Placed) =>
  directive.name.value === 'server' && directive.block !== undefined && context.kind === 'directives' && context.name === tree;
export const isHttpServer = isServerIn('http');
export const isStreamServer = isServerIn('stream');
export const isMailServer = isServerIn('mail');

/** The `http` or `stream` block a directive stands in; undefined for the top of a fragment read on its own. */
export function treeOf(placed: Placed): Placed | undefined {
  let at = placed.parent;
  while (at && at.directive.name.value !== 'http' && at.directive.name.value !== 'stream') at = at.parent;
  return at;
}

/** A line of an included file's top level: the block it stands in (or the start file's top level) is another file's. */
export const atIncludedTop = (configuration: Configuration, { file, parent }: Placed) => file.path !== (parent ? parent.file : configuration.start).path;

/**
 * A main config with every include read: the checks of what the whole configuration holds (default
 * servers, http-level certificates, upstreams, zones) can judge it; a fragment read on its own may
 * get them from files beside it, and an include the workspace lacks from the server.
 */
export const isWholeConfiguration = (configuration: Configuration) => configuration.main && configuration.unresolved.size === 0;

/** Whether an include that the workspace lacks is read directly in one of `blocks` (undefined: the start file's top level). */
export function unresolvedIn(configuration: Configuration, blocks: ReadonlyArray<Placed | undefined>): boolean {
  for (const include of configuration.unresolved) if (blocks.includes(include.parent)) return true;
  return false;
}

/** The directives of `name` that stand directly in `block` (undefined: the start file's top level), includes read in place, in reading order. */
export function placedIn(configuration: Configuration, block: Placed | undefined, name: string): readonly Placed[] {
  let byName = byBlockKept.get(configuration);
  if (!byName) byBlockKept.set(configuration, (byName = new Map()));
  let byBlock = byName.get(name);
  if (!byBlock) {
    byBlock = new Map();
    for (const placed of placedNamed(configuration, name)) addNamed(byBlock, placed.parent, placed);
    byName.set(name, byBlock);
  }
  return byBlock.get(block) ?? [];
}

/**
 * The configurations `file` belongs to: those of the main configs that read it, else the file read
 * on its own in the context it stands in (a fragment that no main config of the workspace includes).
 */
export function configurationsOf(file: ConfigFile, workspace: Workspace, top: Context): Configuration[] {
  const found = mainConfigs(workspace).flatMap((root) => mainConfiguration(root, workspace) ?? []).filter((configuration) => configuration.files.has(file.path));
  return found.length > 0 ? found : [readConfiguration(file, top, workspace, top === MAIN && looksLikeMain(file))];
}

/**
 * The configuration of a main config, read again only when one of its files changed or files
 * appeared or went (Workspace.keptOver()): every file of a configuration of 1,000 sites is analysed
 * against the whole of it, and results derived from it (the routing model, the load checks) are
 * kept with it.
 */
function mainConfiguration(root: string, workspace: Workspace): Configuration | undefined {
  const main = workspace.file(root);
  if (!main) return undefined;
  return workspace.keptOver<Configuration>(
    `configuration of ${root}`,
    (configuration) => configuration.files.keys(),
    (previous) => (previous && rereadConfiguration(previous, workspace)) ?? readConfiguration(main, MAIN, workspace, true),
  );
}

/** Top-level directives that only a main configuration has. */
const MAIN_ONLY = /^(?:http|stream|events|worker_\w+)$/;

/** A file read in the main context that is nginx.conf, or holds what only a main configuration holds (not a fragment). */
function looksLikeMain(file: ConfigFile): boolean {
  if (basename(file.path) === 'nginx.conf') return true;
  return file.tree.root.children.some((node) => node.kind === 'directive' && MAIN_ONLY.test(node.name.value));
}
