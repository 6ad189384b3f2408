// The nginx.mainConfig setting: a main configuration not named nginx.conf becomes the root whose
// includes give other files their context and definitions.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { LspClient } from '../support/lspClient';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-main-config-'));
fs.mkdirSync(path.join(root, 'sites'));
fs.writeFileSync(path.join(root, 'main.conf'), 'events {}\nhttp {\n  upstream app { server 127.0.0.1:3000; }\n  include sites/*.conf;\n}\n');
const site = 'server {\n  location / {\n    proxy_pass http://app;\n  }\n}\n';
fs.writeFileSync(path.join(root, 'sites/app.conf'), site);
const siteUri = pathToFileURL(path.join(root, 'sites/app.conf')).href;
const onUpstream = { line: 2, character: 22 };

const client = new LspClient();
after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('without the setting, main.conf is not a root: the upstream is not found', async () => {
  await client.initialize(root);
  await client.open(siteUri, site);
  await client.diagnosticsFor(siteUri);
  const found = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: siteUri }, position: onUpstream });
  assert.deepEqual(found, []);
});

test('with nginx.mainConfig, its includes reach the site: go to the upstream in main.conf', async () => {
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { nginx: { mainConfig: 'main.conf' } } });
  const [upstream] = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: siteUri }, position: onUpstream });
  assert.equal(upstream.uri, pathToFileURL(path.join(root, 'main.conf')).href);
  assert.equal(upstream.range.start.line, 2);
});
