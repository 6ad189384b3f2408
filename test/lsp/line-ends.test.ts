// Line ends and rename checks through the built server, as an editor sees them: a file whose lines
// end in lone CRs is formatted (the edits applied as a client applies them), its diagnostics and
// nginx -t's errors land on the lines the editor shows, and a refused rename answers an error.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lspClient';
import { nginxAvailable } from '../support/nginx';

/** A server that never answers what a test waits for fails the test instead of hanging the run. */
const timeout = 30_000;
const formattingOptions = { tabSize: 4, insertSpaces: true };

const scratch = fs.mkdtempSync(path.join(tmpdir(), 'line-ends-lsp-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('formatting a file of lone CRs, applied as a client applies it, changes only whitespace', { timeout }, async () => {
  const client = new LspClient();
  try {
    await client.initialize();
    const uri = 'untitled:lone-cr.conf';
    const text = 'events {}\rhttp {\r  server {\r listen 80;  server_name a;\r\n  location / {\r\r\r return 200;\r}\r  }\r}\r';
    await client.open(uri, text);
    assert.deepEqual(await client.diagnosticsFor(uri), []);
    const document = TextDocument.create(uri, 'nginx', 1, text);

    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: formattingOptions });
    assert.equal(TextDocument.applyEdits(document, edits), [
      // New line breaks take the style of the file's first LF: here a CRLF.
      'events {}\rhttp {\r    server {\r        listen 80;\r\n        server_name a;\r\n',
      '        location / {\r\r            return 200;\r        }\r    }\r}\r',
    ].join(''));

    // Range formatting of `listen 80;  server_name a;` (line 3): nothing changes outside it.
    const range = { start: { line: 3, character: 1 }, end: { line: 3, character: 27 } };
    const rangeEdits = await client.request<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri }, range, options: formattingOptions });
    const [start, end] = [document.offsetAt(range.start), document.offsetAt(range.end)];
    const out = TextDocument.applyEdits(document, rangeEdits);
    assert.equal(out, text.slice(0, start) + 'listen 80;\r\n        server_name a;' + text.slice(end));
  } finally {
    await client.stop();
  }
});

test('diagnostics of a file of lone CRs land on the line the editor shows', { timeout }, async () => {
  const client = new LspClient();
  try {
    await client.initialize();
    const uri = 'untitled:lone-cr-broken.conf';
    await client.open(uri, 'events {}\rhttp {\r  server { listen 80 }\r}\r');
    const syntax = (await client.diagnosticsFor(uri)).find((d) => d.code === 'syntax');
    assert.deepEqual(syntax?.range, { start: { line: 2, character: 21 }, end: { line: 2, character: 22 } }, JSON.stringify(syntax));
  } finally {
    await client.stop();
  }
});

test('a refused rename answers an error the editor shows', { timeout }, async () => {
  const client = new LspClient();
  try {
    await client.initialize();
    const uri = 'untitled:rename.conf';
    const text = 'events {}\nhttp {\n  upstream app { server 127.0.0.1:3000; }\n  set $user nobody;\n' +
      '  server {\n    location ~ ^/u/(?<user>[^/]+) { proxy_pass http://app; return 200 $user; }\n  }\n}\n';
    await client.open(uri, text);
    await client.diagnosticsFor(uri);
    const document = TextDocument.create(uri, 'nginx', 1, text);
    const upstream = document.positionAt(text.indexOf('app {'));
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri }, position: upstream, newName: 'x; include /etc/shadow' }),
      /"x; include \/etc\/shadow" is not a valid upstream name/,
    );
    const edit = await client.request<{ changes: Record<string, TextEdit[]> }>('textDocument/rename', { textDocument: { uri }, position: upstream, newName: 'backend' });
    assert.equal(edit.changes[uri].length, 2);
    const captured = document.positionAt(text.indexOf('$user; }') + 1);
    await assert.rejects(client.request('textDocument/prepareRename', { textDocument: { uri }, position: captured }), /named capture/);
  } finally {
    await client.stop();
  }
});

test('nginx -t’s line (counted by LF, as nginx counts) is shown on the editor’s line in a file of lone CRs', { skip: nginxAvailable() ? false : 'nginx not installed', timeout }, async () => {
  const root = path.join(scratch, 'ws');
  fs.mkdirSync(path.join(root, 'sites-enabled'), { recursive: true });
  fs.writeFileSync(path.join(root, 'nginx.conf'), 'events {}\nhttp {\n    include sites-enabled/*.conf;\n}\n');
  const app = path.join(root, 'sites-enabled/app.conf');
  // nginx's line 2 is the editor's line 5: the first four line ends are lone CRs.
  const text = 'server {\r    listen 8080;\r    location / {\r        return 200;\r    }\n    access_log /var/log/nginx/app.log nope;\n}\n';
  fs.writeFileSync(app, text);
  const uri = pathToFileURL(app).href;

  const client = new LspClient();
  try {
    await client.initialize(root, { workspaceTrusted: true });
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      // Our own unknown-log-format finding off: nginx -t's diagnostic that repeats one of ours is not
      // shown (withoutRepeats()), and ours may be published before or after nginx -t has run.
      settings: { nginx: { validateOnSave: { enabled: true }, executablePath: process.env.NGINX || '/usr/sbin/nginx', rules: { 'unknown-log-format': 'off' } } },
    });
    await client.open(uri, text);
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const nginxT = (await client.waitForPublished(uri, (diagnostics) => diagnostics.some((d) => d.code === 'nginx-t'))).find((d) => d.code === 'nginx-t')!;
    assert.equal(nginxT.message, 'unknown log format "nope"');
    assert.deepEqual(nginxT.range, { start: { line: 5, character: 4 }, end: { line: 5, character: 43 } });
  } finally {
    await client.stop();
  }
});
