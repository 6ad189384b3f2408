// Bundles the client and the server (and the CLI) into dist/: the Node builds, and the browser
// builds of the web extension (dist/browser/). Type checking is `tsc --noEmit`.
import * as esbuild from 'esbuild';
import { statSync } from 'node:fs';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', minify: true, logLevel: 'warning' };
const browser = { ...common, platform: 'browser', target: 'es2022' };

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/node/main.ts'], outfile: 'dist/server.js' }),
  // The analysis runs in a worker thread of the server (server/src/node/workerAnalyzer.ts).
  esbuild.build({ ...common, entryPoints: ['server/src/node/analysisWorker.ts'], outfile: 'dist/analysisWorker.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...browser, entryPoints: ['client/src/browser/extension.ts'], outfile: 'dist/browser/extension.js', external: ['vscode'] }),
  esbuild.build({ ...browser, format: 'iife', entryPoints: ['server/src/browser/main.ts'], outfile: 'dist/browser/server.js' }),
]);

const kilobytes = (file) => `${(statSync(file).size / 1024).toFixed(0)} KB`;
console.log(`server bundles: dist/server.js ${kilobytes('dist/server.js')} (Node), dist/browser/server.js ${kilobytes('dist/browser/server.js')} (browser)`);
