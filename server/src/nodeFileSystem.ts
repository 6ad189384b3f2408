// The disk, for the server and the CLI (the core takes a FileSystem and reads nothing itself).
// Every read is bounded whatever `stat` says: /proc/self/pagemap has a size of 0 and never ends.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { findFiles as findFilesIn, findMainConfigs as findMainConfigsIn, MAX_MAIN_CONFIGS, MAX_SCAN_ENTRIES, type DirectoryEntry } from './analysis/mainConfigs';
import { MAX_FILE_BYTES, type FileStatus, type RuntimeFileSystem } from './analysis/workspace';

export { MAX_FILE_BYTES, MAX_MAIN_CONFIGS, MAX_SCAN_ENTRIES };
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
  // A name that is no absolute path here (a Windows path on Linux, an untitled: URI) is no file of this disk.
  if (!path.isAbsolute(filePath.toString())) return 'missing';
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

export const nodeFileSystem: RuntimeFileSystem = {
  readFile(filePath) {
    return readFileBytes(filePath)?.toString('utf8');
  },
  readDir(dirPath) {
    try {
      if (!path.isAbsolute(dirPath) || underUnreadTree(fs.realpathSync(dirPath))) return undefined;
      return fs.readdirSync(dirPath);
    } catch {
      return undefined;
    }
  },
  fileStatus(filePath) {
    const readable = readablePath(filePath);
    return typeof readable === 'object' && 'real' in readable ? 'readable' : readable;
  },
  readLink(filePath) {
    try {
      return fs.readlinkSync(filePath);
    } catch {
      return undefined;
    }
  },
};

/** A directory of the disk, for the core's folder walks: a symlink to a file counts as a file (sites-enabled/app); one to a folder is not followed (it may loop). */
function listDirectory(dir: string): DirectoryEntry[] | undefined {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).map((entry) => ({
      name: entry.name,
      kind: entry.isFile() || (entry.isSymbolicLink() && isFile(path.join(dir, entry.name))) ? 'file' : entry.isDirectory() ? 'directory' : 'other',
    }));
  } catch {
    return undefined;
  }
}

/** The `nginx.conf` files of a folder tree on disk (analysis/mainConfigs.ts). */
export function findMainConfigs(folder: string): string[] {
  return findMainConfigsIn(folder, listDirectory);
}

/** The files of a folder tree on disk that `accepts` takes (analysis/mainConfigs.ts). */
export function findFiles(folder: string, accepts: (file: string) => boolean, maxFound: number): string[] {
  return findFilesIn(folder, listDirectory, accepts, maxFound);
}

/** The path with its symlinks resolved; the path itself when it cannot be (a file that is gone). */
export function realPathOf(filePath: string): string {
  try {
    return fs.realpathSync.native(filePath);
  } catch {
    return filePath;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
