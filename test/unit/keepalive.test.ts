// upstream-keepalive-ineffective: an upstream with `keepalive` used by a location that talks
// HTTP/1.0 to it (before 1.29.7) or sends "Connection: close", by the target release, with fixes
// that nginx -t accepts and that leave the upgrade case alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { nginxAvailable, nginxTest } from '../support/nginx';
import { MAIN, forNginx, httpConf, shownAt } from '../support/websocket';

const CODE = 'upstream-keepalive-ineffective';
const skip = nginxAvailable() ? false : 'nginx not installed';
const findings = (files: Record<string, string>, nginxVersion = '1.22.1') =>
  analyzeFiles(files, MAIN, { nginxVersion }).filter((finding) => finding.code === CODE);

const conf = (location: string[], before: string[] = []) => ({
  [MAIN]: httpConf(
    ...before,
    '    upstream app {',
    '        server 127.0.0.1:3000;',
    '        keepalive 16;',
    '    }',
    '    server {',
    '        listen 80;',
    '        location /api/ {',
    '            proxy_pass http://app;',
    ...location.map((line) => '            ' + line),
    '        }',
    '    }',
  ),
});

test('before 1.29.7 the defaults waste the keepalive twice: HTTP/1.0 and Connection: close', () => {
  const files = conf([]);
  const found = findings(files);
  assert.deepEqual(found.map((f) => [shownAt(files, f), f.severity]), [['9: location /api/', 'information'], ['9: location /api/', 'information']]);
  assert.match(found[0].message, /nginx 1\.22\.1 talks HTTP\/1\.0 to it by default/);
  assert.match(found[1].message, /sends "Connection: close" by default/);
  // From 1.29.7 HTTP/1.1 and no Connection header are the defaults: nothing to say.
  assert.deepEqual(findings(files, '1.31.4'), []);
});

test('fixes: each one makes its finding go, and both together pass nginx -t', { skip }, () => {
  let files: Record<string, string> = conf([]);
  for (const title of ['Add "proxy_http_version 1.1;"', `Add 'proxy_set_header Connection "";'`]) {
    const fix = findings(files).flatMap((f) => f.fixes ?? []).find((candidate) => candidate.title === title);
    assert.ok(fix, title);
    files = applyEdits(files, fix.edits);
  }
  assert.deepEqual(findings(files), []);
  const result = nginxTest(forNginx(files), 'nginx.conf');
  assert.ok(result.ok, result.output);
});

test('the map idiom: plain requests get "close"; the fix clears that value and keeps the upgrade', () => {
  const files = conf(['proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection $connection_upgrade;'],
    ['    map $http_upgrade $connection_upgrade {', '        default upgrade;', "        ''      close;", '    }']);
  const [finding, ...rest] = findings(files, '1.31.4');
  assert.equal(rest.length, 0);
  assert.match(finding.message, /does nothing for plain requests/);
  const fixed = applyEdits(files, finding.fixes![0].edits)[MAIN];
  assert.match(fixed, /default upgrade;\n {8}'' {6}"";/);
  assert.deepEqual(findings({ [MAIN]: fixed }, '1.31.4'), []);
  assert.ok(!analyzeFiles({ [MAIN]: fixed }, MAIN, { nginxVersion: '1.31.4' }).some((f) => f.code === 'ws-missing-connection'));
});

test('no finding: an upstream without keepalive, a location that clears Connection, a variable proxy_pass', () => {
  assert.deepEqual(findings({ [MAIN]: conf(['proxy_http_version 1.1;'])[MAIN].replace('keepalive 16;', '') }), []);
  assert.deepEqual(findings(conf(['proxy_http_version 1.1;', 'proxy_set_header Connection "";'])), []);
  assert.deepEqual(findings({ [MAIN]: conf([])[MAIN].replace('proxy_pass http://app;', 'proxy_pass http://$upstream_name;') }), []);
});
