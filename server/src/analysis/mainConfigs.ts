// Main-config discovery: the `nginx.conf` files of a folder tree, whose includes give the other files
// their context. The walk is the core's; the directory listing comes from the runtime (the disk).

import { basename, childPath } from './paths';

/** One entry of a directory listing. */
export interface DirectoryEntry {
  name: string;
  kind: 'file' | 'directory' | 'other';
}

/** Main configs found in one folder tree at most: they are sorted, and the first ones kept. */
export const MAX_MAIN_CONFIGS = 64;
/** Directory entries a search (main configs, nginx files) reads in one folder tree at most. */
export const MAX_SCAN_ENTRIES = 50_000;
const MAX_SCAN_DEPTH = 4;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/** The `nginx.conf` files of a folder tree (bounded, see above), sorted; `list` gives undefined for an unreadable directory. */
export function findMainConfigs(folder: string, list: (dir: string) => DirectoryEntry[] | undefined): string[] {
  return findFiles(folder, list, (file) => basename(file) === 'nginx.conf', MAX_MAIN_CONFIGS);
}

/** The files of a folder tree that `accepts` takes, sorted: at most `maxFound`, within MAX_SCAN_DEPTH and MAX_SCAN_ENTRIES. */
export function findFiles(
  folder: string, list: (dir: string) => DirectoryEntry[] | undefined, accepts: (file: string) => boolean, maxFound: number,
): string[] {
  const found: string[] = [];
  let entriesRead = 0;
  const visit = (dir: string, depth: number) => {
    const entries = list(dir);
    if (!entries) return;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++entriesRead > MAX_SCAN_ENTRIES || found.length >= maxFound) return;
      const full = childPath(dir, entry.name);
      if (entry.kind === 'file' && accepts(full)) found.push(full);
      else if (entry.kind === 'directory' && depth < MAX_SCAN_DEPTH && !SKIPPED_DIRECTORIES.has(entry.name)) visit(full, depth + 1);
    }
  };
  visit(folder, 0);
  return found.sort();
}
