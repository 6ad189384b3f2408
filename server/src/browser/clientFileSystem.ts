// The workspace as the browser build reads it: through the client (protocol.ts). The core reads
// synchronously, the client answers later: what is not known yet is asked for once and is missing
// until the answer comes; then the server reads again (Runtime.onFilesArrived). Answers are kept
// until files change (forget()).

import type { Connection } from 'vscode-languageserver';
import { fileToUri, uriToFile } from '../analysis/paths';
import { MAX_MAIN_CONFIGS } from '../analysis/mainConfigs';
import { MAX_FILE_BYTES, type FileStatus, type RuntimeFileSystem } from '../analysis/workspace';
import {
  FIND_MAIN_CONFIGS,
  READ_DIRECTORY,
  READ_FILE,
  type FindMainConfigsParams,
  type FindMainConfigsResult,
  type ReadDirectoryParams,
  type ReadDirectoryResult,
  type ReadFileParams,
  type ReadFileResult,
} from './protocol';

export class ClientFileSystem implements RuntimeFileSystem {
  private readonly files = new Map<string, ReadFileResult>();
  private readonly directories = new Map<string, ReadDirectoryResult>();
  private readonly mainConfigs = new Map<string, string[]>();
  private readonly asked = new Set<string>();
  private listener: () => void = () => undefined;

  constructor(private readonly connection: Connection) {}

  onArrived(listener: () => void): void {
    this.listener = listener;
  }

  /** Files or directories changed: everything is asked for again. */
  forget(): void {
    this.files.clear();
    this.directories.clear();
    this.mainConfigs.clear();
    this.asked.clear();
  }

  readFile(file: string): string | undefined {
    const known = this.file(file);
    return known && 'text' in known ? known.text : undefined;
  }

  /** The client's file system API tells no link targets: a link is read as the file it leads to, by its own path. */
  readLink(): undefined {
    return undefined;
  }

  fileStatus(file: string): FileStatus {
    const known = this.file(file);
    if (!known) return 'missing';
    return 'text' in known ? 'readable' : { refused: known.refused };
  }

  readDir(dir: string): string[] | undefined {
    if (!this.directories.has(dir)) {
      this.ask(`dir:${dir}`, READ_DIRECTORY, { uri: fileToUri(dir) } satisfies ReadDirectoryParams, (names: ReadDirectoryResult) => this.directories.set(dir, names));
    }
    return this.directories.get(dir) ?? undefined;
  }

  findMainConfigs(folder: string): string[] {
    if (!this.mainConfigs.has(folder)) {
      const params: FindMainConfigsParams = { folderUri: fileToUri(folder), limit: MAX_MAIN_CONFIGS };
      this.ask(`main:${folder}`, FIND_MAIN_CONFIGS, params, (uris: FindMainConfigsResult | null) => this.mainConfigs.set(folder, (uris ?? []).map(uriToFile).sort()));
    }
    return this.mainConfigs.get(folder) ?? [];
  }

  private file(file: string): ReadFileResult | undefined {
    if (!this.files.has(file)) {
      this.ask(`file:${file}`, READ_FILE, { uri: fileToUri(file), maxBytes: MAX_FILE_BYTES } satisfies ReadFileParams, (result: ReadFileResult) => this.files.set(file, result));
    }
    return this.files.get(file) ?? undefined;
  }

  /** Sends one request per key until forget(); a failed one counts as no such file. */
  private ask<R>(key: string, method: string, params: object, store: (result: R | null) => void): void {
    if (this.asked.has(key)) return;
    this.asked.add(key);
    this.connection.sendRequest<R>(method, params).then(store, () => store(null)).then(() => this.listener());
  }
}
