// The disk, for the server and the CLI (the core takes a FileSystem and reads nothing itself).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSystem } from './analysis/workspace';

/** Files larger than this are not read from disk for include resolution. */
export const MAX_INCLUDED_FILE_BYTES = 16 * 1024 * 1024;

export const nodeFileSystem: FileSystem = {
  readFile(filePath) {
    try {
      const stat = fs.statSync(filePath);
      if (!stat.isFile() || stat.size > MAX_INCLUDED_FILE_BYTES) return undefined;
      return fs.readFileSync(filePath, 'utf8');
    } catch {
      return undefined;
    }
  },
  readDir(dirPath) {
    try {
      return fs.readdirSync(dirPath);
    } catch {
      return undefined;
    }
  },
};

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const MAX_SCAN_DEPTH = 4;

/** The `nginx.conf` files of a folder tree: the main configs whose includes give context. */
export function findMainConfigs(folder: string): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && entry.name === 'nginx.conf') found.push(full);
      else if (entry.isDirectory() && depth < MAX_SCAN_DEPTH && !SKIPPED_DIRECTORIES.has(entry.name)) visit(full, depth + 1);
    }
  };
  visit(folder, 0);
  return found.sort();
}
