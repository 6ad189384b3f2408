// The analysis runs apart from the requests (issue 13): while the worker analyses an edit of a large
// configuration, a hover is answered before that edit's diagnostics arrive, and a code action is
// answered from the findings published for the version, with the diagnostic they name.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { Format, getDirectives } from '@nginx/reference-lib';
import type { CodeAction, Hover } from 'vscode-languageserver';
import { analyzeFiles } from '../../server/src/analyzer';
import { LanguageService } from '../../server/src/features/service';
import { defaultSettings } from '../../server/src/features/settings';
import { startAnalysisThread, workerAnalyzer } from '../../server/src/node/workerAnalyzer';
import { LspClient } from '../support/lspClient';
import { memoryFs } from '../support/memoryFs';

/**
 * Enough sites that analysing an edit takes far longer than a hover: with 3,000, the analysis of
 * the edit below took 150-200 ms on a fast machine, and ended before a hover sent past the debounce.
 */
const SITES = 6000;

function largeConfig(): string {
  const sites = Array.from({ length: SITES }, (_, i) => [
    'server {',
    `    listen ${10000 + i};`,
    `    server_name s${i}.test;`,
    '    location /ws/ {',
    `        proxy_pass http://127.0.0.1:${20000 + i};`,
    '        proxy_http_version 1.1;',
    '        proxy_set_header Upgrade $http_upgrade;',
    '        proxy_set_header Connection "upgrade";',
    '        proxy_read_timeout 3600s;',
    '    }',
    '    location /api/ { proxy_pass http://127.0.0.1:8080; }',
    '}',
  ].join('\n'));
  return `events {}\nhttp {\n${sites.join('\n')}\n}\n`;
}

let client: LspClient;
before(() => {
  client = new LspClient();
});
after(() => client.stop());

const uri = 'untitled:large.conf';

test('a hover sent while an edit is analysed is answered before that edit\'s diagnostics', async () => {
  await client.initialize();
  const text = largeConfig();
  await client.open(uri, text);
  await client.diagnosticsFor(uri, 1);

  const events: string[] = [];
  // A directive added at the http level, which every server inherits from: the whole configuration is
  // analysed again (an edit inside one server reuses the others' findings and is done too soon).
  const httpLine = text.split('\n').indexOf('http {');
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: httpLine, character: 6 }, end: { line: httpLine, character: 6 } }, text: ' server_tokens off;' }],
  });
  const line = text.split('\n').findIndex((l) => l.includes('proxy_read_timeout'));
  const published = client.diagnosticsFor(uri, 2).then(() => events.push('diagnostics'));
  // Just past the server's 150 ms debounce (server.ts): the analysis of version 2 is under way.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 10 } });
  events.push('hover');
  assert.match(JSON.stringify(hover?.contents), /proxy_read_timeout/);
  await published;
  assert.deepEqual(events, ['hover', 'diagnostics']);
});

test('a code action is answered from the findings of its version, naming the published diagnostic', async () => {
  const line = largeConfig().split('\n').findIndex((l) => l.includes('proxy_pass http://127.0.0.1:8080'));
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 3 },
    contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '    proxy_pas x;\n' }],
  });
  // Asked before the debounce is over: the server analyses this version at once, once.
  const actions = client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line, character: 4 }, end: { line, character: 4 } },
    context: { diagnostics: [] },
  });
  const diagnostics = await client.diagnosticsFor(uri, 3);
  const typo = diagnostics.find((diagnostic) => diagnostic.code === 'unknown-directive');
  assert.ok(typo, JSON.stringify(diagnostics.slice(0, 3)));
  const fix = (await actions).find((action) => action.title === 'Change to "proxy_pass"');
  assert.ok(fix, 'the did-you-mean fix');
  assert.deepEqual(fix.diagnostics, [typo]);
  assert.equal(client.published.filter((params) => params.uri === uri && params.version === 3).length, 1, 'one analysis, one publication');
});

test('a worker that runs out of memory is started again with a larger heap, and the analysis is done there', async () => {
  const main = '/srv/nginx/nginx.conf';
  const text = largeConfig();
  const logged: string[] = [];
  // 8 MB is far less than this configuration's analysis needs: the bound doubles until it suffices.
  const analyzer = workerAnalyzer((message) => logged.push(message), startAnalysisThread(path.resolve(__dirname, '../../dist/analysisWorker.js'), 8));
  // The worker does not keep a process alive (the server's connection does): this test must.
  const alive = setInterval(() => undefined, 1000);
  try {
    const results = await analyzer.analyze([main], new Map([[main, { version: 1, getText: () => text }]]), { settings: defaultSettings, roots: [main] });
    const inProcess = new LanguageService(memoryFs({ [main]: text }));
    inProcess.setRoots([main]);
    assert.deepEqual(results?.get(main), analyzeFiles(inProcess, [main], () => false)?.get(main));
  } finally {
    clearInterval(alive);
  }
  assert.ok(logged.some((message) => /out of memory, started again with 16 MB/.test(message)), logged.join('\n'));
});

test('the worker\'s bundle holds the directives\' facts but not the docs\' texts, which the server\'s holds for hovers', () => {
  // The worker starts with the server and must take the first document at once: the docs' 1.7 MB of
  // Markdown took its start from 160 to 90 ms (features/docs.ts, analysis/reference.ts).
  const bundle = (name: string) => readFileSync(path.resolve(__dirname, '../../dist', name), 'utf8');
  const [allow] = getDirectives(Format.Markdown).filter((directive) => directive.name === 'allow');
  const description = JSON.stringify(allow.description).slice(1, 60);
  const worker = bundle('analysisWorker.js');
  assert.ok(worker.includes('ngx_http_access_module'), 'the facts of the access module');
  assert.ok(!worker.includes(description), 'no description');
  assert.ok(bundle('server.js').includes(description), 'the server shows it in hovers');
});
