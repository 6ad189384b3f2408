// `nginx-lint route` built: per URL the server and location (file, nginx's line) and the upstream URI.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [path.join(repo, 'dist/cli.js'), 'route', ...args], { cwd, encoding: 'utf8' });

test('JSON: the server and location of each URL, in the files includes pull in, and the URI the upstream gets', () => {
  const result = cli(repo, '--config', 'examples/nginx.conf', '--format', 'json', 'https://chat.example.com/ws/chat?x=1', 'http://chat.example.com/', 'http://a:9/');
  assert.equal(result.status, 1, result.stderr);
  const [ws, redirect, bad] = JSON.parse(result.stdout);
  assert.deepEqual(ws, {
    url: 'https://chat.example.com/ws/chat?x=1',
    server: { file: 'examples/sites-enabled/chat.conf', line: 9 },
    location: { file: 'examples/sites-enabled/chat.conf', line: 29 },
    upstreamUri: '/ws/chat?x=1',
    // A plain GET: $websocket_upgrade and $websocket_connection are "" (the maps' default), so not sent.
    upstreamHeaders: [
      { name: 'Host', value: '$host', resolved: 'chat.example.com', from: { file: 'examples/snippets/websocket.conf', line: 5 } },
      { name: 'X-Forwarded-For', value: '$proxy_add_x_forwarded_for', from: { file: 'examples/snippets/websocket.conf', line: 6 } },
      { name: 'X-Forwarded-Proto', value: '$scheme', resolved: 'https', from: { file: 'examples/snippets/websocket.conf', line: 7 } },
    ],
    clientHeaders: {
      passed: true,
      except: ['Upgrade', 'Connection', 'Host', 'X-Forwarded-For', 'X-Forwarded-Proto', 'Content-Length', 'Transfer-Encoding', 'TE', 'Keep-Alive', 'Expect'],
      from: null,
    },
    notes: [],
  });
  assert.deepEqual([redirect.server, redirect.location], [{ file: 'examples/sites-enabled/chat.conf', line: 35 }, null]);
  assert.match(redirect.notes.join(), /return/);
  assert.equal(bad.server, null);
  assert.deepEqual([redirect.upstreamHeaders, redirect.clientHeaders], [[], null]);
});

test('JSON: a wss:// URL is a WebSocket handshake, and --nginx-version picks the defaults', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-route-'));
  try {
    const conf = 'events {}\nhttp {\n  server {\n    listen 443 ssl;\n    location /ws/ {\n      proxy_set_header Upgrade $http_upgrade;\n      proxy_pass http://127.0.0.1:3000;\n    }\n  }\n}\n';
    fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
    const headersOf = (...args: string[]) => {
      const result = cli(dir, '--format', 'json', ...args);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout)[0].upstreamHeaders;
    };
    const upgrade = { name: 'Upgrade', value: '$http_upgrade', resolved: 'websocket', from: { file: 'nginx.conf', line: 6 } };
    const host = { name: 'Host', value: '$proxy_host', resolved: '127.0.0.1:3000', from: null };
    assert.deepEqual(headersOf('wss://a/ws/'), [upgrade, host]);
    assert.deepEqual(headersOf('--nginx-version', '1.22', 'wss://a/ws/'), [upgrade, host, { name: 'Connection', value: 'close', resolved: 'close', from: null }]);
    assert.deepEqual(headersOf('https://a/ws/'), [host]);
    assert.equal(cli(dir, '--nginx-version', 'latest', 'https://a/ws/').status, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('text: a proxy_pass URI part replaces the location prefix, the headers sent are listed; CRLF files keep nginx line numbers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-route-'));
  try {
    const conf = 'events {}\r\nhttp {\r\n  server {\r\n    listen 8080;\r\n    server_name *.example.com;\r\n    location /ws/ {\r\n      proxy_pass http://127.0.0.1:3000/socket/;\r\n    }\r\n  }\r\n}\r\n';
    fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
    const result = cli(dir, 'http://app.example.com:8080/ws//a/../chat?room=1');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, [
      'http://app.example.com:8080/ws//a/../chat?room=1',
      '  server    nginx.conf:3  (server_name *.example.com)',
      '  location  nginx.conf:6  location /ws/',
      '  upstream  /socket/chat?room=1  ("/ws/" replaced by "/socket/")',
      '  header    Host: 127.0.0.1:3000 ($proxy_host)  (nginx default)',
      "  client    the client's other headers as is (never its Host, Connection, Content-Length, Transfer-Encoding, TE, Keep-Alive, Expect, Upgrade)",
      '',
    ].join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2', () => {
  assert.equal(cli(repo).status, 2);
  assert.equal(cli(repo, '--format', 'xml', 'http://a/').status, 2);
  assert.equal(cli(repo, '--config', 'no/such/nginx.conf', 'http://a/').status, 2);
});
