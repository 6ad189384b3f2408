// The server under Node (VS Code desktop, remote hosts, other editors): stdio or IPC as the
// command line says, the disk, the analysis in a worker thread, and nginx -t on save.

// First: the analysis worker's thread starts before the modules below are evaluated.
import { analysisThread, ANALYSIS_WORKER_PATH } from './analysisThread';
import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { checkWithNginx, describeConfinement, mainConfigFor, shouldRunNginx } from '../nginxCheck';
import { installedNginxVersion } from '../nginxVersion';
import { findFiles, findMainConfigs, nodeFileSystem, realPathOf } from '../nodeFileSystem';
import { startServer } from '../server';
import { exitOnSignals } from './leftovers';
import { workerAnalyzer } from './workerAnalyzer';

/**
 * The server thread's garbage (each edit of a large document leaves its old text, line index and
 * statements read again) is collected by V8's own incremental marking, which pauses requests a few ms at a
 * time, once the heap has grown by a fifth past what the last collection kept: by default V8 lets it
 * grow to a multiple first (ten edits of the bench's 4.4 MB file took the thread's heap from 60 to
 * 155 MB). A full collection called after each edit instead paused the thread 30 to 60 ms: hovers
 * sent during an edit's analysis waited for it (bench p95 45 to 69 ms; 4 to 12 ms without). The flag
 * is the process's: the analysis worker's heap grows by a fifth too, and it collects its garbage
 * itself (garbage.ts).
 */
setFlagsFromString('--heap-growing-percent=20');

const connection = createConnection(ProposedFeatures.all);

// A stopped server kills a running nginx -t and removes its sandbox (leftovers.ts).
exitOnSignals();
process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error}`));

startServer(connection, {
  fileSystem: nodeFileSystem,
  findMainConfigs,
  findFiles,
  realPath: realPathOf,
  workingDirectory: process.cwd(),
  startAnalyzer: (log) => workerAnalyzer(ANALYSIS_WORKER_PATH, log, analysisThread),
  nginx: {
    shouldRun: shouldRunNginx,
    mainConfigFor,
    check: checkWithNginx,
    describeConfinement: () => describeConfinement(),
    installedVersion: installedNginxVersion,
  },
});
