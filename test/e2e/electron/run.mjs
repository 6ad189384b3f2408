#!/usr/bin/env node
// Extension-host tests in a desktop VS Code through @vscode/test-electron (a devDependency of the repo root).
// The suite (suite/index.cjs) checks the scenarios of ../scenarios.cjs through the extension API; run.mjs runs the
// same suite in code-server's extension host, so it is exercised on machines that cannot download VS Code too.
//
//   node test/e2e/electron/run.mjs [--no-build]
//
//   VSCODE_EXECUTABLE_PATH  a local VS Code (e.g. /usr/share/code/code): used as is, nothing is downloaded
//   VSCODE_VERSION          otherwise the version to download (default: stable) into test/e2e/.vscode-test/
//   E2E_API_ONLY            a regex: run only the tests whose title matches
// On a Linux machine without a display run it under a virtual one: xvfb-run -a npm run test:electron
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const E2E_DIR = path.resolve(HERE, '..');
const ROOT = path.resolve(E2E_DIR, '..', '..');
const { values: opts } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false } } });

const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));
const { runTests } = requireFromRoot('@vscode/test-electron');

if (!opts['no-build']) {
  console.log('[electron] npm run build (repo root)');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const main = path.join(ROOT, manifest.main ?? 'dist/extension.js');
if (!existsSync(main)) {
  console.error(`[electron] ${path.relative(ROOT, main)} is missing: build the extension first (npm run build)`);
  process.exit(1);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nginx-electron-'));
const workspace = path.join(tmp, 'workspace');
cpSync(path.join(E2E_DIR, 'workspace'), workspace, { recursive: true });
mkdirSync(path.join(tmp, 'user-data', 'User'), { recursive: true });
const resultsFile = path.join(tmp, 'results.json');

const executable = process.env.VSCODE_EXECUTABLE_PATH || undefined;
console.log(`[electron] VS Code: ${executable ?? `download ${process.env.VSCODE_VERSION || 'stable'} into test/e2e/.vscode-test/`}`);
let exitCode = 1;
try {
  exitCode = await runTests({
    vscodeExecutablePath: executable,
    version: executable ? undefined : process.env.VSCODE_VERSION || 'stable',
    cachePath: path.join(E2E_DIR, '.vscode-test'),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(HERE, 'suite', 'index.cjs'),
    extensionTestsEnv: { E2E_API_RESULTS: resultsFile, E2E_API_ONLY: process.env.E2E_API_ONLY ?? '' },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-telemetry',
      '--user-data-dir', path.join(tmp, 'user-data'),
      '--extensions-dir', path.join(tmp, 'extensions'),
    ],
  });
} catch (e) {
  console.error(`[electron] ${e?.stack ?? e}`);
  if (!executable) console.error('[electron] could not get VS Code: set VSCODE_EXECUTABLE_PATH to a local VS Code, or use npm run test:e2e (code-server)');
}
let passed = 0;
let failed = 0;
if (existsSync(resultsFile)) {
  for (const r of JSON.parse(readFileSync(resultsFile, 'utf8'))) r.ok ? passed++ : failed++;
} else {
  failed = 1;
  console.error('[electron] the suite wrote no results');
}
rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode === 0 && failed === 0 && passed > 0 ? 0 : 1);
