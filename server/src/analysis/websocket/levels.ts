// Configuration levels and nginx's inheritance between them, for the proxy directives that
// WebSocket proxying needs. A level is a block (http, server, location, nested location) with its
// directives, `include`d files expanded in place (ngx_conf_parse() reads them as part of the block).

import type { Block, Directive } from '../../parser';
import type { DirectiveEntry } from '../directiveIndex';
import type { IncludeSite, Inclusion } from '../fileContext';
import type { Placed as ReadPlaced } from '../rules/load/configuration';
import { MAX_INCLUDE_DEPTH, MAX_INCLUDED_FILES, type Workspace } from '../workspace';

/** A directive and the file it is written in. */
export interface Placed {
  directive: Directive;
  file: string;
}

export interface Level {
  /** The block directive (`location`, `server`, `http`...), or undefined for a file's top level. */
  block?: Directive;
  file: string;
  directives: Placed[];
}

/**
 * The directives of a block, with the top-level directives of included files in place of `include`.
 */
export function levelDirectives(workspace: Workspace, file: string, block: Block): Placed[] {
  const placed: Placed[] = [];
  // Each file is expanded once per level, and at most MAX_INCLUDED_FILES of them: a glob of files
  // that include the glob again must not multiply (nginx itself would recurse until it fails).
  // Made at the first include: most of a large file's 30,000 levels have none.
  let expanded: Set<string> | undefined;
  const expand = (children: Block['children'], inFile: string, depth: number) => {
    for (let i = 0; i < children.length; i++) {
      const node = children[i];
      if (node.kind !== 'directive') continue;
      placed.push({ directive: node, file: inFile });
      if (node.name.value !== 'include' || node.args.length !== 1 || depth >= MAX_INCLUDE_DEPTH) continue;
      expanded ??= new Set([file]);
      for (const target of workspace.resolveInclude(node.args[0].value, inFile)) {
        if (expanded.has(target) || expanded.size >= MAX_INCLUDED_FILES) continue;
        expanded.add(target);
        const included = workspace.file(target);
        if (included) expand(included.tree.root.children, target, depth + 1);
      }
    }
  };
  expand(block.children, file, 0);
  return placed;
}

/**
 * What the locations of one analysis share, computed once: the levels of their common blocks (a
 * server with thousands of locations is expanded once, not once per location) and per-server results.
 */
export class Memo {
  private readonly values = new Map<string, Map<object, unknown>>();

  /** What `compute` gives for `key`; `kind` names the computation, so two uses of one key never meet. */
  get<T>(kind: string, key: object, compute: () => T): T {
    let results = this.values.get(kind);
    if (!results) this.values.set(kind, (results = new Map()));
    // One lookup when known (this is on every rule's path); `has` only for a value that is undefined.
    let value = results.get(key) as T | undefined;
    if (value === undefined && !results.has(key)) results.set(key, (value = compute()));
    return value as T;
  }
}

/**
 * The level of one block directive written in `file`, computed once per analysis. Levels are not
 * kept across analyses: after an edit only the servers whose findings are not reused read theirs
 * (serverFindings.ts), and kept, the levels of every block were about 15 MB of a 4 MB file's analysis
 * (a full analysis after an edit at the http level took 5 to 10 % longer without them).
 */
export function levelOf(workspace: Workspace, file: string, block: Directive, memo: Memo): Level {
  return memo.get('level', block, () => ({ block, file, directives: levelDirectives(workspace, file, block.block!) }));
}

/** The top level of a file as a level of its own (with no block). */
export function topLevelOf(workspace: Workspace, file: string, memo: Memo): Level {
  const root = workspace.file(file)!.tree.root;
  return memo.get('top-level', root, () => ({ file, directives: levelDirectives(workspace, file, root) }));
}

/**
 * The levels from `chain`'s innermost block outwards, continuing into the files that include this
 * one (so a location in sites-enabled/app.conf sees the http level of nginx.conf).
 */
export function levelsOutward(
  workspace: Workspace,
  graph: ReadonlyMap<string, Inclusion>,
  file: string,
  chain: readonly Directive[],
  memo: Memo,
): Level[] {
  const levels: Level[] = [];
  let site: IncludeSite | undefined = { file, directive: chain[chain.length - 1], ancestors: chain };
  // The files passed, to stop at an include cycle: a few, searched (a Set per location cost more).
  const visited: string[] = [];
  while (site && !visited.includes(site.file)) {
    visited.push(site.file);
    for (let i = site.ancestors.length - 1; i >= 0; i--) {
      const block = site.ancestors[i];
      if (block.block) levels.push(levelOf(workspace, site.file, block, memo));
    }
    const inclusion = graph.get(site.file);
    // A file nothing includes (a conf.d/ or sites-enabled/ file, a snippet, read on its own): its
    // top level is the level it is written for (http, or server for a snippet of locations), and
    // the headers set there reach its blocks.
    if (!inclusion) levels.push(topLevelOf(workspace, site.file, memo));
    site = inclusion?.site;
  }
  return levels;
}

/**
 * The levels of a block of the file's index from its own outwards (levelsOutward()), once per
 * analysis: the WebSocket and the security rules ask for those of every location, several times.
 */
export function entryLevels(workspace: Workspace, graph: ReadonlyMap<string, Inclusion>, file: string, entry: DirectiveEntry, memo: Memo): Level[] {
  return memo.get('entry-levels', entry, () => {
    const chain: Directive[] = [];
    for (let at: DirectiveEntry | undefined = entry; at; at = at.parent) chain.push(at.directive);
    return levelsOutward(workspace, graph, file, chain.reverse(), memo);
  });
}

/**
 * The levels of a directive of a configuration read as nginx reads it (rules/load/configuration.ts):
 * its blocks from the innermost outwards, whatever files they stand in, then `fragmentTop`'s top
 * level when the configuration is a fragment read on its own (the http or server level it is for).
 */
export function levelsOfRead(workspace: Workspace, read: ReadPlaced, fragmentTop: string | undefined, memo: Memo): Level[] {
  const levels: Level[] = [];
  for (let at: ReadPlaced | undefined = read; at; at = at.parent) {
    if (at.directive.block) levels.push(levelOf(workspace, at.file.path, at.directive, memo));
  }
  if (fragmentTop !== undefined) levels.push(topLevelOf(workspace, fragmentTop, memo));
  return levels;
}

/**
 * Whether a level is searched rather than indexed by what is asked of it: most levels (a location's
 * few lines) are small, and an index of each held a map and a list per name, about a tenth of what
 * a large file's analysis keeps.
 */
const isSearched = (level: Level) => level.directives.length <= 16;

const NONE: readonly Placed[] = [];

/**
 * The names read from levels outside every server while a family's rules run (readingOutside()):
 * the servers' findings read the http level (and a fragment's top level) through named() and
 * namedAny() only, so an edit there that changes none of these names leaves them as they were
 * (serverFindings.ts).
 */
let outsideReads: Set<string> | undefined;

/** Runs `rules`, adding to `reads` the names they read from levels outside every server. */
export function readingOutside<T>(reads: Set<string>, rules: () => T): T {
  const before = outsideReads;
  outsideReads = reads;
  try {
    return rules();
  } finally {
    outsideReads = before;
  }
}

/** Notes that the rules read the directives named `name` outside every server (of a level, or of the whole file). */
export function noteOutsideRead(name: string): void {
  outsideReads?.add(name);
}

function noteRead(level: Level, name: string): void {
  // Asked first: named() is on every rule's path, and outside a family nothing is noted.
  if (outsideReads && (!level.block || level.block.name.value === 'http')) outsideReads.add(name);
}

/** The directives named `name` in a level (indexed once per large level: a server may hold thousands). */
export function named(level: Level, name: string): readonly Placed[] {
  noteRead(level, name);
  if (isSearched(level)) {
    let found: Placed[] | undefined;
    // Indexed: a first analysis runs this before V8 has optimized it, and a for-of step then
    // allocates (asked of every level of every location, several times).
    const { directives } = level;
    for (let i = 0; i < directives.length; i++) if (directives[i].directive.name.value === name) (found ??= []).push(directives[i]);
    return found ?? NONE;
  }
  let byName = directivesByName.get(level);
  if (!byName) {
    byName = new Map();
    for (const placed of level.directives) {
      const list = byName.get(placed.directive.name.value);
      if (list) list.push(placed);
      else byName.set(placed.directive.name.value, [placed]);
    }
    directivesByName.set(level, byName);
  }
  return byName.get(name) ?? [];
}

const directivesByName = new WeakMap<Level, Map<string, Placed[]>>();

/** A level's directives of some names, in order, filtered once per large level (a top level may hold thousands of servers). */
export function namedAny(level: Level, names: readonly string[]): readonly Placed[] {
  // Indexed loops, as in named(): asked of every level of every location by the access rules.
  for (let i = 0; i < names.length; i++) noteRead(level, names[i]);
  if (isSearched(level)) {
    let found: Placed[] | undefined;
    const { directives } = level;
    for (let i = 0; i < directives.length; i++) if (names.includes(directives[i].directive.name.value)) (found ??= []).push(directives[i]);
    return found ?? NONE;
  }
  const inNames = (placed: Placed) => names.includes(placed.directive.name.value);
  let byNames = listsByLevel.get(level);
  if (!byNames) listsByLevel.set(level, (byNames = new Map()));
  const key = names.join(' ');
  let list = byNames.get(key);
  if (!list) byNames.set(key, (list = level.directives.filter(inNames)));
  return list;
}

/** A level's directives never change (an edit makes new levels), so lists are kept by the level. */
const listsByLevel = new WeakMap<Level, Map<string, Placed[]>>();

/**
 * A directive inherited one by one (proxy_http_version, proxy_read_timeout): the last one in the
 * nearest level that has it, and that level.
 */
export function nearest(levels: readonly Level[], name: string): { placed: Placed; level: Level } | undefined {
  for (let i = 0; i < levels.length; i++) {
    const found = named(levels[i], name);
    if (found.length > 0) return { placed: found[found.length - 1], level: levels[i] };
  }
  return undefined;
}

/**
 * An array directive merged as nginx merges most lists (ngx_conf_merge_ptr_value: the level's own
 * list if it has one, else the one inherited): add_header, proxy_hide_header, proxy_set_header, and
 * the allow/deny rules (ngx_http_access_merge_loc_conf). The level in force and its entries of
 * `names` (one name, or several that form one list); undefined when no level sets one.
 */
export function listInForce(levels: readonly Level[], names: string | readonly string[]): { level: Level; entries: readonly Placed[] } | undefined {
  // Indexed, as in named(): asked several times of every location.
  for (let i = 0; i < levels.length; i++) {
    const entries = typeof names === 'string' ? named(levels[i], names) : namedAny(levels[i], names);
    if (entries.length > 0) return { level: levels[i], entries };
  }
  return undefined;
}

/** A directive of a block or of the blocks inside it, with the block directive it is written in. */
export interface Nested extends Placed {
  owner: Placed;
}

/** Every directive inside `block` (nested blocks too), includes expanded, each with its owner block. */
export function nestedDirectives(workspace: Workspace, owner: Placed): Nested[] {
  const found: Nested[] = [];
  for (const placed of levelDirectives(workspace, owner.file, owner.directive.block!)) {
    found.push({ ...placed, owner });
    if (placed.directive.block) found.push(...nestedDirectives(workspace, placed));
  }
  return found;
}
