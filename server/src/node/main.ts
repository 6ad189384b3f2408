// The server under Node (VS Code desktop, remote hosts, other editors): stdio or IPC as the
// command line says, the disk, the analysis in a worker thread, and nginx -t on save.

// First: the analysis worker's thread starts (and V8's heap growth is set) before the modules below are evaluated.
import { analysisThread } from './analysisThread';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { checkWithNginx, describeConfinement, mainConfigFor, shouldRunNginx } from '../nginxCheck';
import { installedNginxVersion } from '../nginxVersion';
import { findFiles, findMainConfigs, nodeFileSystem, realPathOf } from '../nodeFileSystem';
import { startServer } from '../server';
import { exitOnSignals } from './leftovers';
import { workerAnalyzer } from './workerAnalyzer';

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
  startAnalyzer: (log) => workerAnalyzer(log, analysisThread),
  nginx: {
    shouldRun: shouldRunNginx,
    mainConfigFor,
    check: checkWithNginx,
    describeConfinement: () => describeConfinement(),
    installedVersion: installedNginxVersion,
  },
});
