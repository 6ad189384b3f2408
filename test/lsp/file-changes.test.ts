// Include resolution is cached per workspace and redone when files change: the server asks the
// client to watch the workspace's files, keeps glob expansions between requests (and when a file
// the disk has is opened), and expands again when told that a file was created.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, Registration, RegistrationParams } from 'vscode-languageserver';
import { LspClient } from '../support/lspClient';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-file-changes-'));
const main = 'events {}\nhttp {\n  include conf.d/*.conf;\n  server {\n    location / {\n      proxy_pass http://backend;\n    }\n  }\n}\n';
fs.mkdirSync(path.join(root, 'conf.d'));
fs.writeFileSync(path.join(root, 'nginx.conf'), main);
fs.writeFileSync(path.join(root, 'conf.d/a.conf'), 'map $a $b { default 1; }\n');
const mainUri = pathToFileURL(path.join(root, 'nginx.conf')).href;
const onBackend = { textDocument: { uri: mainUri }, position: { line: 5, character: 26 } };

const client = new LspClient();
after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the server watches the files, keeps expansions between requests, and expands again when a file is created', async () => {
  const registrations: Registration[] = [];
  client.connection.onRequest('client/registerCapability', (params: RegistrationParams) => {
    registrations.push(...params.registrations);
  });
  const rootUri = pathToFileURL(root).href;
  await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'test' }],
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  await client.connection.sendNotification('initialized', {});
  await client.open(mainUri, main);
  await client.diagnosticsFor(mainUri);
  assert.deepEqual(registrations.map((r) => [r.method, r.registerOptions]), [
    ['workspace/didChangeWatchedFiles', { watchers: [{ globPattern: '**/*' }] }],
  ]);
  assert.deepEqual(await client.request<Location[]>('textDocument/definition', onBackend), []);

  const created = path.join(root, 'conf.d/upstreams.conf');
  fs.writeFileSync(created, 'upstream backend {\n  server 127.0.0.1:3000;\n}\n');
  // Until the client says so, the expansion made before stands: requests do not read directories,
  // nor does opening a document that the disk has.
  assert.deepEqual(await client.request<Location[]>('textDocument/definition', onBackend), []);
  const other = path.join(root, 'conf.d/a.conf');
  await client.open(pathToFileURL(other).href, fs.readFileSync(other, 'utf8'));
  assert.deepEqual(await client.request<Location[]>('textDocument/definition', onBackend), []);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(created).href, type: 1 }] });
  const [upstream] = await client.request<Location[]>('textDocument/definition', onBackend);
  assert.equal(upstream?.uri, pathToFileURL(created).href);
  assert.equal(upstream.range.start.line, 0);
});
