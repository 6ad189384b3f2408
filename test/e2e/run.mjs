#!/usr/bin/env node
// End-to-end test of the extension in a real VS Code: code-server 4.139.1 (VS Code 1.139.1) driven in Debian's
// headless Chromium by playwright-core. See test/e2e/README.md.
//
//   node test/e2e/run.mjs [--vsix FILE] [--no-build] [--only id,id] [--keep] [--no-api]
//
//   --vsix FILE   test this VSIX instead of building one (`npm run package` at the repo root)
//   --no-build    use the VSIX already at dist/nginx-websocket-tools.vsix
//   --only ids    run only these UI scenarios (language, hover, ws-quick-fix, tls-quick-fix, snippet, h2c-quick-fix, headers-hover, workspace-problems, nginx-test, typo-quick-fix, upstream-completion, upstream-hover, which-location)
//   --keep        keep the temp dir (user data, workspace copy) for a look afterwards
//   --no-api      skip the extension-host suite (electron/suite) run in code-server's extension host
//
// Exit code 0 when every scenario passed. Screenshots and logs: test-results/e2e/.
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM, E2E_DIR, ensureInstalled } from './lib/install.mjs';
import { installVsix, prepareDirs, startCodeServer } from './lib/codeServer.mjs';
import { killAll, log, run, withTimeout } from './lib/util.mjs';

const ROOT = path.resolve(E2E_DIR, '..', '..');
const RESULTS = path.join(ROOT, 'test-results', 'e2e');
const DEFAULT_VSIX = path.join(ROOT, 'dist', 'nginx-websocket-tools.vsix');
const SCENARIO_TIMEOUT_MS = 180_000;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-api': { type: 'boolean', default: false },
  },
});

const started = Date.now();
const timings = {};
const results = [];
let tmp;
let browser;
let cleaning;

async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    try {
      await withTimeout(browser?.close() ?? Promise.resolve(), 10_000, 'closing chromium');
    } catch (e) {
      log(`cleanup: ${e.message}`);
    }
    await killAll();
    if (tmp && !opts.keep) rmSync(tmp, { recursive: true, force: true });
    else if (tmp) log(`kept ${tmp}`);
  })();
  return cleaning;
}

let interrupted;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, async () => {
    interrupted = sig;
    log(`${sig}: stopping code-server and chromium`);
    await cleanup();
    process.stdout.write(`0 passed, 1 failed\n`);
    process.exit(130);
  });
}

async function timed(name, fn) {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - t;
  }
}

async function buildVsix() {
  if (opts.vsix) return path.resolve(opts.vsix);
  if (!opts['no-build']) {
    if (!existsSync(path.join(ROOT, 'node_modules'))) {
      log('build: npm ci (repo root)');
      await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT });
    }
    log('build: npm run package (repo root)');
    await run('npm', ['run', 'package'], { cwd: ROOT, quiet: true });
  }
  if (!existsSync(DEFAULT_VSIX)) throw new Error(`no VSIX at ${DEFAULT_VSIX}`);
  return DEFAULT_VSIX;
}

async function main() {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });

  await timed('install', () => ensureInstalled());
  const vsix = await timed('vsix', buildVsix);
  const size = statSync(vsix).size;
  log(`VSIX ${path.relative(ROOT, vsix)}: ${(size / 1024).toFixed(0)} KiB`);
  if (size > 20 * 1024 * 1024) {
    throw new Error(`the VSIX is ${(size / 1048576).toFixed(0)} MiB: does .vscodeignore leave out test/** (test/e2e/node_modules)?`);
  }

  tmp = mkdtempSync(path.join(os.tmpdir(), 'nginx-e2e-'));
  const workspace = prepareDirs(tmp, path.join(E2E_DIR, 'workspace'));
  const installed = await timed('install-vsix', () => installVsix(tmp, vsix));
  log(`installed extension: ${installed.join(', ')}`);
  if (!installed.length) throw new Error('code-server --install-extension installed nothing');

  const { url } = await timed('code-server', () =>
    startCodeServer(tmp, { logStream: createWriteStream(path.join(RESULTS, 'code-server.log')) }),
  );

  const { chromium } = await import('playwright-core');
  browser = await timed('chromium', () => chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }));
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  const consoleLog = createWriteStream(path.join(RESULTS, 'browser-console.log'));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
  page.setDefaultTimeout(30_000);

  const { Workbench } = await import('./lib/workbench.mjs');
  const { uiScenarios } = await import('./lib/uiScenarios.mjs');
  const wb = new Workbench(page);
  await timed('workbench', async () => {
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    await wb.waitForReady();
  });
  log(`workbench ready in ${(timings.workbench / 1000).toFixed(1)} s`);

  const only = opts.only ? new Set(opts.only.split(',')) : undefined;
  for (const sc of uiScenarios) {
    if (only && !only.has(sc.id)) continue;
    if (interrupted) break;
    const t = Date.now();
    const shot = (name) => page.screenshot({ path: path.join(RESULTS, `${name}.png`) });
    try {
      await withTimeout(sc.run({ wb, page, shot }), SCENARIO_TIMEOUT_MS, sc.title);
      results.push({ title: sc.title, ok: true, ms: Date.now() - t });
      log(`✔ ${sc.title} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    } catch (e) {
      results.push({ title: sc.title, ok: false, ms: Date.now() - t, error: e });
      log(`✖ ${sc.title} (${((Date.now() - t) / 1000).toFixed(1)} s)\n    ${String(e.stack ?? e).split('\n').join('\n    ')}`);
      await page.screenshot({ path: path.join(RESULTS, `FAILED-${sc.id}.png`) }).catch(() => {});
      // Leave no widget or panel state behind for the next scenario.
      await page.keyboard.press('Escape').catch(() => {});
    }
  }

  if (!opts['no-api'] && !only && !interrupted) {
    const { runApiSuite } = await import('./lib/apiSuite.mjs');
    const api = await timed('api-suite', () => runApiSuite({ browser, url, workspace, tmp, resultsDir: RESULTS }));
    results.push(...api);
  }
}

let exitCode = 1;
try {
  await main();
  const failed = results.filter((r) => !r.ok).length;
  exitCode = failed || results.length === 0 ? 1 : 0;
} catch (e) {
  log(`e2e run aborted: ${e.stack ?? e}`);
  results.push({ title: 'setup', ok: false, error: e });
} finally {
  await cleanup();
}
const total = Date.now() - started;
writeFileSync(
  path.join(RESULTS, 'summary.json'),
  JSON.stringify(
    {
      totalMs: total,
      timings,
      results: results.map((r) => ({ title: r.title, ok: r.ok, ms: r.ms, error: r.error ? String(r.error.message ?? r.error) : undefined })),
    },
    null,
    2,
  ),
);
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
log(`timings (s): ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')}; total ${(total / 1000).toFixed(1)}`);
log(`screenshots and logs: ${path.relative(process.cwd(), RESULTS) || '.'}`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(exitCode);
