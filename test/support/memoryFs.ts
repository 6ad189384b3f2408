// An in-memory FileSystem for core tests: paths (POSIX or Windows ones) to texts, directories
// derived from the paths.

import { posix as path } from 'node:path';
import type { FileSystem } from '../../server/src/analysis/workspace';

export function memoryFs(files: Record<string, string>, links: Record<string, string> = {}): FileSystem {
  // A link reads as the file it names (POSIX paths), as the disk reads it.
  const linked = (filePath: string) => (Object.hasOwn(links, filePath) ? path.resolve(path.dirname(filePath), links[filePath]) : filePath);
  return {
    readFile: (filePath) => files[linked(filePath)],
    readLink: (filePath) => (Object.hasOwn(links, filePath) ? links[filePath] : undefined),
    readDir: (dirPath) => {
      const separator = /^[a-z]:\\|^\\\\/.test(dirPath) ? '\\' : '/';
      const prefix = dirPath.endsWith(separator) ? dirPath : dirPath + separator;
      const names = [...Object.keys(files), ...Object.keys(links)]
        .filter((file) => file.startsWith(prefix))
        .map((file) => file.slice(prefix.length).split(separator)[0]);
      return names.length > 0 ? [...new Set(names)] : undefined;
    },
  };
}

/**
 * An in-memory FileSystem that lists directories from an index built once (memoryFs scans every
 * path on each listing: too slow for thousands of files), and counts its listings.
 */
export function indexedFs(files: Record<string, string>): FileSystem & { listings: number } {
  const dirs = new Map<string, Set<string>>();
  for (const file of Object.keys(files)) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/') || '/';
      if (!dirs.has(dir)) dirs.set(dir, new Set());
      dirs.get(dir)!.add(parts[i]);
    }
  }
  const counted = {
    listings: 0,
    readFile: (filePath: string) => files[filePath],
    readDir: (dirPath: string) => {
      counted.listings++;
      const names = dirs.get(dirPath.length > 1 && dirPath.endsWith('/') ? dirPath.slice(0, -1) : dirPath);
      return names && [...names];
    },
  };
  return counted;
}

/** A language-service-ready single file at /etc/nginx/<name>. */
export const fileAt = (name: string) => path.join('/etc/nginx', name);
