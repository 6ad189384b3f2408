// Diagnostics for the whole configuration, not only the open editors: every file the main configs
// reach and every nginx file of the workspace folders is analysed and published, off the request
// path (one file at a time, in the analysis worker where there is one) and dropped as soon as a newer change makes it stale.
// Open documents are not analysed here: the server validates them on every change.

import { basename, dirname, pathSegments } from './analysis/paths';

/** Files one pass analyses at most (beyond the open documents): a huge workspace must not keep the server busy. */
export const MAX_WORKSPACE_FILES = 2_000;
/**
 * Files analysed per request: one round trip to the analysis worker and back for many small files
 * (a pass over 1,000 sites), and still a change's analysis waits for at most one batch's checkpoint.
 */
const FILES_PER_BATCH = 25;
/** A burst of changes (typing, a checkout) starts one pass, this long after the last change. */
export const WORKSPACE_DEBOUNCE_MS = 400;

/** What the languages contribution of package.json gives the nginx language (test/unit/workspace-diagnostics.test.ts checks both agree). */
const NGINX_FILE_NAMES = new Set(['nginx.conf', 'mime.types', 'proxy_params', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'uwsgi_params']);
const NGINX_EXTENSIONS = ['.nginx', '.nginxconf'];
/** Folders whose every file is nginx configuration, and those whose `*.conf` files are. */
const ALL_FILES_FOLDERS = new Set(['sites-available', 'sites-enabled']);
const CONF_FOLDERS = new Set(['conf.d', 'snippets', 'modules-enabled']);

/** Whether a file is nginx configuration by its name, as the editor decides which files get the nginx language. */
export function isNginxFile(filePath: string): boolean {
  const name = basename(filePath);
  const folder = basename(dirname(filePath));
  if (NGINX_FILE_NAMES.has(name) || NGINX_EXTENSIONS.some((extension) => name.endsWith(extension))) return true;
  if (ALL_FILES_FOLDERS.has(folder)) return true;
  return name.endsWith('.conf') && (CONF_FOLDERS.has(folder) || pathSegments(filePath).segments.slice(0, -1).includes('nginx'));
}

/**
 * One path per file: the same file reached through a symlink (`sites-enabled/app` and
 * `sites-available/app`) is one file, shown under the path that is open, else the first path met.
 */
export function onePathPerFile(paths: readonly string[], isOpen: (path: string) => boolean, realPath: (path: string) => string): string[] {
  const chosen = new Map<string, string>();
  for (const candidate of paths) {
    const real = realPath(candidate);
    const current = chosen.get(real);
    if (current === undefined || (isOpen(candidate) && !isOpen(current))) chosen.set(real, candidate);
  }
  return [...new Set(chosen.values())];
}


export interface WorkspaceDiagnosticsHost<D> {
  /** The paths to analyse, the configuration's files first (include order), then the workspace's nginx files. */
  files(): Promise<string[]>;
  isOpen(path: string): boolean;
  realPath(path: string): string;
  /** The files' diagnostics; undefined when a change made the analysis stale before it was done. */
  analyse(paths: readonly string[]): Promise<Map<string, D[]> | undefined>;
  /** Publishes a closed file's diagnostics; an empty list clears them. */
  publish(path: string, diagnostics: D[]): void;
}

export class WorkspaceDiagnostics<D> {
  /** Bumped by every change: a pass whose generation is old stops at its next file. */
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  /**
   * Closed files the passes published, with what (as JSON): a pass sends only what changed (every edit
   * starts one, and most files' problems stay as they were), and clears the files that left.
   */
  private published = new Map<string, string>();

  constructor(private readonly host: WorkspaceDiagnosticsHost<D>) {}

  /** A new pass after the burst of changes ends; the running one stops. */
  schedule(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(this.generation), WORKSPACE_DEBOUNCE_MS);
  }

  /** A document opened or closed: the server published its problems itself, so the next pass sends them again. */
  forget(file: string): void {
    this.published.delete(file);
  }

  /** Stops any pass and clears what they published (the open-files-only setting). */
  clear(): void {
    this.generation++;
    clearTimeout(this.timer);
    for (const file of this.published.keys()) if (!this.host.isOpen(file)) this.host.publish(file, []);
    this.published.clear();
  }

  /** Settles when the pass is done or stale; one file at a time, so requests are answered between files. */
  private async run(generation: number): Promise<void> {
    const { host } = this;
    const listed = await host.files();
    if (generation !== this.generation) return;
    const files = onePathPerFile(listed.slice(0, MAX_WORKSPACE_FILES), (file) => host.isOpen(file), (file) => host.realPath(file));
    const analysed = new Set<string>();
    // An open file's problems are the server's to publish (on every change): forget what a pass sent.
    for (const file of files.filter((path) => host.isOpen(path))) this.published.delete(file);
    const closed = files.filter((path) => !host.isOpen(path));
    for (let start = 0; start < closed.length; start += FILES_PER_BATCH) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (generation !== this.generation) return;
      const batch = closed.slice(start, start + FILES_PER_BATCH).filter((path) => !host.isOpen(path));
      const results = await host.analyse(batch);
      if (!results || generation !== this.generation) return;
      for (const [file, diagnostics] of results) {
        const shown = JSON.stringify(diagnostics);
        if (this.published.get(file) !== shown) host.publish(file, diagnostics);
        this.published.set(file, shown);
        analysed.add(file);
      }
    }
    for (const file of [...this.published.keys()]) {
      if (analysed.has(file)) continue;
      this.published.delete(file);
      if (!host.isOpen(file)) host.publish(file, []);
    }
  }
}
