// Completion of arguments (issue 16, item 3): upstream names after the *_pass directives, include
// paths, add_header names, only the values a directive takes, deprecated and ranked directive names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionEntry } from '../../server/src/features/completion';
import { serviceWithCursor } from '../support/service';

const MAIN = '/etc/nginx/nginx.conf';
const SITE = '/etc/nginx/conf.d/app.conf';
const main = [
  'events {}',
  'http {',
  '  upstream backend {',
  '    server 127.0.0.1:3000;',
  '    server 127.0.0.1:3001 backup;',
  '    keepalive 16;',
  '  }',
  '  include conf.d/*.conf;',
  '}',
  'stream {',
  '  upstream db { server 10.0.0.5:5432; }',
  '}',
  '',
].join('\n');
/** A workspace whose site file holds `line` (with the cursor `|`) in a location. */
const workspace = (line: string, extra: Record<string, string> = {}) => ({
  [MAIN]: main,
  [SITE]: `upstream api { server unix:/run/api.sock; }\nserver {\n  listen 80;\n  location / {\n    ${line}\n  }\n}\n`,
  '/etc/nginx/conf.d/sub/inner.conf': 'add_header X-A 1;\n',
  '/etc/nginx/snippets/ws.conf': 'proxy_http_version 1.1;\n',
  ...extra,
});

function entriesAt(files: Record<string, string>, target: string, configure?: (service: ReturnType<typeof serviceWithCursor>['service']) => void): { entries: CompletionEntry[]; text: string; offset: number } {
  const { service, offset } = serviceWithCursor(files, target);
  configure?.(service);
  return { entries: service.complete(target, offset), text: service.file(target)!.text, offset };
}
const labels = (line: string) => entriesAt(workspace(line), SITE).entries.map((entry) => entry.label);

test('after proxy_pass http:// the upstreams of every file of the configuration, with servers and keepalive', () => {
  const { entries, text, offset } = entriesAt(workspace('proxy_pass http://|'), SITE);
  // The file's own first, then the others'.
  assert.deepEqual(entries.map((entry) => entry.label), ['api', 'backend'], 'not the stream upstream db');
  const backend = entries[1];
  assert.equal(backend.kind, 'upstream');
  assert.equal(backend.detail, '2 servers: 127.0.0.1:3000, 127.0.0.1:3001 backup · keepalive 16');
  assert.deepEqual(backend.replace, { start: offset, end: offset }, 'the scheme stays');
  assert.equal(text.slice(backend.replace.start - 'http://'.length, backend.replace.start), 'http://');
  assert.deepEqual(labels('proxy_pass https://ba|'), ['api', 'backend']);
  assert.deepEqual(labels('proxy_pass http://backend/|'), [], 'nothing in the path');
  assert.deepEqual(labels('proxy_pass http://backend:80|'), [], 'nothing after a port');
});

test('without a scheme: proxy_pass offers it (nginx requires one), the others the name as they take it', () => {
  assert.deepEqual(labels('proxy_pass |'), ['http://api', 'http://backend', 'https://api', 'https://backend']);
  assert.deepEqual(labels('grpc_pass |'), ['grpc://api', 'grpc://backend', 'grpcs://api', 'grpcs://backend', 'api', 'backend']);
  assert.deepEqual(labels('uwsgi_pass suwsgi://|'), ['api', 'backend']);
  for (const directive of ['fastcgi_pass', 'scgi_pass', 'memcached_pass']) assert.deepEqual(labels(`${directive} |`), ['api', 'backend'], directive);
  assert.deepEqual(labels('proxy_pass http://backend |'), [], 'one address');
  assert.deepEqual(labels('proxy_pass http:/|'), ['http://api', 'http://backend', 'https://api', 'https://backend'], 'the editor filters a partial scheme');
  // The stream proxy_pass takes a bare name, and only stream upstreams (and top-level ones of included files).
  const stream = entriesAt({ [MAIN]: main.replace('upstream db { server 10.0.0.5:5432; }', 'upstream db { server 10.0.0.5:5432; }\n  server { listen 5432; proxy_pass d|; }') }, MAIN);
  assert.deepEqual(stream.entries.map((entry) => entry.label), ['db']);
});

test('after include: the files and folders of the directory typed so far, relative to the conf root', () => {
  const { entries } = entriesAt(workspace('include |'), SITE);
  assert.deepEqual(entries.map((entry) => [entry.label, entry.kind]), [['conf.d/', 'folder'], ['nginx.conf', 'file'], ['snippets/', 'folder']]);
  assert.deepEqual(labels('include conf.d/|'), ['app.conf', 'sub/']);
  const quoted = entriesAt(workspace('include "snippets/w|'), SITE);
  assert.deepEqual(quoted.entries.map((entry) => entry.label), ['ws.conf']);
  assert.deepEqual(quoted.entries[0].replace, { start: quoted.offset - 1, end: quoted.offset }, 'only the name after the last /');
  // Absolute under /etc/nginx/ is looked up in the conf root too, as include itself resolves it.
  const elsewhere = { '/srv/conf/nginx.conf': 'events {}\nhttp { include /etc/nginx/snippets/|; }\n', '/srv/conf/snippets/ws.conf': 'gzip on;\n' };
  assert.deepEqual(entriesAt(elsewhere, '/srv/conf/nginx.conf').entries.map((entry) => entry.label), ['ws.conf']);
  assert.deepEqual(labels('include conf.d/*/|'), [], 'no listing under a glob');
  assert.deepEqual(labels('include nowhere/|'), []);
});

test('after add_header: response header names, then always third; proxy_set_header keeps its request headers', () => {
  const names = labels('add_header |');
  for (const header of ['Strict-Transport-Security', 'X-Frame-Options', 'Cache-Control']) assert.ok(names.includes(header), header);
  assert.ok(!names.includes('Upgrade'), 'a request header');
  assert.deepEqual(labels('add_header X-Frame-Options |'), []);
  assert.deepEqual(labels('add_header X-Frame-Options DENY |'), ['always']);
  assert.ok(labels('proxy_set_header |').includes('Upgrade'));
});

test('after a directive name only the values it takes: no directives, no snippets', () => {
  const buffering = entriesAt(workspace('proxy_buffering |'), SITE).entries;
  assert.deepEqual(buffering.map((entry) => [entry.label, entry.kind]).sort(), [['off', 'value'], ['on', 'value']]);
  assert.deepEqual(labels('proxy_buffering on |'), [], 'a flag takes one word');
  // An enum's words at the target version (proxy_http_version 2 came with nginx 1.30's data).
  const version = (nginx: string) => entriesAt(workspace('proxy_http_version |'), SITE, (service) => (service.settings = { ...service.settings, version: nginx }))
    .entries.map((entry) => entry.label).sort();
  assert.deepEqual(version('1.24'), ['1.0', '1.1']);
  assert.deepEqual(version('1.30'), ['1.0', '1.1', '2']);
  // A bitmask takes any number of its words.
  assert.ok(labels('proxy_next_upstream error |').includes('timeout'));
});

test('snippets are offered where their block may stand, not after a directive name', () => {
  const inServer = entriesAt(workspace('|'), SITE).entries;
  assert.ok(inServer.some((entry) => entry.label === 'ws-location' && entry.kind === 'snippet' && entry.snippet?.startsWith('location ')));
  assert.ok(!inServer.some((entry) => entry.label === 'ws-map-upgrade'), 'a map is for http');
  const inHttp = entriesAt({ [MAIN]: main.replace('  include conf.d/*.conf;', '  ws|') }, MAIN).entries;
  assert.ok(inHttp.some((entry) => entry.label === 'ws-map-upgrade'));
  assert.ok(inHttp.some((entry) => entry.label === 'upstream-keepalive'));
  assert.ok(!entriesAt(workspace('proxy_buffering |'), SITE).entries.some((entry) => entry.kind === 'snippet'));
});

test('directives the target nginx lacks or that were removed are deprecated', () => {
  const http = (version: string) => {
    const { entries } = entriesAt({ [MAIN]: 'events {}\nhttp {\n  server {\n    |\n  }\n}\n' }, MAIN, (service) => (service.settings = { ...service.settings, version }));
    return new Map(entries.map((entry) => [entry.label, entry]));
  };
  const old = http('1.24');
  assert.equal(old.get('http2')?.deprecated, true, 'http2 came with 1.25.1');
  assert.equal(old.get('listen')?.deprecated, undefined);
  const current = http('1.30');
  assert.equal(current.get('http2')?.deprecated, undefined);
  assert.equal(current.get('ssl')?.deprecated, true, 'ssl was removed in 1.25.1');
});

/** The labels starting with `prefix`, in the order the editor shows equally matching entries. */
function ranking(files: Record<string, string>, target: string, prefix: string): string[] {
  return entriesAt(files, target).entries
    .filter((entry) => entry.label.startsWith(prefix))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.label.localeCompare(b.label))
    .map((entry) => entry.label);
}

test('the directive common in the context ranks first', () => {
  assert.equal(ranking({ [MAIN]: 'events {}\nhttp {\n  se|\n}\n' }, MAIN, 'se')[0], 'server');
  assert.equal(ranking({ [MAIN]: 'events {}\nhttp {\n  server {\n    se|\n  }\n}\n' }, MAIN, 'se')[0], 'server_name');
  assert.equal(ranking(workspace('pr|'), SITE, 'pr')[0], 'proxy_pass');
  assert.equal(ranking({ [MAIN]: 'wo|\nevents {}\n' }, MAIN, 'wo')[0], 'worker_processes');
});
