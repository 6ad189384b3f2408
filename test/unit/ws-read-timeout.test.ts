// ws-read-timeout (Hint): a socket location (not an app-wide `location /`) that keeps the 60 s default proxy_read_timeout,
// so a connection silent for a minute is closed. proxy_read_timeout is inherited directive by directive.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../support/analysis';
import { ETC, MAIN, httpConf, lines, shownAt, wsFindings } from '../support/websocket';

const CODE = 'ws-read-timeout';
const findings = (files: Record<string, string>, target = MAIN) => wsFindings(files, target, CODE);

const location = (path: string, ...extra: string[]) => [
  `        location ${path} {`,
  '            proxy_pass http://127.0.0.1:3000;',
  '            proxy_http_version 1.1;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '            proxy_set_header Connection "upgrade";',
  ...extra.map((line) => '            ' + line),
  '        }',
];

test('default timeout: a hint on the location line, with a fix raising it', () => {
  const files = { [MAIN]: httpConf('    server {', '        listen 443 ssl;', ...location('/ws'), '    }') };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'hint');
  assert.equal(shownAt(files, finding), '5: location /ws');
  assert.match(finding.message, /60 ?s/);
  assert.match(finding.message, /proxy_read_timeout/);
  assert.deepEqual(finding.related ?? [], []);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), ['Raise the timeout: "proxy_read_timeout 3600s;"']);
});

test('reported for every WebSocket location, not for plain proxies', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      ...location('/ws'),
      ...location('/cable'),
      '        location /api/ {',
      '            proxy_pass http://127.0.0.1:3000;',
      '        }',
      '    }',
    ),
  };
  assert.deepEqual(findings(files).map((f) => shownAt(files, f)), ['4: location /ws', '10: location /cable']);
});

test('no finding: set in the location, the server, http, a snippet, a parent location', () => {
  const variants: Record<string, Record<string, string>> = {
    location: { [MAIN]: httpConf('    server {', ...location('/ws', 'proxy_read_timeout 1h;'), '    }') },
    server: { [MAIN]: httpConf('    server {', '        proxy_read_timeout 86400s;', ...location('/ws'), '    }') },
    http: { [MAIN]: httpConf('    proxy_read_timeout 300;', '    server {', ...location('/ws'), '    }') },
    snippet: {
      [MAIN]: httpConf('    server {', ...location('/ws', 'include snippets/ws.conf;'), '    }'),
      [`${ETC}/snippets/ws.conf`]: lines('proxy_read_timeout 1d;'),
    },
    'parent location': {
      [MAIN]: httpConf(
        '    server {',
        '        location /app/ {',
        '            proxy_read_timeout 1h;',
        ...location('/app/ws').map((line) => '    ' + line),
        '        }',
        '    }',
      ),
    },
  };
  for (const [name, files] of Object.entries(variants)) assert.deepEqual(findings(files), [], name);
});

test('no finding: http-level timeout reaches a location in an included sites-enabled file', () => {
  const site = `${ETC}/sites-enabled/app.conf`;
  const files = {
    [MAIN]: httpConf('    proxy_read_timeout 1h;', '    include sites-enabled/*.conf;'),
    [site]: lines('server {', ...location('/ws').map((line) => line.slice(4)), '}'),
  };
  assert.deepEqual(findings(files, site), []);
  // Without the main configuration the http level is unknown: the default is assumed.
  assert.equal(findings({ [site]: files[site] }, site).length, 1);
});

test('an app-wide location that upgrades gets no hint; a named socket location does', () => {
  const files = {
    [MAIN]: httpConf('    server {', ...location('/'), ...location('/api/'), ...location('@websocket'), '    }'),
  };
  assert.deepEqual(findings(files).map((f) => shownAt(files, f)), ['16: location @websocket']);
});

test('Socket.IO locations get no hint: Engine.IO pings every 25 s, within the 60 s default', () => {
  for (const path of ['/socket.io/', '~* ^/socket\\.io/', '^~ /socket.io']) {
    const files = { [MAIN]: httpConf('    server {', '        listen 443 ssl;', ...location(path), '    }') };
    assert.deepEqual(findings(files), [], path);
  }
  assert.equal(findings({ [MAIN]: httpConf('    server {', '        listen 443 ssl;', ...location('/socket/'), '    }') }).length, 1, 'another socket path still gets it');
});

test('ws-read-timeout-ineffective: a timeout in the location that hands requests to @ws over', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        proxy_read_timeout 120s;',
      '        location /ws {',
      '            proxy_read_timeout 1h;',
      '            try_files /maintenance.html @ws;',
      '        }',
      '        location /events {',
      '            proxy_read_timeout 1h;',
      '            error_page 502 @ws;',
      '            return 502;',
      '        }',
      '        location /other {',
      '            proxy_read_timeout 1h;',
      '        }',
      ...location('@ws'),
      '    }',
    ),
  };
  const found = wsFindings(files, MAIN, 'ws-read-timeout-ineffective');
  assert.deepEqual(found.map((f) => [shownAt(files, f), f.severity]), [
    ['6: proxy_read_timeout 1h;', 'information'],
    ['10: proxy_read_timeout 1h;', 'information'],
  ]);
  assert.match(found[0].message, /has no effect on the requests this location hands to @ws: @ws applies 120s \(from the server level\)/);
  assert.deepEqual(found[0].fixes?.map((fix) => fix.title), ['Set "proxy_read_timeout 1h;" in @ws']);
  const fixed = applyEdits(files, found[0].fixes![0].edits);
  assert.deepEqual(wsFindings(fixed, MAIN, 'ws-read-timeout-ineffective'), []);
});
