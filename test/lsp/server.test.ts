import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver';
import { LspClient } from '../support/lspClient';

let client: LspClient;
before(() => {
  client = new LspClient();
});
after(() => client.stop());

test('initialize declares exactly the capabilities the server implements', async () => {
  const { capabilities } = await client.initialize();
  assert.deepEqual(Object.keys(capabilities).sort(), [
    'codeActionProvider',
    'completionProvider',
    'definitionProvider',
    'documentFormattingProvider',
    'documentLinkProvider',
    'documentRangeFormattingProvider',
    'documentSymbolProvider',
    'foldingRangeProvider',
    'hoverProvider',
    'referencesProvider',
    'renameProvider',
    'textDocumentSync',
    'workspaceSymbolProvider',
  ]);
  assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 /* incremental */, save: { includeText: false } });
});

test('syntax errors are published at the line nginx reports', async () => {
  const uri = 'untitled:broken.conf';
  await client.open(uri, 'events {}\nhttp {\n  server { listen 80 }\n}\n');
  const diagnostics = await client.diagnosticsFor(uri);
  const syntax = diagnostics.find((d) => d.code === 'syntax');
  assert.ok(syntax, JSON.stringify(diagnostics));
  assert.equal(syntax.message, 'unexpected "}"');
  assert.equal(syntax.range.start.line, 2);
  assert.equal(syntax.severity, 1);
  assert.equal(syntax.source, 'nginx');
});

test('incremental edits are applied and re-validated', async () => {
  const uri = 'untitled:edit.conf';
  await client.open(uri, 'events {}\nhttp {\n  sendfile on;\n}\n');
  assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 2, character: 2 }, end: { line: 2, character: 10 } }, text: 'sendfiel' }],
  });
  const diagnostics = await client.diagnosticsFor(uri, 2);
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0].message, /unknown directive "sendfiel" \(did you mean "sendfile"\?\)/);
});

test('hover on a directive shows syntax, default, context, module and a link', async () => {
  const uri = 'untitled:hover.conf';
  await client.open(uri, 'http {\n  server {\n    location / {\n      proxy_read_timeout 3600s;\n    }\n  }\n}\n');
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 10 } });
  const value = (hover.contents as { value: string }).value;
  assert.match(value, /proxy_read_timeout time;/);
  assert.match(value, /Default:\*\* `proxy_read_timeout 60s;`/);
  assert.match(value, /http, server, location/);
  assert.match(value, /ngx_http_proxy_module/);
  assert.match(value, /https:\/\/nginx\.org\/en\/docs\/http\/ngx_http_proxy_module\.html#proxy_read_timeout/);
  assert.deepEqual(hover.range, { start: { line: 3, character: 6 }, end: { line: 3, character: 24 } });
});

test('a failing request does not kill the server', async () => {
  // A malformed request (no position) is answered empty and logged, and the next one still works.
  assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 'untitled:hover.conf' } }), null);
  const hover = await client.request<Hover | null>('textDocument/hover', {
    textDocument: { uri: 'untitled:hover.conf' },
    position: { line: 0, character: 1 },
  });
  assert.ok(hover);
});
