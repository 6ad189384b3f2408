// The analysis worker's thread, started as the server process starts: main.ts imports this module
// first, so that the worker reads and compiles its 2 MB bundle while this thread evaluates its own
// (about 200 ms) and answers the client's initialize. Started where the server is set up, it took the
// text of a document opened right after initialize 95 to 150 ms after the server had it: the open of
// the bench's 4.4 MB file took 2.37-2.67 s then, 2.22-2.45 s now (5 runs each).

import { join } from 'node:path';
import { startAnalysisThread } from './workerAnalyzer';

/** dist/analysisWorker.js, next to this bundle (esbuild.mjs). */
export const ANALYSIS_WORKER_PATH = join(__dirname, 'analysisWorker.js');

export const analysisThread = startAnalysisThread(ANALYSIS_WORKER_PATH);
