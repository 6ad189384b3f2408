// The disk, for the server and the CLI (the core takes a FileSystem and reads nothing itself).
// Every read is bounded whatever `stat` says: /proc/self/pagemap has a size of 0 and never ends.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileStatus, FileSystem } from './analysis/workspace';

/** The most a file read from disk may hold (for include resolution and for `nginx -t`'s copy). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Kernel and device file systems: never configuration, and their files may never end or block. */
const UNREAD_TREES = ['/proc', '/sys', '/dev'];
/** The size of each read() while reading a file: the buffer grows by this much at a time. */
const READ_CHUNK_BYTES = 64 * 1024;

const underUnreadTree = (real: string) => UNREAD_TREES.some((tree) => real === tree || real.startsWith(`${tree}/`));

/**
 * The path with its symlinks resolved, when it is a regular file the server may read; else why not.
 * Paths are bytes underneath: a file name need not be UTF-8.
 */
function readablePath(filePath: string | Buffer): { real: Buffer } | FileStatus {
  let real: Buffer;
  let stat: fs.Stats;
  try {
    // The native realpath(3): fs.realpathSync turns a byte path into UTF-8 on the way.
    real = fs.realpathSync.native(filePath, { encoding: 'buffer' });
    stat = fs.statSync(real);
  } catch {
    return 'missing';
  }
  const shown = real.toString('latin1');
  if (underUnreadTree(shown)) return { refused: `it is under ${shown.split('/', 2).join('/')}` };
  // A directory is what a glob such as `conf.d/*` matches along with the files: skipped, as before.
  if (stat.isDirectory()) return 'missing';
  if (!stat.isFile()) return { refused: 'it is not a regular file' };
  if (stat.size > MAX_FILE_BYTES) return { refused: `it is larger than ${MAX_FILE_BYTES / 1048576} MB` };
  return { real };
}

/**
 * At most MAX_FILE_BYTES of a regular file, through one file descriptor: the type is checked on the
 * open descriptor (a symlink swapped after the check cannot slip a FIFO in), and reading stops at
 * the limit even when the file grows or its size was wrong. Undefined when the file is longer.
 */
function readBounded(real: Buffer): Buffer | undefined {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  const fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile()) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      const read = fs.readSync(fd, chunk, 0, READ_CHUNK_BYTES, null);
      if (read === 0) break;
      total += read;
      if (total > MAX_FILE_BYTES) return undefined;
      chunks.push(read === READ_CHUNK_BYTES ? chunk : chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** The bytes of a file the server may read (see readablePath and readBounded), or undefined. */
export function readFileBytes(filePath: string | Buffer): Buffer | undefined {
  const readable = readablePath(filePath);
  if (typeof readable !== 'object' || !('real' in readable)) return undefined;
  try {
    return readBounded(readable.real);
  } catch {
    return undefined;
  }
}

export const nodeFileSystem: Required<FileSystem> = {
  readFile(filePath) {
    return readFileBytes(filePath)?.toString('utf8');
  },
  readDir(dirPath) {
    try {
      if (underUnreadTree(fs.realpathSync(dirPath))) return undefined;
      return fs.readdirSync(dirPath);
    } catch {
      return undefined;
    }
  },
  fileStatus(filePath) {
    const readable = readablePath(filePath);
    return typeof readable === 'object' && 'real' in readable ? 'readable' : readable;
  },
};

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const MAX_SCAN_DEPTH = 4;
/** Main configs found in one folder tree at most: they are sorted, and the first ones kept. */
export const MAX_MAIN_CONFIGS = 64;
/** Directory entries a search for files (main configs, nginx files) reads in one folder tree at most. */
export const MAX_SCAN_ENTRIES = 50_000;

/** The `nginx.conf` files of a folder tree: the main configs whose includes give context (bounded, see above). */
export function findMainConfigs(folder: string): string[] {
  return findFiles(folder, (file) => path.basename(file) === 'nginx.conf', MAX_MAIN_CONFIGS);
}

/** The files of a folder tree that `accepts` takes, sorted: at most `maxFound`, within MAX_SCAN_DEPTH and MAX_SCAN_ENTRIES. */
export function findFiles(folder: string, accepts: (file: string) => boolean, maxFound: number): string[] {
  const found: string[] = [];
  let entriesRead = 0;
  const visit = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++entriesRead > MAX_SCAN_ENTRIES || found.length >= maxFound) return;
      const full = path.join(dir, entry.name);
      // A symlink to a file counts (sites-enabled/app); one to a folder is not followed (it may loop).
      if ((entry.isFile() || (entry.isSymbolicLink() && isFile(full))) && accepts(full)) found.push(full);
      else if (entry.isDirectory() && depth < MAX_SCAN_DEPTH && !SKIPPED_DIRECTORIES.has(entry.name)) visit(full, depth + 1);
    }
  };
  visit(folder, 0);
  return found.sort();
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
