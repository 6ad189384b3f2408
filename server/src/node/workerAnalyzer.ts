// The analysis in a worker thread: requests are answered by the server's thread while the worker
// analyses, and a change makes the worker's analysis under way stop at its next checkpoint (the
// shared generation counter). The worker gets each open document's text once per version.

import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Analyzer, OpenText } from '../analyzer';
import type { FromWorker, ToWorker, WorkerRequest } from '../analysisWorker';

/**
 * The worker's old generation starts bounded, so that V8 collects an edit's garbage before the heap
 * grows far past what the analysis keeps (about 105 MB for a 4 MB configuration): unbounded, the
 * server's peak memory was twice as high. A configuration that needs more gets a worker with twice
 * the bound, up to MAX_HEAP_MB, and the analyses under way are run again there. (Garbage between analyses
 * is collected while the worker waits, garbage.ts: a tighter bound only made the open slower.)
 */
const FIRST_HEAP_MB = 384;
const MAX_HEAP_MB = 4096;
/**
 * V8's default young generation (two semi-spaces of 16 MB) is resident once filled. A quarter of it
 * cost the analysis no measurable time (bench: open and edits within the runs' spread) and took the
 * server's peak RSS 4 to 6 MB lower than half of it did.
 */
const YOUNG_GENERATION_MB = 8;
/**
 * Where the worker's heap starts: near what the analysis of a 4 MB file keeps (about 120 MB), its
 * young generation at full size. V8 otherwise grows both step by step, with a major collection at
 * each step of the old generation: a third of the first analysis of that file was garbage collection,
 * and it took about 15 % longer. V8 reads these flags when it sets up a new isolate's heap (the
 * worker's); the server's thread, already running, keeps its own. Worker options cannot set them.
 */
const INITIAL_OLD_GENERATION_MB = 160;
/**
 * The young generation is two semi-spaces (V8's Heap::YoungGenerationSizeFromSemiSpaceSize()), both
 * at full size from the start: the growth factor below applies to every thread, and a worker started
 * smaller stayed smaller (its first analysis of a 4 MB file 300 ms slower).
 */
const SEMI_SPACE_MB = YOUNG_GENERATION_MB / 2;
/**
 * The server's thread keeps its young generation at the size it starts with (8 MB): grown to its
 * default bound (32 MB) by the first parse of a large document, it stays resident for good, and
 * that thread's allocations are small but for that parse. V8 raises a growth factor below 2 to 2
 * whenever it sets up an isolate's heap (Heap::ConfigureHeap()), so it is set once the worker runs.
 */
const SERVER_THREAD_SEMI_SPACE_GROWTH = 1;

interface Waiting {
  /** Asks again, of a worker started after this one stopped. */
  resend(): Promise<FromWorker>;
  resolve(answer: FromWorker): void;
  reject(error: Error): void;
}

/** A worker thread of the analysis, the script it runs, and the change counter it shares with the server. */
export interface AnalysisThread {
  worker: Worker;
  workerPath: string;
  generation: Int32Array;
  heapMb: number;
}

/**
 * Starts a worker thread of dist/analysisWorker.js with `heapMb` for its old generation; `generation`
 * is the server's change counter (a new one when none is given).
 */
export function startAnalysisThread(workerPath: string, heapMb = FIRST_HEAP_MB, generation: Int32Array = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))): AnalysisThread {
  setFlagsFromString(`--initial-old-space-size=${Math.min(INITIAL_OLD_GENERATION_MB, heapMb)}`);
  setFlagsFromString(`--min-semi-space-size=${SEMI_SPACE_MB}`);
  const worker = new Worker(workerPath, { workerData: { generation }, resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  worker.once('online', () => setFlagsFromString(`--semi-space-growth-factor=${SERVER_THREAD_SEMI_SPACE_GROWTH}`));
  return { worker, workerPath, generation, heapMb };
}

/**
 * The analysis in the worker thread `first` (started before the server's modules are evaluated: see
 * analysisThread.ts), and in threads started again after one stopped.
 */
export function workerAnalyzer(log: (message: string) => void, first: AnalysisThread): Analyzer {
  const { workerPath, generation } = first;
  let heapMb = first.heapMb;
  let worker: Worker | undefined;
  /** The document and version whose text the worker has, per path. */
  let sent = new Map<string, { document: OpenText; version: number }>();
  let waiting = new Map<number, Waiting>();
  let lastId = 0;

  /** Listens to a started thread (`started`, the first one; then one started anew). */
  function start(started = startAnalysisThread(workerPath, heapMb, generation).worker): Worker {
    let outOfMemory = false;
    started.on('message', (message: FromWorker) => {
      const request = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error !== undefined) request?.reject(new Error(message.error));
      else request?.resolve(message);
    });
    started.on('error', (error: Error & { code?: string }) => {
      outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      log(`analysis worker failed: ${error.stack ?? error}`);
    });
    // A worker that stopped is started again on the next request; one that ran out of memory, with more.
    started.on('exit', () => {
      worker = undefined;
      sent = new Map();
      const stopped = waiting;
      waiting = new Map();
      const retry = outOfMemory && heapMb < MAX_HEAP_MB;
      if (retry) {
        heapMb = Math.min(heapMb * 2, MAX_HEAP_MB);
        log(`analysis worker: out of memory, started again with ${heapMb} MB`);
      }
      for (const request of stopped.values()) {
        if (retry) request.resend().then(request.resolve, request.reject);
        else request.reject(new Error('the analysis worker stopped'));
      }
    });
    // The worker must not keep a server whose client has gone alive.
    started.unref();
    return started;
  }

  function post(message: ToWorker): void {
    (worker ??= start()).postMessage(message);
  }

  /** Sends the texts of the documents that changed since the worker last got them, and the closed ones. */
  function sendTexts(documents: ReadonlyMap<string, OpenText>): void {
    const open: Array<[string, string]> = [];
    for (const [path, document] of documents) {
      const known = sent.get(path);
      if (known?.document === document && known.version === document.version) continue;
      open.push([path, document.getText()]);
      sent.set(path, { document, version: document.version });
    }
    const closed = [...sent.keys()].filter((path) => !documents.has(path));
    closed.forEach((path) => sent.delete(path));
    if (open.length > 0 || closed.length > 0) post({ kind: 'texts', open, closed });
  }

  /** Asks the worker about these documents; `request` is made when the question is sent (again after a restart). */
  function ask(documents: ReadonlyMap<string, OpenText>, request: () => WorkerRequest): Promise<FromWorker> {
    sendTexts(documents);
    const id = ++lastId;
    post({ ...request(), id });
    return new Promise((resolve, reject) => waiting.set(id, { resend: () => ask(documents, request), resolve, reject }));
  }

  worker = start(first.worker);

  return {
    changed: () => void Atomics.add(generation, 0, 1),
    filesChanged: () => worker && post({ kind: 'filesChanged' }),
    documentsEdited: (documents) => worker && sendTexts(documents),
    // The generation is read when the analysis is asked for: one asked again after a restart is stale if a change came since.
    analyze: async (paths, documents, state) => {
      const answer = await ask(documents, () => ({ kind: 'analyze', generation: Atomics.load(generation, 0), paths: [...paths], state }));
      return answer.results && new Map(answer.results);
    },
    configurationFiles: async (documents, state) => (await ask(documents, () => ({ kind: 'configurationFiles', state }))).files ?? [],
  };
}
