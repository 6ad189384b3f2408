/**
 * Benchmark of the whole-configuration diagnostics (issue 16): `npm run bench:workspace`. Figures are
 * printed, never asserted.
 *
 * A workspace of BENCH_SITES site files (default 1,000) under sites-enabled/, included by nginx.conf,
 * each with a WebSocket location missing its Connection header (one finding per site). The built
 * server is driven as an editor would: nginx.conf is opened, then the time until every site's problems
 * are published is measured, and one-line edits in the open file are timed (edit → its diagnostics)
 * while the pass runs, against the same edits with `nginx.diagnosticsScope: "openFiles"`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

const SITES = Number(process.env.BENCH_SITES ?? 1000);
const EDITS = 20;
const WARM_UP_EDITS = 10;
/**
 * Between edits: longer than the server's WORKSPACE_DEBOUNCE_MS (400 ms), so that each edit lands
 * while the pass the previous one started is running (a pass over 1,000 files takes seconds).
 */
const TYPING_GAP_MS = 500;

function site(i: number): string {
  return [
    'server {',
    `    listen ${8000 + (i % 1000)};`,
    `    server_name s${i}.bench.test;`,
    '    location /ws/ {',
    `        proxy_pass http://127.0.0.1:${9000 + (i % 1000)};`,
    '        proxy_http_version 1.1;',
    '        proxy_set_header Upgrade $http_upgrade;',
    '        proxy_read_timeout 3600s;',
    '    }',
    '}',
    '',
  ].join('\n');
}

const percentile = (samples: number[], p: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'nginx-bench-workspace-'));
  try {
    mkdirSync(join(root, 'sites-enabled'));
    for (let i = 0; i < SITES; i++) writeFileSync(join(root, 'sites-enabled', `site${i}.conf`), site(i));
    const main = 'events {}\nhttp {\n    proxy_read_timeout 60s;\n    include sites-enabled/*.conf;\n}\n';
    writeFileSync(join(root, 'nginx.conf'), main);
    const mainUri = pathToFileURL(join(root, 'nginx.conf')).href;
    const siteUris = Array.from({ length: SITES }, (_, i) => pathToFileURL(join(root, 'sites-enabled', `site${i}.conf`)).href);

    const client = new LspClient();
    try {
      await client.initialize(root);
      const start = performance.now();
      await client.open(mainUri, main);
      for (const uri of siteUris) await client.waitForPublished(uri, (diagnostics) => diagnostics.length > 0);
      const allPublished = performance.now() - start;

      /**
       * One-line edits in nginx.conf, each timed until its version's diagnostics arrive, and a
       * completion asked right after each edit (as typing does), timed until its answer.
       */
      let version = 1;
      let text = main;
      const completionAt = { line: 2, character: 4 };
      const timeEdits = async (count: number): Promise<{ edits: number[]; completions: number[] }> => {
        const edits: number[] = [];
        const completions: number[] = [];
        for (let i = 0; i < count; i++) {
          text = text.replace(/proxy_read_timeout \d+s;/, `proxy_read_timeout ${60 + version}s;`);
          version++;
          const sent = performance.now();
          await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: mainUri, version }, contentChanges: [{ text }] });
          await client.request('textDocument/completion', { textDocument: { uri: mainUri }, position: completionAt });
          completions.push(performance.now() - sent);
          await client.diagnosticsFor(mainUri, version);
          edits.push(performance.now() - sent);
          await sleep(TYPING_GAP_MS);
        }
        return { edits, completions };
      };
      const setScope = (diagnosticsScope: string) => client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { nginx: { diagnosticsScope } } });
      // The first edits of a session run code not yet compiled by V8 (about 50 ms more): both series
      // are timed after the same warm-up, so that the difference is the pass's alone.
      await setScope('openFiles');
      await client.waitForPublished(siteUris[SITES - 1], (diagnostics) => diagnostics.length === 0);
      const warmUp = await timeEdits(WARM_UP_EDITS);
      const openOnly = await timeEdits(EDITS);
      await setScope('workspace');
      await client.waitForPublished(siteUris[SITES - 1], (diagnostics) => diagnostics.length > 0);
      const whilePassing = await timeEdits(EDITS);

      console.log(`Workspace of ${SITES} site files (sites-enabled/*.conf) included by nginx.conf, nginx.conf open:`);
      console.log(`  every site's problems published after opening nginx.conf: ${fmt(allPublished)}`);
      const figures = (samples: number[]) => `p50 ${fmt(percentile(samples, 50))}, p95 ${fmt(percentile(samples, 95))}`;
      console.log(`  edit → diagnostics in nginx.conf, whole configuration (each edit during a pass): ${figures(whilePassing.edits)}`);
      console.log(`  edit → diagnostics in nginx.conf, open files only:                              ${figures(openOnly.edits)}`);
      console.log(`  edit → completion answered, whole configuration (during a pass):                ${figures(whilePassing.completions)}`);
      console.log(`  edit → completion answered, open files only:                                    ${figures(openOnly.completions)}`);
      console.log(`  the first ${WARM_UP_EDITS} edits of the session (warm-up, open files only): ${warmUp.edits.map(fmt).join(', ')}`);
      console.log(`  (${EDITS} edits each, ${TYPING_GAP_MS} ms apart; latencies include the server's 150 ms debounce)`);
    } finally {
      await client.stop().catch(() => undefined);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
