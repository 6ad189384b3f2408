import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceWithCursor } from '../support/service';

const labels = (files: Record<string, string>, target: string) => {
  const { service, offset } = serviceWithCursor(files, target);
  return service.complete(target, offset).map((entry) => entry.label);
};
const one = (text: string) => labels({ '/etc/nginx/nginx.conf': text }, '/etc/nginx/nginx.conf');

test('in a location: proxy_pass and proxy_read_timeout, not worker_processes', () => {
  const offered = one('events {}\nhttp {\n  server {\n    location / {\n      prox|\n    }\n  }\n}\n');
  assert.ok(offered.includes('proxy_pass'));
  assert.ok(offered.includes('proxy_read_timeout'));
  assert.ok(!offered.includes('worker_processes'));
});

test('on an empty line of a block, by the block context', () => {
  const offered = one('events {}\nhttp {\n  |\n}\n');
  assert.ok(offered.includes('server'));
  assert.ok(offered.includes('upstream'));
  assert.ok(!offered.includes('listen'));
  assert.ok(!offered.includes('worker_connections'));
  const main = one('|\nevents {}\n');
  assert.ok(main.includes('worker_processes'));
  assert.ok(!main.includes('proxy_pass'));
});

test('entries carry syntax, docs and a snippet with ; or { }', () => {
  const { service, offset } = serviceWithCursor({ '/etc/nginx/nginx.conf': 'http {\n  server {\n    loc|\n  }\n}\n' }, '/etc/nginx/nginx.conf');
  const entries = service.complete('/etc/nginx/nginx.conf', offset);
  const location = entries.find((entry) => entry.label === 'location')!;
  assert.match(location.snippet!, /^location \$1 \{\n\t\$0\n\}$/);
  const listen = entries.find((entry) => entry.label === 'listen')!;
  assert.match(listen.snippet!, /^listen \$1;\$0$/);
  assert.match(listen.detail!, /^listen address/);
  assert.match(listen.documentation!, /nginx\.org/);
  assert.deepEqual(location.replace, { start: 'http {\n  server {\n    '.length, end: 'http {\n  server {\n    loc'.length });
});

test('variables after $: built-in and user-defined', () => {
  const offered = one('events {}\nhttp {\n  map $http_upgrade $connection_upgrade { default upgrade; }\n  server {\n    set $app_root /srv;\n    location / {\n      proxy_set_header Connection $con|\n    }\n  }\n}\n');
  assert.ok(offered.includes('connection_upgrade'));
  assert.ok(offered.includes('app_root'));
  assert.ok(offered.includes('remote_addr'));
  assert.ok(offered.includes('http_'));
});

test('values for on/off and enum-like arguments', () => {
  assert.deepEqual(one('http {\n  proxy_buffering |\n}\n').sort(), ['off', 'on']);
  assert.deepEqual(one('http {\n  proxy_http_version 1|\n}\n').sort(), ['1.0', '1.1', '2']); // 2: nginx 1.29+ docs
});

test('no directive names inside map bodies (data, not directives)', () => {
  assert.deepEqual(one('http {\n  map $a $b {\n    |\n  }\n}\n'), []);
});

test('request headers as variables: $http_upgrade, $http_host and the other common ones', () => {
  const offered = one('events {}\nhttp {\n  server {\n    location / {\n      proxy_set_header Upgrade $http_u|\n    }\n  }\n}\n');
  for (const variable of ['http_upgrade', 'http_host', 'http_connection', 'http_x_forwarded_for', 'http_sec_websocket_protocol', 'http_']) {
    assert.ok(offered.includes(variable), variable);
  }
});

test('proxy_set_header: header names, then the values of the header named', () => {
  const conf = (line: string) => `events {}\nhttp {\n  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n  map $http_upgrade $ws_upgrade { default ""; websocket $http_upgrade; }\n  server {\n    location /ws {\n      ${line}\n    }\n  }\n}\n`;
  const names = one(conf('proxy_set_header |'));
  for (const header of ['Upgrade', 'Connection', 'Host', 'X-Forwarded-For']) assert.ok(names.includes(header), header);
  // The user's maps on $http_upgrade, each for the header its values fit.
  assert.deepEqual(one(conf('proxy_set_header Upgrade |')), ['$ws_upgrade', '$http_upgrade']);
  assert.deepEqual(one(conf('proxy_set_header Connection |')), ['$connection_upgrade', '$http_connection', '"upgrade"', '""']);
  assert.deepEqual(one(conf('proxy_set_header Host |')), ['$host', '$http_host', '$proxy_host']);
  assert.deepEqual(one(conf('proxy_set_header Host $host |')), [], 'no third argument');
  assert.deepEqual(one(conf('grpc_set_header X-Real-IP |')), ['$remote_addr']);
});
