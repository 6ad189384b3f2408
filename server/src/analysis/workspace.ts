// The files of a configuration and the include graph between them. File access comes through
// the FileSystem interface, so the core reads nothing by itself (the server passes open editor
// buffers first, then the disk; tests pass an in-memory map).

import { childPath, dirname, isInside, joinPath, pathSegments, resolvePath } from './paths';
import { checkSyntax, directiveAt, directivesNamed, keepNameIndex, LineIndex, parse, recheckSyntax, replaced, reparse, rereadDirectives, type Block, type Directive, type ParseResult } from '../parser';

export interface FileSystem {
  readFile(filePath: string): string | undefined;
  /** Names of the entries of a directory, or undefined when it is not one. */
  readDir(dirPath: string): string[] | undefined;
  /**
   * Whether readFile() gives the file's text, told without reading it (a glob's matches are only
   * tested); without this method, readFile() tells.
   */
  fileStatus?(filePath: string): FileStatus;
  /**
   * What a symbolic link names (readlink(2): relative to its folder, or absolute); undefined when the
   * path is no link, or when the link is the file to show (the editor has it open by that path).
   */
  readLink?(filePath: string): string | undefined;
  /**
   * A number that changes whenever a text readFile() gives may have changed (an editor's document
   * was edited, the disk was read again). Without it, results kept over many files check each file
   * on every use.
   */
  textsVersion?(): number;
}

/**
 * What a runtime gives (the disk, the client's files): reads, listings and statuses. It cannot tell
 * when texts change; the server's DocumentFiles, over it and the open documents, can.
 */
export type RuntimeFileSystem = Required<Omit<FileSystem, 'textsVersion'>>;

/** A file readFile() reads, one that does not exist (or a directory), or one that exists but is not read, and why. */
export type FileStatus = 'readable' | 'missing' | { refused: string };

export interface ConfigFile {
  path: string;
  text: string;
  /** A large file's tree has no nodes, only its syntax errors (see largeFileReason()). */
  tree: ParseResult;
  lines: LineIndex;
  /** Set for a large file: why it gets syntax checking only. */
  syntaxOnly?: string;
}

/** The most a file read may hold (from disk, from the client in the browser, for `nginx -t`'s copy). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** nginx's default conf prefix: absolute includes under it are looked up in the conf root too. */
export const DEFAULT_CONF_PREFIX = '/etc/nginx/';
/**
 * Files in the include graph, and paths one `include` pattern may name: a huge glob must not stall
 * the editor, but a server's `sites-enabled/*` may hold a thousand sites, each of which must be read
 * in the configuration (a site past the budget is judged on its own, without the maps and upstreams
 * of nginx.conf). Files of all kinds reached by globs (`/usr/*` in the hostile tests) are parsed by
 * the server and by its analysis worker: MAX_CONFIGURATION_BYTES bounds their size.
 */
export const MAX_INCLUDED_FILES = 1_024;
/** Levels of includes followed (a deep include chain). */
export const MAX_INCLUDE_DEPTH = 16;
/**
 * Above this size a file gets syntax checking only, by a pass that builds no tree: a full tree
 * costs about 8 bytes of memory per byte of text in each thread, and its analysis more again.
 */
export const LARGE_FILE_CHARS = 5 * 1024 * 1024;
/**
 * Above this many `;` and `{` (a bound on the directives, counted without parsing), a file
 * gets syntax checking only too: a million `a;` lines are 3 MB, but a million directives to judge.
 */
export const LARGE_FILE_STATEMENTS = 300_000;
/** A large file's syntax check stops after this many errors (more are not shown: MAX_FINDINGS). */
export const MAX_LARGE_FILE_ERRORS = 501;
/**
 * Directory entries that one include's glob may test, and that all globs may test together until a
 * file or directory changes (expansions are kept until then); and the time they may take together.
 * A glob of three `*` levels under /usr visits tens of thousands of entries, and a thousand of them stalled the server.
 */
export const MAX_GLOB_ENTRIES_PER_INCLUDE = 10_000;
export const MAX_GLOB_ENTRIES = 100_000;
export const MAX_GLOB_MS = 2_000;

/** Why a text is too large for more than syntax checking (its size, its statements), or undefined. */
export function largeFileReason(text: string): string | undefined {
  if (text.length > LARGE_FILE_CHARS) {
    return `This file is ${(text.length / 1048576).toFixed(1)} MB: only syntax is checked above ${LARGE_FILE_CHARS / 1048576} MB.`;
  }
  // Counted with indexOf, not a loop over every character: this runs on every edit of the file.
  let marks = 0;
  for (const mark of [';', '{']) {
    for (let at = text.indexOf(mark); at >= 0 && marks <= LARGE_FILE_STATEMENTS; at = text.indexOf(mark, at + 1)) marks++;
  }
  return marks > LARGE_FILE_STATEMENTS ? `This file has more than ${LARGE_FILE_STATEMENTS} statements: only syntax is checked above that.` : undefined;
}

export function parseConfigFile(filePath: string, text: string): ConfigFile {
  const syntaxOnly = largeFileReason(text);
  const tree = syntaxOnly ? checkSyntax(text, MAX_LARGE_FILE_ERRORS) : parse(text);
  return { path: filePath, text, tree, lines: new LineIndex(text), ...(syntaxOnly && { syntaxOnly }) };
}

/** One glob segment (`*`, `?`, `[...]` as in glob(3), which nginx uses), matched against a file name. */
export interface SegmentPattern {
  test(name: string): boolean;
}

/** `*`, or a test of one character (`?`, a class, a literal). */
type GlobAtom = '*' | ((c: string) => boolean);

/**
 * Compiles one glob segment. Matching takes at most name × pattern steps: a regular expression of
 * many `*` (`[^/]*[^/]*...x`) would backtrack exponentially on a long name. A `[` without its `]`
 * stands for itself (as in glob(3)), and a class nginx's glob could not match ([z-a]) matches nothing.
 */
export function segmentPattern(segment: string): SegmentPattern {
  const atoms: GlobAtom[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    const close = c === '[' ? segment.indexOf(']', i + 1) : -1;
    if (c === '*') {
      if (atoms[atoms.length - 1] !== '*') atoms.push('*');
    } else if (c === '?') atoms.push((x) => x !== '/');
    else if (close > i + 1) {
      atoms.push(characterClass(segment.slice(i + 1, close)));
      i = close;
    } else atoms.push((x) => x === c);
  }
  return { test: (name) => matchGlob(atoms, name) };
}

/** `[abc]`, `[a-z]`, `[!a]` (negated): one character. */
function characterClass(body: string): (c: string) => boolean {
  try {
    const pattern = new RegExp(`^[${body.replace(/^!/, '^').replace(/\\/g, '\\\\')}]$`);
    return (c) => pattern.test(c);
  } catch {
    return () => false;
  }
}

/** Wildcard matching that, on a mismatch, only lets the last `*` take one more character. */
function matchGlob(atoms: readonly GlobAtom[], name: string): boolean {
  let a = 0;
  let n = 0;
  let star = -1;
  let starEnd = 0;
  while (n < name.length) {
    const atom = atoms[a];
    if (atom === '*') {
      star = a++;
      starEnd = n;
    } else if (atom !== undefined && atom(name[n])) {
      a++;
      n++;
    } else if (star >= 0 && name[starEnd] !== '/') {
      a = star + 1;
      n = ++starEnd;
    } else return false;
  }
  while (atoms[a] === '*') a++;
  return a === atoms.length;
}

export const hasGlob = (pattern: string) => /[*?[]/.test(pattern);

/** The main config among `roots` whose directory holds the file (the nearest one). */
export function nearestMainConfig(filePath: string, roots: readonly string[]): string | undefined {
  const holds = (root: string) => isInside(filePath, dirname(root));
  return roots.filter(holds).sort((a, b) => dirname(b).length - dirname(a).length)[0];
}

/** What an `include` pattern resolves to and, when some of what it names is not followed, why. */
export interface Expansion {
  targets: string[];
  /** A budget that cut the expansion short, or a file that is not read (too large, not a regular file). */
  stopped?: string;
}

const weakly = (file: ConfigFile | undefined) => file && new WeakRef(file);
/** Whether `now` is the file held then (undefined: none): a collected one is no current file. */
const sameFile = (then: WeakRef<ConfigFile> | undefined, now: ConfigFile | undefined) => (then ? now !== undefined && then.deref() === now : now === undefined);

interface KeptResult<T> {
  value: T;
  paths: string[];
  /**
   * The file of each path when the value was computed (a new text gives a new ConfigFile), held
   * weakly: a result no analysis asked for since an edit must not keep the file's previous text, tree
   * and line index alive (4 MB and more for a large file); one collected is no longer the current one.
   */
  files: Array<WeakRef<ConfigFile> | undefined>;
  layout: number;
  textsVersion: number | undefined;
}

export class Workspace {
  private readonly cache = new Map<string, ConfigFile>();
  /**
   * Include expansions by conf root and pattern, and the directory listings they read: kept until a
   * file or directory changes (filesChanged()), so that requests do not expand globs again.
   */
  private readonly expansions = new Map<string, Expansion>();
  private readonly listings = new Map<string, string[]>();
  private readonly confRoots = new Map<string, string>();
  /** What the globs have spent of MAX_GLOB_ENTRIES and MAX_GLOB_MS since the files last changed. */
  private globEntries = 0;
  private globMs = 0;
  private mainConfigs: string[] = [];
  /**
   * Bumped whenever what the include graph is built from may have changed (a file's text, a file or
   * directory, the main configs): results derived from the graph are kept as long as it stays.
   */
  generation = 0;
  /** Bumped whenever files or directories may have appeared or gone, or the main configs changed (filesChanged()). */
  layout = 0;

  constructor(private readonly fs: FileSystem) {}

  /** Main configs (nginx.conf files): relative includes resolve against their directory. */
  get roots(): string[] {
    return this.mainConfigs;
  }

  set roots(roots: string[]) {
    this.mainConfigs = roots;
    this.filesChanged();
  }

  /**
   * `compute()`, a result over some files (all of a configuration, say), kept while none of them
   * changed: the analysis of each of 1,000 site files would otherwise read all 1,000 again. `kind`
   * names the computation; `over` is the files it reads, or gives them from the result (a
   * configuration tells the files it read).
   */
  keptOver<T>(kind: string, over: readonly string[] | ((value: T) => Iterable<string>), compute: (previous?: T) => T): T {
    // Lists that differ in their first file are kept apart: a file outside the include graph looks
    // through the graph's files after its own (filesAround()), and each such file has its list.
    const slot = typeof over === 'function' ? kind : `${kind}\0${over[0] ?? ''}`;
    const known = this.keptResults.get(slot) as KeptResult<T> | undefined;
    const textsVersion = this.fs.textsVersion?.();
    const samePaths = (paths: readonly string[]) => typeof over === 'function' || (over.length === paths.length && over.every((path, i) => path === paths[i]));
    if (known && known.layout === this.layout && samePaths(known.paths)) {
      if (textsVersion !== undefined && known.textsVersion === textsVersion) return known.value;
      if (known.paths.every((path, i) => sameFile(known.files[i], this.file(path)))) {
        known.textsVersion = textsVersion;
        return known.value;
      }
    }
    // The previous value, for a computation that can derive the new one from it (files appeared or went: not).
    const value = compute(known?.layout === this.layout ? known.value : undefined);
    const paths = typeof over === 'function' ? [...over(value)] : [...over];
    this.keptResults.set(slot, { value, paths, files: paths.map((path) => weakly(this.file(path))), layout: this.layout, textsVersion });
    return value;
  }

  private readonly keptResults = new Map<string, KeptResult<unknown>>();

  /** A file or directory was created, deleted, opened or closed: expansions are redone. */
  filesChanged(): void {
    this.expansions.clear();
    this.listings.clear();
    this.confRoots.clear();
    this.globEntries = 0;
    this.globMs = 0;
    this.generation++;
    this.layout++;
  }

  /**
   * The directory nginx resolves a file's relative includes against: that of the main config
   * whose directory holds the file (the nearest one), else the file's own directory.
   */
  confRootOf(filePath: string): string {
    let confRoot = this.confRoots.get(filePath);
    if (confRoot === undefined) this.confRoots.set(filePath, (confRoot = dirname(nearestMainConfig(filePath, this.roots) ?? filePath)));
    return confRoot;
  }

  /**
   * The parsed file, re-parsed only when its text changed, and then only around the change. The previous
   * ConfigFile of the path gives its nodes to the new one: it is stale from then on.
   */
  file(filePath: string): ConfigFile | undefined {
    const text = this.fs.readFile(filePath);
    if (text === undefined) return undefined;
    const cached = this.cache.get(filePath);
    if (cached?.text === text) {
      // The same content in another string (the disk's text, then the opened document's): kept, so that
      // the next comparison is of one string with itself, not of every character of a large file again.
      cached.text = text;
      return cached;
    }
    const file = cached ? this.reread(cached, text) : parseConfigFile(filePath, text);
    if (cached) this.generation++;
    this.cache.set(filePath, file);
    return file;
  }

  /** A file's new text, read again around the change only: the statements around it, or the large file's checkpoints. */
  private reread(cached: ConfigFile, text: string): ConfigFile {
    const syntaxOnly = largeFileReason(text);
    if (!cached.syntaxOnly !== !syntaxOnly) return parseConfigFile(cached.path, text);
    if (!syntaxOnly) {
      const tree = reparse(cached.tree, cached.text, text);
      // Indexes are derived from the previous version's: done now, so that the chain has no gap (keepNameIndex()).
      keepNameIndex(tree);
      keepIncludeSites(tree);
      return { path: cached.path, text, tree, lines: new LineIndex(text) };
    }
    return { path: cached.path, text, tree: recheckSyntax(cached.tree, cached.text, text, MAX_LARGE_FILE_ERRORS), lines: new LineIndex(text), syntaxOnly };
  }

  forget(filePath: string): void {
    this.cache.delete(filePath);
  }

  /**
   * The files an `include` pattern names, sorted as glob(3) returns them. Relative patterns are
   * resolved against the conf root (ngx_conf_full_name() with the conf prefix); absolute ones under
   * /etc/nginx/ are also looked up in the conf root, for a checkout of a server's /etc/nginx.
   */
  resolveInclude(pattern: string, fromFile: string): string[] {
    return this.expansion(pattern, fromFile).targets;
  }

  /** resolveInclude(), with what a budget or an unread file left out. */
  expansion(pattern: string, fromFile: string): Expansion {
    const confRoot = this.confRootOf(fromFile);
    const key = `${confRoot}\0${pattern}`;
    let expansion = this.expansions.get(key);
    if (expansion) return expansion;
    expansion = { targets: [] };
    for (const candidate of includeCandidates(pattern, confRoot)) {
      expansion = this.expandGlob(candidate, confRoot);
      if (expansion.targets.length > 0 || expansion.stopped) break;
    }
    this.expansions.set(key, expansion);
    return expansion;
  }

  /**
   * The entries of the directory a partly typed include path names (its part up to the last `/`,
   * no glob), resolved as expansion() resolves patterns; the first MAX_INCLUDED_FILES, sorted.
   */
  includeDirectory(typedDir: string, fromFile: string): Array<{ name: string; directory: boolean }> {
    if (hasGlob(typedDir)) return [];
    for (const dir of includeCandidates(typedDir === '' ? '.' : typedDir, this.confRootOf(fromFile))) {
      const names = this.fs.readDir(dir);
      if (names) return [...names].sort().slice(0, MAX_INCLUDED_FILES).map((name) => ({ name, directory: this.fs.readDir(childPath(dir, name)) !== undefined }));
    }
    return [];
  }

  /** Why the next directory of a glob may not be read, when a budget is spent. */
  private globBudgetSpent(tested: number, started: number): string | undefined {
    if (tested >= MAX_GLOB_ENTRIES_PER_INCLUDE) return `its glob was stopped after ${MAX_GLOB_ENTRIES_PER_INCLUDE} directory entries`;
    if (this.globEntries >= MAX_GLOB_ENTRIES) return `the globs of the workspace have read their ${MAX_GLOB_ENTRIES} directory entries`;
    if (this.globMs + performance.now() - started >= MAX_GLOB_MS) return `the globs of the workspace have taken their ${MAX_GLOB_MS} ms`;
    return undefined;
  }

  private listing(dir: string): string[] {
    let names = this.listings.get(dir);
    if (!names) this.listings.set(dir, (names = (this.fs.readDir(dir) ?? []).sort()));
    return names;
  }

  /**
   * The file an include target is: where a link leads (sites-enabled/app -> ../sites-available/app),
   * so that the file the user edits is the one the configuration includes; the target itself when it
   * is no link or leads to no file here. An absolute link into /etc/nginx/ leads into the conf root
   * first: in a checkout of a server's /etc/nginx, it is the checkout's file.
   */
  private linkedFile(candidate: string, confRoot: string): string {
    const link = this.fs.readLink?.(candidate);
    const target = link === undefined ? undefined : resolvePath(dirname(candidate), link);
    if (target === undefined) return candidate;
    const leads = includeCandidates(target, confRoot).reverse();
    return leads.find((path) => this.statusOf(path) === 'readable') ?? candidate;
  }

  private statusOf(path: string): FileStatus {
    return this.fs.fileStatus?.(path) ?? (this.fs.readFile(path) === undefined ? 'missing' : 'readable');
  }

  private expandGlob(absolute: string, confRoot: string): Expansion {
    const started = performance.now();
    const { root, segments } = pathSegments(absolute);
    let current = [root];
    /** A budget spent: nothing more is read. */
    let spent: string | undefined;
    /** More matches than are followed: the first ones are. */
    let truncated: string | undefined;
    let tested = 0;
    for (const [index, segment] of segments.entries()) {
      const next: string[] = [];
      const pattern = hasGlob(segment) ? segmentPattern(segment) : undefined;
      for (const dir of current) {
        if (!pattern) {
          next.push(joinPath(dir, segment));
          continue;
        }
        spent = this.globBudgetSpent(tested, started);
        if (spent) break;
        const names = this.listing(dir);
        tested += names.length;
        this.globEntries += names.length;
        for (const name of names) if (pattern.test(name)) next.push(childPath(dir, name));
      }
      if (next.length > MAX_INCLUDED_FILES) truncated ??= `it names more than ${MAX_INCLUDED_FILES} paths`;
      // Stopped before the last segment, what was found are directories, not what the pattern names.
      current = spent && index < segments.length - 1 ? [] : next.slice(0, MAX_INCLUDED_FILES);
      if (spent) break;
    }
    let stopped = spent ?? truncated;
    this.globMs += performance.now() - started;
    const targets: string[] = [];
    for (const candidate of current) {
      const file = this.linkedFile(candidate, confRoot);
      const status = this.statusOf(file);
      if (status === 'readable') targets.push(file);
      else if (status !== 'missing') stopped ??= `${file} is not read: ${status.refused}`;
    }
    return { targets, stopped };
  }

  /** The `include` directives of a file, with the files each resolves to and what was left out. */
  includesOf(file: ConfigFile): Array<{ directive: Directive; ancestors: readonly Directive[]; targets: string[]; stopped?: string }> {
    return includeSites(file.tree).map(({ directive, ancestors }) => ({
      directive,
      ancestors,
      ...this.expansion(directive.args[0].value, file.path),
    }));
  }
}

/**
 * Where nginx looks for what an include pattern names (ngx_conf_full_name() with the conf prefix),
 * and, for one under /etc/nginx/, the same path in the conf root (a checkout of a server's /etc/nginx).
 */
function includeCandidates(pattern: string, confRoot: string): string[] {
  const candidates = [resolvePath(confRoot, pattern)];
  if (pattern.startsWith(DEFAULT_CONF_PREFIX)) candidates.push(joinPath(confRoot, pattern.slice(DEFAULT_CONF_PREFIX.length)));
  return candidates.filter((candidate): candidate is string => candidate !== undefined);
}

interface IncludeSite {
  directive: Directive;
  ancestors: readonly Directive[];
}

/**
 * A parsed tree's `include` directives with their enclosing blocks, found once per tree; after
 * reparse(), those of the previous tree are kept but for those of the statements read again.
 */
const includeSitesByTree = new WeakMap<Block, IncludeSite[]>();

function keepIncludeSites(tree: ParseResult): void {
  if (tree.reread && includeSitesByTree.has(tree.reread.previousRoot)) includeSites(tree);
}

function includeSites(tree: ParseResult): IncludeSite[] {
  let sites = includeSitesByTree.get(tree.root);
  if (sites) return sites;
  const isInclude = (directive: Directive) => directive.name.value === 'include' && directive.args.length === 1;
  const previous = tree.reread && includeSitesByTree.get(tree.reread.previousRoot);
  if (previous) {
    const { chain } = tree.reread!;
    const { gone, fresh, start } = rereadDirectives(tree.reread!, (directive, ancestors) => (isInclude(directive) ? { directive, ancestors: [...chain, ...ancestors] } : undefined));
    sites = replaced(previous, (site) => gone.has(site.directive), fresh, start, (site) => site.directive.start);
  } else {
    // From the name index, which the rules ask of the tree anyway: a walk of the whole tree for its
    // few includes cost 10 ms of a 4 MB file's first analysis. The blocks around each are found by offset.
    sites = directivesNamed(tree, 'include').filter(isInclude).map((directive) => ({ directive, ancestors: directiveAt(tree.root, directive.start + 1).slice(0, -1) }));
  }
  includeSitesByTree.set(tree.root, sites);
  return sites;
}
