// ws-read-timeout (Information): a WebSocket location that keeps the 60 s default proxy_read_timeout,
// so a connection silent for a minute is closed. proxy_read_timeout is inherited directive by directive.

import { test } from 'node:test';
import assert from 'node:assert/strict';
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

test('default timeout: information on the location line, with a fix raising it', () => {
  const files = { [MAIN]: httpConf('    server {', '        listen 443 ssl;', ...location('/ws'), '    }') };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'information');
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
