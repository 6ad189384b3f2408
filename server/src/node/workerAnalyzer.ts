// The analysis in a worker thread: requests are answered by the server's thread while the worker
// analyses, and a change makes the worker's analysis under way stop at its next checkpoint (the
// shared generation counter). The worker gets each open document's text once per version.

import { Worker } from 'node:worker_threads';
import type { Analyzer, FileAnalysis, OpenText } from '../analyzer';
import type { FromWorker, ToWorker } from '../analysisWorker';

export function workerAnalyzer(workerPath: string, log: (message: string) => void): Analyzer {
  const generation = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  let worker: Worker | undefined;
  /** The document and version whose text the worker has, per path. */
  let sent = new Map<string, { document: OpenText; version: number }>();
  const waiting = new Map<number, { resolve(results: Map<string, FileAnalysis> | undefined): void; reject(error: Error): void }>();
  let lastId = 0;

  function start(): Worker {
    const started = new Worker(workerPath, { workerData: { generation } });
    started.on('message', (message: FromWorker) => {
      const request = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error !== undefined) request?.reject(new Error(message.error));
      else request?.resolve(message.results && new Map(message.results));
    });
    started.on('error', (error) => log(`analysis worker failed: ${error.stack ?? error}`));
    // A worker that stopped (it failed, or ran out of memory) is started again on the next analysis.
    started.on('exit', () => {
      worker = undefined;
      sent = new Map();
      for (const request of waiting.values()) request.reject(new Error('the analysis worker stopped'));
      waiting.clear();
    });
    // The worker must not keep a server whose client has gone alive.
    started.unref();
    return started;
  }

  function post(message: ToWorker): void {
    (worker ??= start()).postMessage(message);
  }

  return {
    changed: () => void Atomics.add(generation, 0, 1),
    filesChanged: () => worker && post({ kind: 'filesChanged' }),
    analyze: (paths, documents, state) => {
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
      const id = ++lastId;
      post({ kind: 'analyze', id, generation: Atomics.load(generation, 0), paths: [...paths], state });
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    },
  };
}
