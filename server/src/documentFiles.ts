// The files the analysis reads: the editor's open documents (even unsaved) first, else the runtime's
// file system. Shared by the server and its analysis worker, which must read the same texts.

import type { FileStatus, FileSystem, RuntimeFileSystem } from './analysis/workspace';

export class DocumentFiles implements Required<FileSystem> {
  private version = 0;

  /**
   * Texts read from the file system, kept until files change (forget()): every request walks the
   * files of the configuration, and would read them all from disk again.
   */
  private readonly diskTexts = new Map<string, string | undefined>();

  constructor(
    private readonly openText: (path: string) => string | undefined,
    private readonly disk: RuntimeFileSystem,
  ) {}

  readFile(path: string): string | undefined {
    const open = this.openText(path);
    if (open !== undefined) return open;
    if (!this.diskTexts.has(path)) this.diskTexts.set(path, this.disk.readFile(path));
    return this.diskTexts.get(path);
  }

  readDir(path: string): string[] | undefined {
    return this.disk.readDir(path);
  }

  /** An open document is shown by the path it is open by: its link is not followed. */
  readLink(path: string): string | undefined {
    return this.openText(path) !== undefined ? undefined : this.disk.readLink(path);
  }

  fileStatus(path: string): FileStatus {
    return this.openText(path) !== undefined ? 'readable' : this.disk.fileStatus(path);
  }

  /** What was read of a file (or of every file) from the disk is read again when next asked. */
  forget(path?: string): void {
    if (path === undefined) this.diskTexts.clear();
    else this.diskTexts.delete(path);
    this.version++;
  }

  /** An open document was opened, edited or closed: its text, as readFile() gives it, changed. */
  documentsChanged(): void {
    this.version++;
  }

  textsVersion(): number {
    return this.version;
  }
}
