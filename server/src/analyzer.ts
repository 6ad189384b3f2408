// Where the analysis runs. Requests (hover, completion, code actions) must never wait on it: under
// Node it runs in a worker thread (node/workerAnalyzer.ts) with its own copy of the workspace; where
// no worker can be started it runs in the server's thread (inProcessAnalyzer). Both answer with
// the same plain results, and both drop an analysis that a newer change made stale.

import type { Diagnostic } from 'vscode-languageserver';
import { AnalysisCancelled, type IsStale } from './analysis/cancellation';
import type { Finding } from './analysis/types';
import { toDiagnostic } from './diagnostics';
import type { AnalysisService } from './features/analysisService';
import type { Settings } from './features/settings';

/** A file's findings (for code actions) and the diagnostics published for them. */
export interface FileAnalysis {
  findings: Finding[];
  diagnostics: Diagnostic[];
}

/** What the analysis reads besides the files: the settings, the installed nginx's version, the main configs. */
export interface AnalysisState {
  settings: Settings;
  installedVersion?: string;
  roots: string[];
}

/** An open document as the analysis reads it. */
export interface OpenText {
  readonly version: number;
  getText(): string;
}

export interface Analyzer {
  /** Something the analysis reads has changed: an analysis under way is stale and stops at its next checkpoint. */
  changed(): void;
  /** Files changed on disk: what was read of them is read again. */
  filesChanged(): void;
  /**
   * The open documents were edited and typing paused: where the analysis has its own copy of the
   * texts, they are handed over and parsed now, while the edit's debounce runs, not after it.
   */
  documentsEdited(documents: ReadonlyMap<string, OpenText>): void;
  /** The analysis of each path for these documents and state; undefined when a change made it stale before it was done. */
  analyze(paths: readonly string[], documents: ReadonlyMap<string, OpenText>, state: AnalysisState): Promise<Map<string, FileAnalysis> | undefined>;
  /**
   * The files of the main configurations (the roots and what they include) for these documents and
   * state, read where the analysis reads them: the worker has their trees, and this thread would
   * otherwise parse every one of them again (a 4 MB file: 0.3 s in which nothing is sent).
   */
  configurationFiles(documents: ReadonlyMap<string, OpenText>, state: AnalysisState): Promise<string[]>;
}

/** The findings and diagnostics of each path; undefined once `isStale` says the texts moved on. */
export function analyzeFiles(service: AnalysisService, paths: readonly string[], isStale: IsStale): Map<string, FileAnalysis> | undefined {
  const linesOf = (path: string) => service.file(path)?.lines;
  try {
    return new Map(paths.map((path) => {
      const findings = service.diagnose(path, isStale).filter((finding) => finding.file === path);
      return [path, { findings, diagnostics: findings.map((finding) => toDiagnostic(finding, linesOf)) }];
    }));
  } catch (error) {
    if (error instanceof AnalysisCancelled) return undefined;
    throw error;
  }
}

/**
 * The analysis in the server's own thread, on the server's own service (which already reads the
 * open documents and has the state): what runs between two requests is one whole analysis.
 */
export function inProcessAnalyzer(service: AnalysisService): Analyzer {
  let generation = 0;
  return {
    changed: () => void generation++,
    filesChanged: () => undefined,
    // The server's own tree is the analysis's: brought up to date when typing pauses (server.ts).
    documentsEdited: () => undefined,
    analyze: async (paths) => {
      const started = generation;
      return analyzeFiles(service, paths, () => generation !== started);
    },
    configurationFiles: async () => service.configurationFiles(),
  };
}
