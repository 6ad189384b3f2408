// Problems for the whole configuration, not the tab: with only nginx.conf open, the files it
// includes are analysed and published; a file reached through a symlink is published once, under
// the path that is open, else the file it leads to; `nginx.diagnosticsScope: openFiles` limits it to the open editors.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-workspace-diagnostics-'));
const write = (relative: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  fs.writeFileSync(path.join(root, relative), text);
};
const main = 'events {}\nhttp {\n  include conf.d/*.conf;\n  include sites-enabled/*;\n}\n';
write('nginx.conf', main);
write('conf.d/broken.conf', 'proxy_pas http://127.0.0.1:3000;\n');
write('sites-available/app', 'server {\n  listen 80;\n  gzip maybe;\n}\n');
fs.mkdirSync(path.join(root, 'sites-enabled'));
fs.symlinkSync(path.join(root, 'sites-available/app'), path.join(root, 'sites-enabled/app'));
// Not included by nginx.conf, but an nginx file of the workspace all the same.
write('other/snippets/stray.conf', 'proxy_buffering maybe;\n');

const uri = (relative: string) => pathToFileURL(path.join(root, relative)).href;
const codes = (diagnostics: Array<{ code?: unknown }>) => diagnostics.map((d) => d.code);

const client = new LspClient();
after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('closed files of the configuration and of the workspace get their problems, a symlinked file once', async () => {
  await client.initialize(root);
  await client.open(uri('nginx.conf'), main);
  const broken = await client.waitForPublished(uri('conf.d/broken.conf'), (d) => d.length > 0);
  assert.deepEqual(codes(broken), ['unknown-directive']);
  assert.match(broken[0].message, /did you mean "proxy_pass"/);
  assert.deepEqual(codes(await client.waitForPublished(uri('other/snippets/stray.conf'), (d) => d.length > 0)), ['invalid-value']);
  // Reached through the link sites-enabled/app: published under the file it leads to, the one users edit, and not again under the link.
  assert.deepEqual(codes(await client.waitForPublished(uri('sites-available/app'), (d) => d.length > 0)), ['invalid-value']);
  assert.equal(client.allPublished.get(uri('sites-enabled/app'))?.diagnostics.length ?? 0, 0);
});

test('opening the link moves its problems to the path the user opened', async () => {
  await client.open(uri('sites-enabled/app'), fs.readFileSync(path.join(root, 'sites-available/app'), 'utf8'));
  assert.deepEqual(codes(await client.diagnosticsFor(uri('sites-enabled/app'))), ['invalid-value']);
  await client.waitForPublished(uri('sites-available/app'), (d) => d.length === 0);
});

test('a file changed on disk is analysed again when the client says so', async () => {
  write('conf.d/broken.conf', 'proxy_buffering on;\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('conf.d/broken.conf'), type: 2 }] });
  await client.waitForPublished(uri('conf.d/broken.conf'), (d) => d.length === 0);
  write('conf.d/broken.conf', 'proxy_pas http://127.0.0.1:3000;\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('conf.d/broken.conf'), type: 2 }] });
  await client.waitForPublished(uri('conf.d/broken.conf'), (d) => d.length === 1);
});

test('nginx.diagnosticsScope "openFiles" clears the closed files and keeps the open ones', async () => {
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { nginx: { diagnosticsScope: 'openFiles' } } });
  await client.waitForPublished(uri('conf.d/broken.conf'), (d) => d.length === 0);
  await client.waitForPublished(uri('other/snippets/stray.conf'), (d) => d.length === 0);
  assert.deepEqual(codes(client.allPublished.get(uri('sites-enabled/app'))!.diagnostics), ['invalid-value']);
});
