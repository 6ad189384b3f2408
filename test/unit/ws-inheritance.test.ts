// ws-headers-not-inherited: Upgrade/Connection set at an outer level (http, server, parent location)
// but not in effect, because a lower level has proxy_set_header of its own: "These directives are
// inherited from the previous configuration level if and only if there are no proxy_set_header
// directives defined on the current level" (ngx_http_proxy_module).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ETC, MAIN, httpConf, lines, relatedOf, shownAt, wsFindings } from '../support/websocket';

const CODE = 'ws-headers-not-inherited';
const findings = (files: Record<string, string>, target = MAIN) => wsFindings(files, target, CODE);
const HEADERS = ['proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";'];
const indent = (n: number, text: string[]) => text.map((line) => ' '.repeat(n) + line);

test('server → location: a Host header in the location drops both headers', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        listen 80;',
      ...indent(8, HEADERS),
      '        location /socket.io/ {',
      '            proxy_set_header Host $host;',
      '            proxy_pass http://127.0.0.1:4000;',
      '        }',
      '    }',
    ),
  };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(shownAt(files, finding), '7: location /socket.io/');
  assert.match(finding.message, /^Upgrade and Connection set at an outer level are not inherited here: this location has its own proxy_set_header/);
  assert.deepEqual(relatedOf(files, finding), [
    'nginx.conf:5: proxy_set_header Upgrade $http_upgrade; — Upgrade is set here, but not inherited',
    'nginx.conf:6: proxy_set_header Connection "upgrade"; — Connection is set here, but not inherited',
    'nginx.conf:8: proxy_set_header Host $host; — a proxy_set_header in this location stops the inheritance of the list above',
  ]);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), ['Re-declare Upgrade and Connection in this location']);
  // The missing-header rules leave it to this one (and Socket.IO pings: no timeout hint).
  assert.deepEqual(wsFindings(files, MAIN).map((f) => f.code).sort(), [CODE, 'ws-missing-http-version', 'ws-no-tls']);
});

test('location → nested location', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        location /app/ {',
      '            proxy_pass http://127.0.0.1:3000;',
      ...indent(12, HEADERS),
      '            location /app/ws {',
      '                proxy_pass http://127.0.0.1:3001;',
      '                proxy_set_header X-Real-IP $remote_addr;',
      '            }',
      '        }',
      '    }',
    ),
  };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0, 'the parent location has its headers');
  assert.equal(shownAt(files, finding), '8: location /app/ws');
  assert.deepEqual(relatedOf(files, finding), [
    'nginx.conf:6: proxy_set_header Upgrade $http_upgrade; — Upgrade is set here, but not inherited',
    'nginx.conf:7: proxy_set_header Connection "upgrade"; — Connection is set here, but not inherited',
    'nginx.conf:10: proxy_set_header X-Real-IP $remote_addr; — a proxy_set_header in this location stops the inheritance of the list above',
  ]);
});

test('http level → a server with its own list; the location is in an included sites-enabled file', () => {
  const site = `${ETC}/sites-enabled/app.conf`;
  const files = {
    [MAIN]: httpConf(...indent(4, HEADERS), '    include sites-enabled/*.conf;'),
    [site]: lines(
      'server {',
      '    proxy_set_header Host $host;',
      '    location /ws {',
      '        proxy_pass http://127.0.0.1:3000;',
      '    }',
      '}',
    ),
  };
  const [finding, ...rest] = findings(files, site);
  assert.equal(rest.length, 0);
  assert.equal(shownAt(files, finding), '3: location /ws');
  assert.match(finding.message, /this server has its own proxy_set_header/);
  assert.deepEqual(relatedOf(files, finding), [
    'nginx.conf:3: proxy_set_header Upgrade $http_upgrade; — Upgrade is set here, but not inherited',
    'nginx.conf:4: proxy_set_header Connection "upgrade"; — Connection is set here, but not inherited',
    'sites-enabled/app.conf:2: proxy_set_header Host $host; — a proxy_set_header in this server stops the inheritance of the list above',
  ]);
  const [fix] = finding.fixes ?? [];
  assert.equal(fix.title, 'Re-declare Upgrade and Connection in this server');
  assert.deepEqual(fix.edits.map((edit) => edit.file), [site]);
});

test('a parent location breaks the inheritance from the server for its nested location', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      ...indent(8, HEADERS),
      '        location /app/ {',
      '            proxy_set_header Host $host;',
      '            location /app/ws {',
      '                proxy_pass http://127.0.0.1:3000;',
      '            }',
      '        }',
      '    }',
    ),
  };
  const [finding] = findings(files);
  assert.equal(shownAt(files, finding), '8: location /app/ws');
  assert.match(finding.message, /the enclosing location has its own proxy_set_header/);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), ['Re-declare Upgrade and Connection in the enclosing location']);
});

test('only Connection lost: the location sets its own Upgrade', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      ...indent(8, HEADERS),
      '        location /ws {',
      '            proxy_pass http://127.0.0.1:3000;',
      '            proxy_set_header upgrade $http_upgrade;',
      '        }',
      '    }',
    ),
  };
  const [finding] = findings(files);
  assert.match(finding.message, /^Connection set at an outer level is not inherited here/);
  assert.deepEqual(relatedOf(files, finding), [
    'nginx.conf:5: proxy_set_header Connection "upgrade"; — Connection is set here, but not inherited',
    'nginx.conf:8: proxy_set_header upgrade $http_upgrade; — a proxy_set_header in this location stops the inheritance of the list above',
  ]);
  assert.deepEqual(wsFindings(files, MAIN, 'ws-missing-connection'), []);
});

test('headers set at server level through an included snippet: related points into the snippet', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        include snippets/websocket.conf;',
      '        location /ws {',
      '            proxy_pass http://127.0.0.1:3000;',
      '            proxy_set_header Host $host;',
      '        }',
      '    }',
    ),
    [`${ETC}/snippets/websocket.conf`]: lines(...HEADERS),
  };
  const [finding] = findings(files);
  assert.deepEqual(relatedOf(files, finding).slice(0, 2), [
    'snippets/websocket.conf:1: proxy_set_header Upgrade $http_upgrade; — Upgrade is set here, but not inherited',
    'snippets/websocket.conf:2: proxy_set_header Connection "upgrade"; — Connection is set here, but not inherited',
  ]);
});

test('a lost header that would not have worked is not "lost": http-level Connection ""', () => {
  const files = {
    [MAIN]: httpConf(
      '    proxy_set_header Connection "";',
      '    server {',
      '        location /ws {',
      '            proxy_pass http://127.0.0.1:3000;',
      '            proxy_set_header Upgrade $http_upgrade;',
      '        }',
      '    }',
    ),
  };
  assert.deepEqual(findings(files), []);
  assert.equal(wsFindings(files, MAIN, 'ws-missing-connection').length, 1);
});

test('no finding: inherited lists, re-declared headers, headers in a location snippet, case-insensitive names', () => {
  const location = (...body: string[]) => ['        location /ws {', '            proxy_pass http://127.0.0.1:3000;', ...indent(12, body), '        }'];
  const variants: Record<string, Record<string, string>> = {
    'location inherits from the server': { [MAIN]: httpConf('    server {', ...indent(8, HEADERS), ...location(), '    }') },
    'location inherits from http': { [MAIN]: httpConf(...indent(4, HEADERS), '    server {', ...location(), '    }') },
    're-declared with Host': {
      [MAIN]: httpConf('    server {', ...indent(8, HEADERS), ...location('proxy_set_header Host $host;', ...HEADERS), '    }'),
    },
    'case-insensitive names': {
      [MAIN]: httpConf('    server {', ...indent(8, HEADERS), ...location('proxy_set_header UPGRADE $http_upgrade;', 'proxy_set_header connection upgrade;'), '    }'),
    },
    'snippet in the location': {
      [MAIN]: httpConf('    server {', ...indent(8, HEADERS), ...location('include snippets/ws.conf;'), '    }'),
      [`${ETC}/snippets/ws.conf`]: lines('proxy_set_header Host $host;', ...HEADERS),
    },
    'nested location inherits from its parent': {
      [MAIN]: httpConf(
        '    server {',
        '        location /app/ {',
        ...indent(12, ['proxy_set_header Host $host;', ...HEADERS]),
        '            location /app/ws {',
        '                proxy_pass http://127.0.0.1:3000;',
        '            }',
        '        }',
        '    }',
      ),
    },
  };
  for (const [name, files] of Object.entries(variants)) assert.deepEqual(findings(files), [], name);
});

test('no finding: http-level headers reach a location in an included sites-enabled file', () => {
  const site = `${ETC}/sites-enabled/app.conf`;
  const files = {
    [MAIN]: httpConf(...indent(4, HEADERS), '    include sites-enabled/*.conf;'),
    [site]: lines('server {', '    location /ws {', '        proxy_pass http://127.0.0.1:3000;', '    }', '}'),
  };
  assert.deepEqual(findings(files, site), []);
});

test('a plain /api/ location beside a socket location whose list it does not need', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        location /api/ {',
      '            proxy_pass http://127.0.0.1:3000;',
      '            proxy_set_header Host $host;',
      '        }',
      '    }',
    ),
  };
  assert.deepEqual(wsFindings(files, MAIN), []);
});
