// ws-missing-upgrade: a WebSocket location whose effective proxy_set_header list does not forward
// the client's Upgrade header. Header names are case-insensitive; an empty value sends no header.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ETC, MAIN, httpConf, lines, relatedOf, shownAt, wsFindings } from '../support/websocket';

const CODE = 'ws-missing-upgrade';
const findings = (files: Record<string, string>, target = MAIN) => wsFindings(files, target, CODE);

/** A server holding `body`, inside http. */
const server = (...body: string[]) => httpConf('    server {', '        listen 443 ssl;', ...body.map((line) => '        ' + line), '    }');

test('missing: a warning on the location line, with the line to add', () => {
  const files = {
    [MAIN]: server(
      'location /ws {',
      '    proxy_pass http://127.0.0.1:3000;',
      '    proxy_http_version 1.1;',
      '    proxy_set_header Connection "upgrade";',
      '}',
    ),
  };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(shownAt(files, finding), '5: location /ws');
  assert.match(finding.message, /proxy_set_header Upgrade \$http_upgrade;/);
  assert.match(finding.message, /never sees the upgrade request/);
  assert.deepEqual(finding.related ?? [], []);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), ['Add "proxy_set_header Upgrade $websocket_upgrade;" and the maps that pass only "websocket"']);
  assert.equal(finding.fixes?.[0].preferred, true);
});

test('a socket path with no headers at all', () => {
  const files = { [MAIN]: server('location /socket.io/ {', '    proxy_pass http://127.0.0.1:3000;', '}') };
  assert.deepEqual(findings(files).map((f) => shownAt(files, f)), ['5: location /socket.io/']);
});

test('an empty Upgrade value sends nothing: related to it, changed in place', () => {
  const files = {
    [MAIN]: server(
      'location /ws {',
      '    proxy_pass http://127.0.0.1:3000;',
      '    proxy_set_header Upgrade "";',
      '    proxy_set_header Connection "upgrade";',
      '}',
    ),
  };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(shownAt(files, finding), '5: location /ws');
  assert.match(finding.message, /Upgrade ""/);
  assert.deepEqual(relatedOf(files, finding), ['nginx.conf:7: proxy_set_header Upgrade ""; — Upgrade is set to "" here']);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), ['Change to "proxy_set_header Upgrade $websocket_upgrade;" and the maps that pass only "websocket"']);
});

test('the fix re-declares the inherited list, but not an inherited Upgrade it replaces', () => {
  const files = {
    [MAIN]: server(
      'proxy_set_header Host $host;',
      'proxy_set_header upgrade "";',
      'location /ws {',
      '    proxy_pass http://127.0.0.1:3000;',
      '}',
    ),
  };
  const [finding] = findings(files);
  assert.deepEqual(relatedOf(files, finding), ['nginx.conf:6: proxy_set_header upgrade ""; — Upgrade is set to "" here']);
  const [fix] = finding.fixes ?? [];
  assert.equal(fix.title, 'Add "proxy_set_header Upgrade $websocket_upgrade;" and the maps that pass only "websocket" (and re-declare the 1 inherited proxy_set_header)');
  assert.deepEqual(fix.edits.map((edit) => edit.newText.trim().split(/\s*\n\s*/)), [
    ['map $http_upgrade $websocket_upgrade {', 'default       "";', '~*^websocket$ $http_upgrade;', '}',
      'map $http_upgrade $websocket_connection {', 'default       close;', '~*^websocket$ upgrade;', '}'],
    ['proxy_set_header Host $host;', 'proxy_set_header Upgrade $websocket_upgrade;'],
  ]);
});

test('no finding: Upgrade in the location, in any case, inherited, or in an included snippet', () => {
  const location = (...headers: string[]) => ['location /ws {', '    proxy_pass http://127.0.0.1:3000;', ...headers.map((h) => '    ' + h), '}'];
  const variants: Record<string, Record<string, string>> = {
    location: { [MAIN]: server(...location('proxy_set_header Upgrade $http_upgrade;')) },
    lowercase: { [MAIN]: server(...location('proxy_set_header upgrade $http_upgrade;')) },
    uppercase: { [MAIN]: server(...location('proxy_set_header UPGRADE $http_upgrade;')) },
    'from the server': { [MAIN]: server('proxy_set_header Upgrade $http_upgrade;', ...location()) },
    'from http': { [MAIN]: httpConf('    proxy_set_header Upgrade $http_upgrade;', '    server {', ...location().map((l) => '        ' + l), '    }') },
    snippet: {
      [MAIN]: server(...location('include snippets/websocket.conf;')),
      [`${ETC}/snippets/websocket.conf`]: lines('proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection $connection_upgrade;'),
    },
  };
  for (const [name, files] of Object.entries(variants)) assert.deepEqual(findings(files), [], name);
});

test('no finding: http-level headers reach a location in an included sites-enabled file', () => {
  const site = `${ETC}/sites-enabled/chat.conf`;
  const files = {
    [MAIN]: httpConf('    proxy_set_header Upgrade $http_upgrade;', '    include sites-enabled/*.conf;'),
    [site]: lines('server {', '    location /ws {', '        proxy_pass http://127.0.0.1:3000;', '    }', '}'),
  };
  assert.deepEqual(findings(files, site), []);
});

test('no finding: a nested location inherits Upgrade from its parent location', () => {
  const files = {
    [MAIN]: server(
      'location /app/ {',
      '    proxy_set_header Upgrade $http_upgrade;',
      '    location /app/ws {',
      '        proxy_pass http://127.0.0.1:3000;',
      '    }',
      '}',
    ),
  };
  assert.deepEqual(findings(files), []);
});

test('lost through inheritance: reported by ws-headers-not-inherited, not here', () => {
  const files = {
    [MAIN]: server(
      'proxy_set_header Upgrade $http_upgrade;',
      'location /ws {',
      '    proxy_pass http://127.0.0.1:3000;',
      '    proxy_set_header Host $host;',
      '}',
    ),
  };
  assert.deepEqual(findings(files), []);
  assert.deepEqual(wsFindings(files, MAIN, 'ws-headers-not-inherited').length, 1);
});

test('no finding: plain /api/ proxies, even with other headers', () => {
  const files = {
    [MAIN]: server(
      'location /api/ {',
      '    proxy_pass http://127.0.0.1:3000;',
      '    proxy_set_header Host $host;',
      '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '}',
    ),
  };
  assert.deepEqual(wsFindings(files, MAIN), []);
});
