// The analysis worker thread under Node (dist/analysisWorker.js): started by workerAnalyzer.ts,
// reads closed files from the disk itself.

import { parentPort, workerData } from 'node:worker_threads';
import { analysisWorker, type ToWorker } from '../analysisWorker';
import { nodeFileSystem } from '../nodeFileSystem';
import { idleGarbageCollector } from './garbage';

const port = parentPort!;
const handle = analysisWorker(nodeFileSystem, (workerData as { generation: Int32Array }).generation, (message) => port.postMessage(message));
// An analysis done leaves the previous one's results as garbage: collected while the worker waits for the next.
const collectGarbage = idleGarbageCollector();
port.on('message', (message: ToWorker) => {
  handle(message);
  if (message.kind === 'analyze') collectGarbage();
});
