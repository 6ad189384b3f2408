// The request headers the upstream gets in the route answer: the proxy_set_header list in force
// (inherited whole, or replaced whole), nginx's defaults by release, empty values not sent, the
// values a request makes of $host, $http_upgrade and maps, and the client's own headers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetVersion } from '../../server/src/analysis/knowledge/versions';
import { proxyHost } from '../../server/src/analysis/routing/proxyPass';
import { Workspace } from '../../server/src/analysis/workspace';
import { routeSummary, routeUrls, type RouteAnswer } from '../../server/src/features/route';
import { memoryFs } from '../support/memoryFs';

const MAIN_PATH = '/etc/nginx/nginx.conf';
const OLD = targetVersion('1.22')!;
const NEW = targetVersion('1.30')!;

/** The route answer of `url` through `http { <body> }` (plus extra files) for nginx `target`. */
function answerFor(body: string, url: string, target = OLD, files: Record<string, string> = {}): RouteAnswer {
  const workspace = new Workspace(memoryFs({ [MAIN_PATH]: `events {}\nhttp {\n${body}\n}\n`, ...files }));
  workspace.roots = [MAIN_PATH];
  return routeUrls(workspace.file(MAIN_PATH)!, workspace, [url], target)[0];
}

/** `Name: value` per header sent, with `= resolved` where the request tells a value that differs, and the line it comes from. */
const sent = (answer: RouteAnswer) =>
  answer.upstreamHeaders?.map((header) => {
    const resolved = header.resolved !== undefined && header.resolved !== header.value ? ` = ${header.resolved}` : '';
    return `${header.name}: ${header.value}${resolved}${header.from ? ` @${header.from.text}` : ''}`;
  });

test('a location without proxy_set_header gets the server level list, then the defaults it does not name', () => {
  const answer = answerFor(`
    server {
      listen 80;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header Host $host;
      location /app/ { proxy_pass http://127.0.0.1:3000; }
    }`, 'http://Example.COM/app/x');
  assert.deepEqual(sent(answer), [
    'X-Real-IP: $remote_addr @proxy_set_header X-Real-IP $remote_addr',
    'Host: $host = example.com @proxy_set_header Host $host',
    'Connection: close',
  ]);
});

test('a location with any proxy_set_header replaces the whole inherited list; Host is then the default $proxy_host', () => {
  const body = `
    proxy_set_header X-From-Http yes;
    server {
      listen 80;
      proxy_set_header X-From-Server yes;
      location / {
        proxy_set_header X-Own yes;
        proxy_pass http://backend.internal:8080/;
      }
      location /api/ { proxy_pass https://api.internal; }
    }`;
  assert.deepEqual(sent(answerFor(body, 'http://a/')), ['X-Own: yes @proxy_set_header X-Own yes', 'Host: $proxy_host = backend.internal:8080', 'Connection: close']);
  // Since 1.29.7 nginx sends no Connection header of its own (keep-alive to the upstream).
  assert.deepEqual(sent(answerFor(body, 'http://a/', NEW)), ['X-Own: yes @proxy_set_header X-Own yes', 'Host: $proxy_host = backend.internal:8080']);
  assert.deepEqual(sent(answerFor(body, 'http://a/api/')), ['X-From-Server: yes @proxy_set_header X-From-Server yes', 'Host: $proxy_host = api.internal', 'Connection: close']);
});

test('the http level list reaches a server without one, across an include', () => {
  const answer = answerFor('proxy_set_header X-From-Http yes;\ninclude /etc/nginx/conf.d/*.conf;', 'http://a/', OLD, {
    '/etc/nginx/conf.d/app.conf': 'server {\n  listen 80;\n  location / { proxy_pass http://unix:/run/app.sock:/; }\n}\n',
  });
  assert.deepEqual(sent(answer), ['X-From-Http: yes @proxy_set_header X-From-Http yes', 'Host: $proxy_host = localhost', 'Connection: close']);
  assert.equal(answer.upstreamHeaders?.[0].from?.file, MAIN_PATH);
});

test('a fragment read on its own: its top level is the http level it is written for', () => {
  const path = '/etc/nginx/sites-available/app.conf';
  const workspace = new Workspace(memoryFs({ [path]: 'proxy_set_header X-Top t;\nserver {\n  listen 80;\n  location / { proxy_pass http://b; }\n}\n' }));
  const [answer] = routeUrls(workspace.file(path)!, workspace, ['http://a/'], NEW);
  assert.deepEqual(sent(answer), ['X-Top: t @proxy_set_header X-Top t', 'Host: $proxy_host = b']);
});

test('a header set to "" is not sent, replaces a default, and keeps the client\'s own out', () => {
  const answer = answerFor(`
    server {
      listen 80;
      location / {
        proxy_set_header X-Debug "";
        proxy_set_header Connection "";
        proxy_pass http://127.0.0.1;
      }
    }`, 'http://a/');
  assert.deepEqual(sent(answer), ['Host: $proxy_host = 127.0.0.1']);
  assert.equal(answer.clientHeaders?.passed, true);
  assert.deepEqual(answer.clientHeaders?.except, ['X-Debug', 'Connection', 'Host', 'Content-Length', 'Transfer-Encoding', 'TE', 'Keep-Alive', 'Expect', 'Upgrade']);
});

const WEBSOCKET = `
  map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
  }
  server {
    listen 80;
    location /ws/ {
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_pass http://127.0.0.1:3000;
    }
    location /plain/ { proxy_pass http://127.0.0.1:3000; }
  }`;

test('WebSocket: a ws:// URL is a handshake, so Upgrade and Connection pass; a plain GET gets Connection: close', () => {
  assert.deepEqual(sent(answerFor(WEBSOCKET, 'ws://chat.example.com/ws/')), [
    'Upgrade: $http_upgrade = websocket @proxy_set_header Upgrade $http_upgrade',
    'Connection: $connection_upgrade = upgrade @proxy_set_header Connection $connection_upgrade',
    'Host: $proxy_host = 127.0.0.1:3000',
  ]);
  // $http_upgrade is empty for a plain GET: no Upgrade header; the map gives "close".
  assert.deepEqual(sent(answerFor(WEBSOCKET, 'http://chat.example.com/ws/')), [
    'Connection: $connection_upgrade = close @proxy_set_header Connection $connection_upgrade',
    'Host: $proxy_host = 127.0.0.1:3000',
  ]);
  // Without proxy_set_header Upgrade the client's Upgrade never reaches the upstream (it is one of nginx's own names).
  const plain = answerFor(WEBSOCKET, 'ws://chat.example.com/plain/');
  assert.deepEqual(sent(plain), ['Host: $proxy_host = 127.0.0.1:3000', 'Connection: close']);
  assert.ok(plain.clientHeaders?.except.includes('Upgrade'));
});

test('a map whose entries are not all known, or a variable the request does not tell, stays as written', () => {
  const answer = answerFor(`
    map $http_upgrade $from_include { include /etc/nginx/upgrades.map; }
    map $remote_addr $by_address { default a; }
    server {
      listen 443 ssl;
      location / {
        proxy_set_header X-Include $from_include;
        proxy_set_header X-Address $by_address;
        proxy_set_header X-Mixed "$scheme://$host$request_uri";
        proxy_pass http://127.0.0.1;
      }
    }`, 'https://a.example/x?y=1');
  assert.deepEqual(sent(answer)?.slice(0, 3), [
    'X-Include: $from_include @proxy_set_header X-Include $from_include',
    'X-Address: $by_address @proxy_set_header X-Address $by_address',
    'X-Mixed: $scheme://$host$request_uri = https://a.example/x?y=1 @proxy_set_header X-Mixed "$scheme://$host$request_uri"',
  ]);
});

test('proxy_pass_request_headers off: none of the client\'s headers, with the line that says so', () => {
  const answer = answerFor('server {\n listen 80;\n proxy_pass_request_headers off;\n location / { proxy_pass http://127.0.0.1; }\n}', 'http://a/');
  assert.equal(answer.clientHeaders?.passed, false);
  assert.equal(answer.clientHeaders?.from?.text, 'proxy_pass_request_headers off');
  assert.match(routeSummary(answer, (place) => place.text), /the upstream gets \/ with Host: 127\.0\.0\.1 \(\$proxy_host\), Connection: close$/);
});

test('no proxy_pass, no upstream headers', () => {
  const answer = answerFor('server {\n listen 80;\n proxy_set_header X-A a;\n location / { root /srv; }\n}', 'http://a/');
  assert.equal(answer.upstreamHeaders, undefined);
  assert.equal(answer.clientHeaders, undefined);
});

test('$proxy_host: the port only when it is not the scheme\'s default', () => {
  assert.equal(proxyHost('http://backend'), 'backend');
  assert.equal(proxyHost('http://backend:80/x'), 'backend');
  assert.equal(proxyHost('https://backend:443'), 'backend');
  assert.equal(proxyHost('https://backend:8443'), 'backend:8443');
  assert.equal(proxyHost('http://[::1]:3000'), '[::1]:3000');
  assert.equal(proxyHost('http://unix:/run/app.sock:/'), 'localhost');
  assert.equal(proxyHost('http://$backend'), undefined);
});
