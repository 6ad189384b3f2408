// The analysis worker thread under Node (dist/analysisWorker.js): started by workerAnalyzer.ts,
// reads closed files from the disk itself.

import { parentPort, workerData } from 'node:worker_threads';
import { analysisWorker } from '../analysisWorker';
import { nodeFileSystem } from '../nodeFileSystem';

const port = parentPort!;
port.on('message', analysisWorker(nodeFileSystem, (workerData as { generation: Int32Array }).generation, (message) => port.postMessage(message)));
