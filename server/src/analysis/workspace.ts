// The files of a configuration and the include graph between them. File access comes through
// the FileSystem interface, so the core reads nothing by itself (the server passes open editor
// buffers first, then the disk; tests pass an in-memory map).

import { posix as path } from 'node:path';
import { LineIndex, parse, reparse, walk, type Block, type Directive, type ParseResult } from '../parser';

export interface FileSystem {
  readFile(filePath: string): string | undefined;
  /** Names of the entries of a directory, or undefined when it is not one. */
  readDir(dirPath: string): string[] | undefined;
}

export interface ConfigFile {
  path: string;
  text: string;
  tree: ParseResult;
  lines: LineIndex;
}

/** nginx's default conf prefix: absolute includes under it are looked up in the conf root too. */
export const DEFAULT_CONF_PREFIX = '/etc/nginx/';
/** Bounds that keep a huge glob or a deep include chain from stalling the editor. */
export const MAX_INCLUDED_FILES = 256;
export const MAX_INCLUDE_DEPTH = 16;

export function parseConfigFile(filePath: string, text: string): ConfigFile {
  return { path: filePath, text, tree: parse(text), lines: new LineIndex(text) };
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
  const holds = (root: string) => filePath.startsWith(path.dirname(root).replace(/\/?$/, '/'));
  return roots.filter(holds).sort((a, b) => path.dirname(b).length - path.dirname(a).length)[0];
}

/**
 * Include patterns already resolved, by conf root and pattern, for one traversal of the include
 * graph: a glob whose thousand files include it again is expanded once, not once per file. Keep one
 * only as long as the files cannot change (one synchronous walk).
 */
export type IncludeMemo = Map<string, string[]>;

export class Workspace {
  private readonly cache = new Map<string, ConfigFile>();

  /** Main configs (nginx.conf files): relative includes resolve against their directory. */
  roots: string[] = [];

  constructor(private readonly fs: FileSystem) {}

  /**
   * The directory nginx resolves a file's relative includes against: that of the main config
   * whose directory holds the file (the nearest one), else the file's own directory.
   */
  confRootOf(filePath: string): string {
    return path.dirname(nearestMainConfig(filePath, this.roots) ?? filePath);
  }

  /**
   * The parsed file, re-parsed only when its text changed, and then only the block around the
   * change. The previous ConfigFile of the path gives its nodes to the new one: it is stale from then on.
   */
  file(filePath: string): ConfigFile | undefined {
    const text = this.fs.readFile(filePath);
    if (text === undefined) return undefined;
    const cached = this.cache.get(filePath);
    if (cached?.text === text) return cached;
    const file = cached
      ? { path: filePath, text, tree: reparse(cached.tree, cached.text, text), lines: new LineIndex(text) }
      : parseConfigFile(filePath, text);
    this.cache.set(filePath, file);
    return file;
  }

  forget(filePath: string): void {
    this.cache.delete(filePath);
  }

  /**
   * The files an `include` pattern names, sorted as glob(3) returns them. Relative patterns are
   * resolved against the conf root (ngx_conf_full_name() with the conf prefix); absolute ones under
   * /etc/nginx/ are also looked up in the conf root, for a checkout of a server's /etc/nginx.
   */
  resolveInclude(pattern: string, fromFile: string, memo?: IncludeMemo): string[] {
    const confRoot = this.confRootOf(fromFile);
    const key = `${confRoot}\0${pattern}`;
    const known = memo?.get(key);
    if (known) return known;
    const candidates = [path.isAbsolute(pattern) ? pattern : path.join(confRoot, pattern)];
    if (pattern.startsWith(DEFAULT_CONF_PREFIX)) {
      candidates.push(path.join(confRoot, pattern.slice(DEFAULT_CONF_PREFIX.length)));
    }
    let resolved: string[] = [];
    for (const candidate of candidates) {
      resolved = this.expandGlob(candidate);
      if (resolved.length > 0) break;
    }
    memo?.set(key, resolved);
    return resolved;
  }

  private expandGlob(absolute: string): string[] {
    let current = ['/'];
    for (const segment of absolute.split('/').filter(Boolean)) {
      const next: string[] = [];
      for (const dir of current) {
        if (!hasGlob(segment)) {
          next.push(path.join(dir, segment));
          continue;
        }
        const pattern = segmentPattern(segment);
        const entries = (this.fs.readDir(dir) ?? []).filter((name) => pattern.test(name)).sort();
        next.push(...entries.map((name) => path.join(dir, name)));
      }
      current = next.slice(0, MAX_INCLUDED_FILES);
    }
    return current.filter((candidate) => this.fs.readFile(candidate) !== undefined);
  }

  /** The `include` directives of a file, with the files each resolves to (see IncludeMemo for `memo`). */
  includesOf(file: ConfigFile, memo?: IncludeMemo): Array<{ directive: Directive; ancestors: readonly Directive[]; targets: string[] }> {
    return includeSites(file.tree.root).map(({ directive, ancestors }) => ({
      directive,
      ancestors,
      targets: this.resolveInclude(directive.args[0].value, file.path, memo),
    }));
  }
}

/** A parsed tree's `include` directives with their enclosing blocks, found by one walk per tree (trees never change). */
const includeSitesByTree = new WeakMap<Block, Array<{ directive: Directive; ancestors: readonly Directive[] }>>();

function includeSites(root: Block): Array<{ directive: Directive; ancestors: readonly Directive[] }> {
  let sites = includeSitesByTree.get(root);
  if (sites) return sites;
  const found: Array<{ directive: Directive; ancestors: readonly Directive[] }> = [];
  walk(root, (directive, ancestors) => {
    if (directive.name.value === 'include' && directive.args.length === 1) found.push({ directive, ancestors: [...ancestors] });
  });
  includeSitesByTree.set(root, (sites = found));
  return sites;
}
