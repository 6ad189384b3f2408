// The "Which location serves a URL…" command's request (nginx/route) over the built server.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { LspClient } from '../support/lspClient';

const root = path.resolve(__dirname, '../fixtures/workspace');
const app = path.join(root, 'sites-enabled/app.conf');
const appText = fs.readFileSync(app, 'utf8');
const lineOf = (marker: string) => appText.slice(0, appText.indexOf(marker)).split('\n').length - 1;

interface RouteResponse {
  server: Location | null;
  location: Location | null;
  upstreamUri: string | null;
  message: string;
}

let client: LspClient;
before(async () => {
  client = new LspClient();
  await client.initialize(root);
  await client.open(pathToFileURL(app).href, appText);
});
after(() => client.stop());

test('nginx/route answers the location to jump to, the server, and a message with the upstream URI and headers', async () => {
  const answer = await client.request<RouteResponse>('nginx/route', { uri: pathToFileURL(app).href, url: 'http://app.example.com/ws/chat?room=1' });
  assert.equal(answer.location?.uri, pathToFileURL(app).href);
  assert.equal(answer.location?.range.start.line, lineOf('location /ws/'));
  assert.equal(answer.server?.range.start.line, lineOf('server {'));
  assert.equal(answer.upstreamUri, '/ws/chat?room=1');
  assert.equal(answer.message,
    `http://app.example.com/ws/chat?room=1: server at app.conf:${lineOf('server {') + 1} (server_name app.example.com); location /ws/ at app.conf:${lineOf('location /ws/') + 1}; the upstream gets /ws/chat?room=1`
    + " with Connection: close ($connection_upgrade), Host: app_backend ($proxy_host), the client's other headers as is");
  // A ws:// URL is a WebSocket handshake: the upgrade reaches the upstream.
  const handshake = await client.request<RouteResponse>('nginx/route', { uri: pathToFileURL(app).href, url: 'ws://app.example.com/ws/chat' });
  assert.match(handshake.message, /the upstream gets \/ws\/chat with Upgrade: websocket \(\$http_upgrade\), Connection: upgrade \(\$connection_upgrade\), Host: app_backend/);
});

test('a URL no server listens for gets no location, and says why', async () => {
  const answer = await client.request<RouteResponse>('nginx/route', { uri: pathToFileURL(app).href, url: 'http://app.example.com:9999/' });
  assert.deepEqual([answer.server, answer.location], [null, null]);
  assert.match(answer.message, /no server listens on port 9999/);
});
