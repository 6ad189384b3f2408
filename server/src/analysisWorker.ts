// The analysis worker's side, for any runtime that can start one (node/analysisWorker.ts under
// Node): an analysis service of its own (features/analysisService.ts) over the texts the server
// sends and the runtime's files.
// Messages come in order; an analysis asks the shared generation whether a newer change arrived
// since it was asked for, and stops at its next checkpoint when one did.

import type { AnalysisState, FileAnalysis } from './analyzer';
import { analyzeFiles } from './analyzer';
import type { RuntimeFileSystem } from './analysis/workspace';
import { DocumentFiles } from './documentFiles';
import { AnalysisService } from './features/analysisService';

/** What the server asks, answered by a FromWorker of the same id. */
export type WorkerRequest =
  /** `generation` is the shared counter's value when the server asked. */
  | { kind: 'analyze'; generation: number; paths: string[]; state: AnalysisState }
  | { kind: 'configurationFiles'; state: AnalysisState };

export type ToWorker =
  /** Open documents whose text changed since the last message, and documents closed since. */
  | { kind: 'texts'; open: Array<[path: string, text: string]>; closed: string[] }
  | { kind: 'filesChanged' }
  | (WorkerRequest & { id: number });

/** An analysis's `results` (absent when it became stale), or the configuration's `files`. */
export interface FromWorker {
  id: number;
  results?: Array<[path: string, analysis: FileAnalysis]>;
  files?: string[];
  error?: string;
}

/** The handler of the server's messages; `generation[0]` is the server's change counter. */
export function analysisWorker(disk: RuntimeFileSystem, generation: Int32Array, post: (message: FromWorker) => void): (message: ToWorker) => void {
  const openTexts = new Map<string, string>();
  const files = new DocumentFiles((path) => openTexts.get(path), disk);
  const service = new AnalysisService(files);
  let roots: string[] = [];

  function apply(state: AnalysisState): void {
    service.settings = state.settings;
    service.installedVersion = state.installedVersion;
    if (state.roots.join('\0') === roots.join('\0')) return;
    roots = state.roots;
    service.setRoots(roots);
  }

  return (message) => {
    switch (message.kind) {
      case 'texts': {
        const openedOrClosed = message.closed.length > 0 || message.open.some(([path]) => !openTexts.has(path));
        for (const [path, text] of message.open) openTexts.set(path, text);
        files.documentsChanged();
        for (const path of message.closed) {
          openTexts.delete(path);
          files.forget(path);
          service.workspace.forget(path);
        }
        // A document opened or closed may be a file the disk lacks: include expansions are redone.
        if (openedOrClosed) service.workspace.filesChanged();
        // Parsed now: texts come ahead of an edit's analysis, while the server waits out its debounce
        // (an edit of a 4 MB file: its re-parse and the text's copy, 20 to 30 ms, came after it).
        for (const [path] of message.open) service.file(path);
        return;
      }
      case 'filesChanged':
        files.forget();
        service.workspace.filesChanged();
        return;
      default:
        try {
          apply(message.state);
          if (message.kind === 'configurationFiles') post({ id: message.id, files: service.configurationFiles() });
          else {
            const results = analyzeFiles(service, message.paths, () => Atomics.load(generation, 0) !== message.generation);
            post({ id: message.id, results: results && [...results] });
          }
        } catch (error) {
          post({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        }
    }
  };
}
