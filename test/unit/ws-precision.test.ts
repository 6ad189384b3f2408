// Precision and honesty of the WebSocket rules on files read the way admins keep them: a lone
// conf.d/sites-enabled file (its top level is the http level), a snippet of locations (its top
// level is the server level), includes the workspace lacks (unsure: Information), and listeners
// that never leave the machine (no ws-no-tls).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ETC, MAIN, httpConf, lines, relatedOf, wsFindings } from '../support/websocket';

const SITE = `${ETC}/sites-enabled/app.conf`;
const SNIPPET = `${ETC}/snippets/app-locations.conf`;

const location = (path: string, ...body: string[]) => [`    location ${path} {`, '        proxy_pass http://127.0.0.1:3000;', ...body.map((line) => '        ' + line), '    }'];

test('a lone sites-enabled file: headers at its top level reach its servers (the http level)', () => {
  const site = lines(
    'proxy_http_version 1.1;',
    'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header Connection "upgrade";',
    'server {',
    '    listen 443 ssl;',
    ...location('/ws').map((line) => '    ' + line),
    '}',
  );
  const codes = wsFindings({ [SITE]: site }, SITE).map((finding) => finding.code);
  assert.deepEqual(codes.filter((code) => code.startsWith('ws-missing')), []);
});

test('a lone sites-enabled file: a location with its own list loses the top-level headers', () => {
  const site = lines(
    'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header Connection "upgrade";',
    'server {',
    '    listen 443 ssl;',
    ...location('/ws', 'proxy_http_version 1.1;', 'proxy_set_header Host $host;').map((line) => '    ' + line),
    '}',
  );
  const files = { [SITE]: site };
  const [finding, ...rest] = wsFindings(files, SITE, 'ws-headers-not-inherited');
  assert.equal(rest.length, 0);
  assert.deepEqual(relatedOf(files, finding).map((line) => line.split(' — ')[1]), [
    'Upgrade is set here, but not inherited', 'Connection is set here, but not inherited',
    'a proxy_set_header in this location stops the inheritance of the list above',
  ]);
});

test('a snippet of locations read on its own: its top-level headers are the server level', () => {
  const snippet = lines(
    'proxy_http_version 1.1;',
    'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header Connection $http_connection;',
    ...location('/socket.io/'),
    ...location('/api/ws', 'proxy_set_header Host $host;'),
  );
  const files = { [SNIPPET]: snippet };
  const found = wsFindings(files, SNIPPET).filter((finding) => finding.severity === 'warning');
  assert.deepEqual(found.map((finding) => [finding.code, files[SNIPPET].slice(finding.span.start, finding.span.end)]), [
    ['ws-headers-not-inherited', 'location /api/ws'],
  ]);
});

test('an include the workspace lacks: the finding says so and is Information', () => {
  const files = {
    [MAIN]: httpConf('    server {', '        listen 443 ssl;', ...location('/ws', 'include snippets/websocket-proxy.conf;').map((line) => '    ' + line), '    }'),
  };
  const found = wsFindings(files, MAIN).filter((finding) => finding.code.startsWith('ws-missing'));
  assert.ok(found.length > 0);
  for (const finding of found) {
    assert.equal(finding.severity, 'information', finding.code);
    assert.match(finding.message, /unsure: "snippets\/websocket-proxy\.conf" is not in the workspace/);
    assert.ok(relatedOf(files, finding).some((line) => line.endsWith('not in the workspace: what it sets is unknown')));
  }
  // An include glob that matches nothing is empty for nginx too: the findings stand.
  const glob = { [MAIN]: files[MAIN].replace('snippets/websocket-proxy.conf', 'snippets/*.conf') };
  assert.ok(wsFindings(glob, MAIN).some((finding) => finding.code === 'ws-missing-upgrade' && finding.severity === 'warning'));
});

test('ws-no-tls is silent on loopback and unix listeners, and reports a public one', () => {
  const server = (...listens: string[]) => ({
    [MAIN]: httpConf('    server {', ...listens.map((listen) => `        listen ${listen};`), ...location('/ws').map((line) => '    ' + line), '    }'),
  });
  for (const listens of [['127.0.0.1:8080'], ['unix:/run/app.sock'], ['[::1]:80', 'localhost:8080'], ['127.0.1.1']]) {
    assert.deepEqual(wsFindings(server(...listens), MAIN, 'ws-no-tls'), [], listens.join());
  }
  for (const listens of [['80'], ['127.0.0.1:80', '10.0.0.5:80'], []]) {
    assert.equal(wsFindings(server(...listens), MAIN, 'ws-no-tls').length, 1, listens.join() || 'no listen: *:80');
  }
});
