// The analysis worker's thread, started as the server process starts: main.ts imports this module
// first, so that the worker reads and compiles its 2 MB bundle while this thread evaluates its own
// (about 200 ms) and answers the client's initialize. Started where the server is set up, it took the
// text of a document opened right after initialize 95 to 150 ms after the server had it: the open of
// the bench's 4.4 MB file took 2.37-2.67 s then, 2.22-2.45 s now (5 runs each).

import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { limitInlining } from './inliningBudget';
import { startAnalysisThread } from './workerAnalyzer';

/**
 * The server thread's garbage (each edit of a large document leaves its old text, line index and
 * statements read again) is collected by V8's own incremental marking, which pauses requests a few ms at a
 * time, once the heap has grown by a fifth past what the last collection kept: by default V8 lets it
 * grow to a multiple first (ten edits of the bench's 4.4 MB file took the thread's heap from 60 to
 * 155 MB). A full collection called after each edit instead paused the thread 30 to 60 ms: hovers
 * sent during an edit's analysis waited for it (bench p95 45 to 69 ms; 4 to 12 ms without). The flag
 * is the process's, set before the worker starts: the analysis worker's heap grows by a fifth too,
 * and it collects its garbage itself (garbage.ts).
 */
setFlagsFromString('--heap-growing-percent=20');
limitInlining();

/** The thread of dist/analysisWorker.js, next to this bundle (esbuild.mjs). */
export const analysisThread = startAnalysisThread(join(__dirname, 'analysisWorker.js'));
