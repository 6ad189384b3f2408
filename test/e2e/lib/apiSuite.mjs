// Runs the extension-host suite (electron/suite/index.cjs, the one @vscode/test-electron runs on a desktop VS Code)
// in code-server's remote extension host: a second window opened with the same `payload` VS Code's own web
// integration tests use (extensionDevelopmentPath = the repo root with its built dist/, extensionTestsPath = the suite).
// The workbench reports the host's exit through window.codeAutomationExit; the suite writes its results to a file.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_DIR } from './install.mjs';
import { log, withTimeout } from './util.mjs';

const ROOT = path.resolve(E2E_DIR, '..', '..');

export async function runApiSuite({ browser, url, tmp, resultsDir }) {
  const authority = new URL(url).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const workspace = path.join(tmp, 'workspace-api');
  cpSync(path.join(E2E_DIR, 'workspace'), workspace, { recursive: true });
  const resultsFile = path.join(tmp, 'api-results.json');
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(path.join(E2E_DIR, 'electron', 'suite', 'index.cjs'))],
    ['extensionEnvironment', JSON.stringify({ E2E_API_RESULTS: resultsFile })],
    ['skipWelcome', 'true'],
  ];
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (m) => {
    const t = m.text();
    consoleLines.push(`[${m.type()}] ${t}`);
    if (t.includes('[api]')) process.stdout.write(`    ${t.replace(/^.*?\[api\] /s, '')}\n`);
  });
  let exited;
  const exit = new Promise((resolve) => (exited = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => exited(code));
  log('api suite: extension-host tests (electron/suite) in code-server\'s extension host');
  const t0 = Date.now();
  let code;
  try {
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    code = await withTimeout(exit, 400_000, 'the extension-host suite to finish');
  } catch (e) {
    await page.screenshot({ path: path.join(resultsDir, 'FAILED-api-suite.png') }).catch(() => {});
    return [{ title: 'api: extension-host suite in code-server', ok: false, ms: Date.now() - t0, error: e }];
  } finally {
    writeFileSync(path.join(resultsDir, 'api-browser-console.log'), consoleLines.join('\n'));
    await context.close().catch(() => {});
  }
  if (!existsSync(resultsFile)) {
    return [{ title: 'api: extension-host suite in code-server', ok: false, ms: Date.now() - t0, error: new Error(`the suite wrote no results (exit code ${code})`) }];
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')).map((r) => ({
    title: `api: ${r.title}`,
    ok: r.ok,
    ms: r.ms,
    error: r.error ? new Error(r.error) : undefined,
  }));
  for (const r of results) log(`${r.ok ? '✔' : '✖'} ${r.title} (${(r.ms / 1000).toFixed(1)} s)${r.ok ? '' : `\n    ${String(r.error.message).split('\n').join('\n    ')}`}`);
  if (code !== 0 && results.every((r) => r.ok)) {
    results.push({ title: 'api: extension host exit code', ok: false, error: new Error(`exit code ${code}`) });
  }
  return results;
}
