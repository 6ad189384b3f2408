// An in-memory FileSystem for core tests: paths (POSIX or Windows ones) to texts, directories
// derived from the paths.

import { posix as path } from 'node:path';
import type { FileSystem } from '../../server/src/analysis/workspace';

export function memoryFs(files: Record<string, string>): FileSystem {
  return {
    readFile: (filePath) => files[filePath],
    readDir: (dirPath) => {
      const separator = /^[a-z]:\\|^\\\\/.test(dirPath) ? '\\' : '/';
      const prefix = dirPath.endsWith(separator) ? dirPath : dirPath + separator;
      const names = Object.keys(files)
        .filter((file) => file.startsWith(prefix))
        .map((file) => file.slice(prefix.length).split(separator)[0]);
      return names.length > 0 ? [...new Set(names)] : undefined;
    },
  };
}

/** A language-service-ready single file at /etc/nginx/<name>. */
export const fileAt = (name: string) => path.join('/etc/nginx', name);
