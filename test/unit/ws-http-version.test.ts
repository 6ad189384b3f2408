// ws-missing-http-version: a WebSocket location proxied with HTTP/1.0 (nginx's default, or an
// explicit or inherited `proxy_http_version 1.0`). proxy_http_version is inherited directive by directive.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ETC, MAIN, httpConf, lines, relatedOf, shownAt, wsFindings } from '../support/websocket';

const CODE = 'ws-missing-http-version';
const findings = (files: Record<string, string>, target = MAIN) => wsFindings(files, target, CODE);

/** A server on 443 with one location; `location` lines are indented by the caller. */
const server = (...location: string[]) => [
  '    server {',
  '        listen 443 ssl;',
  ...location,
  '    }',
];
const UPGRADE = ['proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";'];
const wsLocation = (path: string, ...extra: string[]) => [
  `        location ${path} {`,
  '            proxy_pass http://127.0.0.1:3000;',
  ...[...UPGRADE, ...extra].map((line) => '            ' + line),
  '        }',
];

test('missing: a warning on the location line, saying HTTP/1.0 is the default', () => {
  const files = { [MAIN]: httpConf(...server(...wsLocation('/ws'))) };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(shownAt(files, finding), '5: location /ws');
  assert.match(finding.message, /proxy_http_version 1\.1/);
  assert.match(finding.message, /HTTP\/1\.0 .*by default/);
  assert.deepEqual(finding.related ?? [], []);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), ['Add "proxy_http_version 1.1;"']);
});

test('explicit 1.0 in the location: related to the directive, fixed in place', () => {
  const files = { [MAIN]: httpConf(...server(...wsLocation('/ws', 'proxy_http_version 1.0;'))) };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(shownAt(files, finding), '5: location /ws');
  assert.match(finding.message, /"proxy_http_version 1\.0"/);
  assert.deepEqual(relatedOf(files, finding), ['nginx.conf:9: proxy_http_version 1.0; — proxy_http_version 1.0 is set here']);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), ['Change to "proxy_http_version 1.1;"']);
});

test('1.0 inherited from the server level: related to the server\'s directive', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        listen 443 ssl;',
      '        proxy_http_version 1.0;',
      ...wsLocation('/socket.io/'),
      '    }',
    ),
  };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(shownAt(files, finding), '6: location /socket.io/');
  assert.match(finding.message, /"proxy_http_version 1\.0" \(inherited from the server level\)/);
  assert.deepEqual(relatedOf(files, finding), ['nginx.conf:5: proxy_http_version 1.0; — proxy_http_version 1.0 is set here']);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), ['Add "proxy_http_version 1.1;"']);
});

test('1.0 at http level in nginx.conf reaches a location in sites-enabled', () => {
  const site = `${ETC}/sites-enabled/app.conf`;
  const files = {
    [MAIN]: httpConf('    proxy_http_version 1.0;', '    include sites-enabled/*.conf;'),
    [site]: lines('server {', '    listen 80;', ...wsLocation('/ws').map((line) => line.slice(4)), '}'),
  };
  const [finding, ...rest] = findings(files, site);
  assert.equal(rest.length, 0);
  assert.equal(shownAt(files, finding), '3: location /ws');
  assert.deepEqual(relatedOf(files, finding), ['nginx.conf:3: proxy_http_version 1.0; — proxy_http_version 1.0 is set here']);
});

test('a location-level 1.0 overrides a server-level 1.1', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        proxy_http_version 1.1;',
      ...wsLocation('/ws', 'proxy_http_version 1.0;'),
      '    }',
    ),
  };
  assert.deepEqual(findings(files).map((f) => shownAt(files, f)), ['5: location /ws']);
});

test('1.0 in a snippet included by the location: related points into the snippet', () => {
  const files = {
    [MAIN]: httpConf(...server(...wsLocation('/ws', 'include snippets/proxy.conf;'))),
    [`${ETC}/snippets/proxy.conf`]: lines('proxy_http_version 1.0;'),
  };
  const [finding] = findings(files);
  assert.deepEqual(relatedOf(files, finding), ['snippets/proxy.conf:1: proxy_http_version 1.0; — proxy_http_version 1.0 is set here']);
  assert.equal(finding.fixes?.[0].edits[0].file, `${ETC}/snippets/proxy.conf`, 'changed where it is written, not duplicated');
});

test('no finding: 1.1 in the location, quoted, at server level, at http level, in a snippet', () => {
  const variants: Record<string, Record<string, string>> = {
    location: { [MAIN]: httpConf(...server(...wsLocation('/ws', 'proxy_http_version 1.1;'))) },
    quoted: { [MAIN]: httpConf(...server(...wsLocation('/ws', 'proxy_http_version "1.1";'))) },
    server: { [MAIN]: httpConf('    server {', '        proxy_http_version 1.1;', ...wsLocation('/ws'), '    }') },
    http: { [MAIN]: httpConf('    proxy_http_version 1.1;', ...server(...wsLocation('/ws'))) },
    snippet: {
      [MAIN]: httpConf(...server(...wsLocation('/ws', 'include snippets/ws.conf;'))),
      [`${ETC}/snippets/ws.conf`]: lines('proxy_http_version 1.1;'),
    },
  };
  for (const [name, files] of Object.entries(variants)) assert.deepEqual(findings(files), [], name);
});

test('no finding: http-level 1.1 reaches a location in an included sites-enabled file', () => {
  const site = `${ETC}/sites-enabled/app.conf`;
  const files = {
    [MAIN]: httpConf('    proxy_http_version 1.1;', '    include /etc/nginx/sites-enabled/*;'),
    [site]: lines('server {', ...wsLocation('/ws').map((line) => line.slice(4)), '}'),
  };
  assert.deepEqual(findings(files, site), []);
});

test('no finding: a nested location inherits 1.1 from its parent location', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        location /app/ {',
      '            proxy_http_version 1.1;',
      '            proxy_set_header Upgrade $http_upgrade;',
      '            proxy_set_header Connection "upgrade";',
      '            location /app/ws {',
      '                proxy_pass http://127.0.0.1:3000;',
      '            }',
      '        }',
      '    }',
    ),
  };
  assert.deepEqual(findings(files), []);
});

test('a nested location overriding its parent with 1.0 is reported, related to its own line', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        location /app/ {',
      '            proxy_http_version 1.1;',
      ...wsLocation('/app/ws', 'proxy_http_version 1.0;').map((line) => '    ' + line),
      '        }',
      '    }',
    ),
  };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(shownAt(files, finding), '6: location /app/ws');
  assert.deepEqual(relatedOf(files, finding), ['nginx.conf:10: proxy_http_version 1.0; — proxy_http_version 1.0 is set here']);
});

test('no finding: plain proxies and locations that proxy nothing', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        location /api/ {',
      '            proxy_pass http://127.0.0.1:3000;',
      '        }',
      '        location /ws {',
      '            return 404;',
      '        }',
      '    }',
    ),
  };
  assert.deepEqual(findings(files), []);
});

test('the path alone marks a socket endpoint: its last segment', () => {
  const paths = ['/ws', '/ws/', '= /websocket', '/socket.io/', '/sockjs-node', '/cable', '/hub', '/notifications/hub', '~ ^/ws$', '~* ^/api/(ws|events)$', '/app/ws/', '~ ^/ws/.*$', '~ ^/hubs/[^/]+$',
    '/socket', '~ (/jellyfin)?/socket', '/websockify', '/_next/webpack-hmr', '/hubs/chat', '@ws', '@websocket'];
  for (const path of paths) {
    const files = { [MAIN]: httpConf('    server {', `        location ${path} {`, '            proxy_pass http://127.0.0.1:3000;', '        }', '    }') };
    assert.deepEqual(findings(files).map((f) => shownAt(files, f)), [`4: location ${path}`], path);
  }
  // A segment before the last does not make a socket: SignalR negotiates over plain HTTP.
  for (const path of ['/api/', '/wsdl', '/news', '/hubble', '/static/', '/notifications/hub/negotiate', '/ws/info', '/hubs/chat/negotiate', '/socket/info', '@app']) {
    const files = { [MAIN]: httpConf('    server {', `        location ${path} {`, '            proxy_pass http://127.0.0.1:3000;', '        }', '    }') };
    assert.deepEqual(findings(files), [], path);
  }
});
