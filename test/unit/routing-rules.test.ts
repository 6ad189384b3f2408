import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFiles } from '../support/analysis';
import { nginxAvailable, nginxTest } from '../support/nginx';

const MAIN = '/etc/nginx/nginx.conf';
const conf = (servers: string) => `events {}\nhttp {\n${servers}\n}\n`;

/** The unreachable-* findings: code, the line shown and the related line (1-based). */
function unreachable(servers: string): string[] {
  const text = conf(servers);
  const line = (offset: number) => text.slice(0, offset).split('\n').length;
  return analyzeFiles({ [MAIN]: text }, MAIN)
    .filter((finding) => finding.code.startsWith('unreachable-'))
    .map((finding) => `${finding.code} ${line(finding.span.start)}→${finding.related?.[0] ? line(finding.related[0].span.start) : '-'}: ${finding.message}`);
}

test('a regex after the same regex, or after one that matches every URI, is never used', () => {
  assert.deepEqual(unreachable(`server {
  location ~* \\.php$ { }
  location ~ \\.php$ { }
  location ~ / { }
  location ~ \\.js$ { }
}`), [
    'unreachable-location 5→4: location "\\.php$" is never used: the regex location "\\.php$" before it matches every URI it matches',
    'unreachable-location 7→6: location "\\.js$" is never used: the regex location "/" before it matches every URI it matches',
  ]);
});

test('a case-sensitive regex before its caseless twin does not hide it', () => {
  assert.deepEqual(unreachable('server { location ~ \\.PHP$ { } location ~* \\.PHP$ { } }'), []);
});

test('a prefix location that a regex of its level always takes, and regexes behind "^~ /"', () => {
  assert.deepEqual(unreachable(`server {
  location ~ ^/ws { }
  location /ws/ { }
  location ^~ /wss/ { }
  location /api/ { location /api/v1/ { } }
}
server {
  listen 8080;
  location ^~ / { }
  location ~ \\.css$ { }
}`), [
    'unreachable-location 5→4: location "/ws/" is never used: every URI it matches also matches the regex location "^/ws", which wins (use "^~ /ws/" to keep it)',
    'unreachable-location 12→11: location "\\.css$" is never used: "^~ /" matches every URI and stops the regex search',
  ]);
  assert.deepEqual(unreachable('server { location ^~ / { } location /app/ { } location ~ \\.css$ { } }'), [], 'a plain prefix lets the regexes be tried');
});

test('a server whose names an earlier server has, or with no name and not the default, is never chosen', () => {
  assert.deepEqual(unreachable(`server { listen 80; server_name a.test; }
server { listen 80; server_name a.test; }
server { listen 80 default_server; server_name b.test; }
server { listen 80; }
server { listen 8080; server_name a.test; }`), [
    'unreachable-server 4→3: this server is never chosen: its names belong to an earlier server on 0.0.0.0:80 (nginx: "conflicting server name", ignored)',
    'unreachable-server 6→5: this server is never chosen: it has no server_name and is not the default server of 0.0.0.0:80',
  ]);
});

test('a server with an include the workspace lacks may listen elsewhere: its addresses are not judged', () => {
  assert.deepEqual(unreachable(`server { listen 80; server_name a.test; }
server { include /etc/nginx/missing/https.conf; server_name a.test; }`), []);
});

test('the servers and locations the rules flag are ones nginx accepts: a warning, not an error', { skip: !nginxAvailable() && 'no nginx at /usr/sbin/nginx' }, () => {
  const text = conf('server { listen 8080; server_name a.test; location ~ ^/ws { } location /ws/ { } }\nserver { listen 8080; server_name a.test; }');
  assert.equal(nginxTest({ 'nginx.conf': text }, 'nginx.conf').ok, true);
  assert.equal(unreachable(text.replace(/^events \{\}\nhttp \{\n|\n\}\n$/g, '')).length, 2);
});
