// What the security rules claim, checked on the wire: the real nginx serving the flagged
// configuration on loopback answers as the rule says, and after the rule's fix it does not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { bodyOf, startNginx, statusOf } from '../support/liveNginx';
import { nginxAvailable } from '../support/nginx';
import { MAIN } from '../support/websocket';

const noNginx = nginxAvailable() ? false : 'no nginx binary to serve the configurations';
const FILES = { 'srv/static/a.txt': 'public\n', 'srv/secret.txt': 'secret\n', 'srv/admin/panel.txt': 'panel\n' };

/** A configuration of one server on loopback; `PORT` and `PREFIX` are filled in when it is served. */
const config = (http: string[], ...server: string[]) => [
  'events {}', 'http {', '    access_log off;', ...http.map((line) => `    ${line}`),
  '    server {', '        listen 127.0.0.1:PORT;', ...server.map((line) => `        ${line}`), '    }', '}', '',
].join('\n');

const findingsOf = (text: string, code: string) => analyzeFiles({ [MAIN]: text }, MAIN).filter((finding) => finding.code === code);

/** The text after the finding's first fix. */
function fixedBy(text: string, code: string): string {
  const [finding] = findingsOf(text, code);
  assert.ok(finding?.fixes?.[0], `no ${code} fix`);
  return applyEdits({ [MAIN]: text }, finding.fixes[0].edits)[MAIN];
}

/** Serves `text` and sends the requests, in order: the raw responses. */
async function responses(text: string, requests: Array<[string, string[]?]>): Promise<string[]> {
  const nginx = await startNginx(text, FILES);
  try {
    const answers: string[] = [];
    for (const [target, headers] of requests) answers.push(await nginx.request(target, headers));
    return answers;
  } finally {
    await nginx.stop();
  }
}

test('alias-traversal: /static../secret.txt is served from the alias\'s parent, not after the fix', { skip: noNginx }, async () => {
  const text = config([], 'location /static {', '    alias PREFIX/srv/static/;', '}');
  assert.equal(findingsOf(text, 'alias-traversal').length, 1);
  const [leak, file] = await responses(text, [['/static../secret.txt'], ['/static/a.txt']]);
  assert.deepEqual([statusOf(leak), bodyOf(leak), bodyOf(file)], [200, 'secret\n', 'public\n']);
  const fixed = fixedBy(text, 'alias-traversal');
  const [closed, still] = await responses(fixed, [['/static../secret.txt'], ['/static/a.txt']]);
  assert.deepEqual([statusOf(closed), bodyOf(still)], [404, 'public\n']);
});

test('allow-without-deny: a client no allow matches gets in, and is refused after the fix', { skip: noNginx }, async () => {
  const text = config([], 'root PREFIX/srv;', 'location /admin {', '    allow 10.0.0.0/8;', '}');
  assert.equal(findingsOf(text, 'allow-without-deny').length, 1);
  assert.equal(statusOf((await responses(text, [['/admin/panel.txt']]))[0]), 200);
  assert.equal(statusOf((await responses(fixedBy(text, 'allow-without-deny'), [['/admin/panel.txt']]))[0]), 403);
});

test('return-before-access: "return" answers although the location denies everyone', { skip: noNginx }, async () => {
  const text = config([], 'location /admin {', '    deny all;', '    return 200 "secret";', '}');
  assert.equal(findingsOf(text, 'return-before-access').length, 1);
  const [answer] = await responses(text, [['/admin']]);
  assert.deepEqual([statusOf(answer), bodyOf(answer)], [200, 'secret']);
});

test('merge-slashes-off: //admin/ misses "location /admin" and its deny', { skip: noNginx }, async () => {
  const server = ['root PREFIX/srv;', 'location /admin {', '    deny all;', '}'];
  const off = config(['merge_slashes off;'], ...server);
  assert.equal(findingsOf(off, 'merge-slashes-off').length, 1);
  const [bypassed, refused] = await responses(off, [['//admin/panel.txt'], ['/admin/panel.txt']]);
  assert.deepEqual([statusOf(bypassed), bodyOf(bypassed), statusOf(refused)], [200, 'panel\n', 403]);
  const on = config([], ...server);
  assert.deepEqual(findingsOf(on, 'merge-slashes-off'), []);
  assert.equal(statusOf((await responses(on, [['//admin/panel.txt']]))[0]), 403);
});

test('real-ip-spoofable: any client names its own address in X-Forwarded-For', { skip: noNginx }, async () => {
  const text = config(['set_real_ip_from 0.0.0.0/0;', 'real_ip_header X-Forwarded-For;'], 'location / {', '    return 200 $remote_addr;', '}');
  assert.equal(findingsOf(text, 'real-ip-spoofable').length, 1);
  const [answer] = await responses(text, [['/', ['X-Forwarded-For: 10.1.2.3']]]);
  assert.equal(bodyOf(answer), '10.1.2.3');
});

test('response-splitting: %0A in the URI becomes a header line of the response', { skip: noNginx }, async () => {
  const text = config([], 'location / {', '    add_header X-Uri $uri;', '    return 200 ok;', '}');
  assert.equal(findingsOf(text, 'response-splitting').length, 1);
  const [answer] = await responses(text, [['/x%0D%0ASet-Cookie:%20session=attacker']]);
  assert.match(answer.slice(0, answer.indexOf('\r\n\r\n')), /\r\nSet-Cookie: session=attacker(?:\r\n|$)/);
  const safe = config([], 'location / {', '    add_header X-Uri $request_uri;', '    return 200 ok;', '}');
  assert.deepEqual(findingsOf(safe, 'response-splitting'), []);
  const [kept] = await responses(safe, [['/x%0D%0ASet-Cookie:%20session=attacker']]);
  assert.doesNotMatch(kept, /\r\nSet-Cookie:/);
});

test('response-splitting: a redirect rewrite escapes its $1 but writes a named capture as it is', { skip: noNginx }, async () => {
  const named = config([], 'rewrite ^/r/(?<name>[^/]+)$ https://x/$name redirect;');
  const numbered = config([], 'rewrite ^/r/([^/]+)$ https://x/$1 redirect;');
  assert.equal(findingsOf(named, 'response-splitting').length, 1);
  assert.deepEqual(findingsOf(numbered, 'response-splitting'), []);
  const target = '/r/x%0D%0ASet-Cookie:%20session=attacker';
  const [split] = await responses(named, [[target]]);
  assert.match(split.slice(0, split.indexOf('\r\n\r\n')), /\r\nSet-Cookie: session=attacker(?:\r\n|$)/);
  const [escaped] = await responses(numbered, [[target]]);
  assert.match(escaped, /\r\nLocation: https:\/\/x\/x%0D%0ASet-Cookie:%20session=attacker\r\n/);
});
