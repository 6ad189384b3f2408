import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAIN } from '../../server/src/analysis/context';
import { route, routingModelOf, type Route } from '../../server/src/analysis/routing';
import { parseComplexUri, toBytes } from '../../server/src/analysis/routing/uri';
import { Workspace } from '../../server/src/analysis/workspace';
import { memoryFs } from '../support/memoryFs';

const MAIN_PATH = '/etc/nginx/nginx.conf';

/** The routes of URLs through `http { <body> }` (plus extra files). */
function routes(body: string, urls: string[], files: Record<string, string> = {}, address?: string): Route[] {
  const workspace = new Workspace(memoryFs({ [MAIN_PATH]: `events {}\nhttp {\n${body}\n}\n`, ...files }));
  workspace.roots = [MAIN_PATH];
  const model = routingModelOf(workspace.file(MAIN_PATH)!, workspace, MAIN);
  return urls.map((url) => route(model, { url, address }));
}

/** The first word after `location`/`server_name` of what serves each URL: the location's name, or `-`. */
function locationNames(body: string, urls: string[]): string[] {
  return routes(body, urls).map((r) => {
    if (r.error) return `error: ${r.error}`;
    if (r.match?.kind === 'redirect') return `301 ${r.match.location.name}`;
    if (r.match?.kind === 'undecided') return `undecided ${r.match.regex.name}`;
    return r.match?.location?.placed.directive.args.map((a) => a.value).join(' ') ?? '-';
  });
}

test('normalises the URI as ngx_http_parse_complex_uri() does', () => {
  const path = (raw: string, merge = true) => {
    const parsed = parseComplexUri(toBytes(raw), merge);
    return 'error' in parsed ? parsed.error : `${parsed.path}${parsed.args ? `?${parsed.args}` : ''}`;
  };
  assert.equal(path('/a//b///c'), '/a/b/c');
  assert.equal(path('/a//b', false), '/a//b');
  assert.equal(path('/a/./b/../c'), '/a/c');
  assert.equal(path('/a/%2E%2E/b'), '/b');
  assert.equal(path('/a%2Fb'), '/a/b');
  assert.equal(path('/a%3Fb?x=%41'), '/a?b?x=%41');
  assert.equal(path('/a%25b'), '/a%b');
  assert.equal(path('/a/..'), '/');
  assert.equal(path('/a/.'), '/a/');
  assert.equal(path('/..'), 'Bad Request: invalid URI');
  assert.equal(path('/a%00'), 'Bad Request: invalid URI');
  assert.equal(path('/a%zz'), 'Bad Request: invalid URI');
  assert.equal(path('/caf%C3%A9'), `/caf\xc3\xa9`);
});

test('finds locations in nginx order: exact, longest prefix, ^~, regexes in order, nested', () => {
  const body = `server {
    listen 80;
    location / { }
    location = /exact { }
    location /static/ { }
    location ^~ /assets/ { }
    location ~ \\.php$ { }
    location ~* \\.(js|css)$ { }
    location /api/ {
      location ~ ^/api/v2 { }
      location /api/admin/ { }
    }
  }`;
  const urls = ['/', '/exact', '/exact/x', '/static/a.css', '/assets/a.css', '/x/INDEX.JS', '/a.php', '/api/v2/a', '/api/admin/a.php', '/api/admin/b', '/api/x'];
  assert.deepEqual(locationNames(body, urls), [
    '/', '= /exact', '/', '~* \\.(js|css)$', '^~ /assets/', '~* \\.(js|css)$', '~ \\.php$', '~ ^/api/v2', '~ \\.php$', '/api/admin/', '/api/',
  ]);
});

test('redirects /dir to /dir/ when a proxy_pass location is named /dir/, unless a location is named /dir', () => {
  const body = `server { listen 80; location /app/ { proxy_pass http://127.0.0.1:9000; } location / { } }`;
  assert.deepEqual(locationNames(body, ['/app', '/app/x']), ['301 /app/', '/app/']);
  const twin = `server { listen 80; location /app/ { proxy_pass http://127.0.0.1:9000; } location = /app { } }`;
  assert.deepEqual(locationNames(twin, ['/app']), ['= /app']);
});

test('chooses the server by address, port and Host: exact, leading and trailing wildcards, regexes, default_server', () => {
  const body = `
  server { listen 80; server_name example.com; location / { return 200 a; } }
  server { listen 80; server_name *.example.com; }
  server { listen 80; server_name *.api.example.com; }
  server { listen 80; server_name www.example.*; }
  server { listen 80; server_name ~^(?<sub>\\w+)\\.test$; }
  server { listen 80 default_server; server_name _; }
  server { listen 127.0.0.1:80; server_name local.test; }
  server { listen 8080; }`;
  const urls = ['http://example.com/', 'http://a.example.com/', 'http://b.api.example.com/', 'http://www.example.org/', 'http://www.example.com/',
    'http://x.test/', 'http://EXAMPLE.COM./', 'http://nothing/', 'http://127.0.0.1/', 'http://local.test:8080/', 'http://a..b/'];
  const found = routes(body, urls);
  const names = found.map((r) => (r.error ? r.error : r.server!.server.names.map((n) => n.name).join(' ')));
  // A leading wildcard goes before a trailing one: www.example.com is *.example.com's.
  assert.deepEqual(names, ['example.com', '*.example.com', '*.api.example.com', 'www.example.*', '*.example.com', '^(?<sub>\\w+)\\.test$',
    'example.com', '_', 'local.test', '', 'Bad Request: invalid host']);
});

test('what the upstream receives: the URI part replaces the prefix, none passes the request as sent, variables as is', () => {
  const body = `server {
    listen 80;
    location /ws/ { proxy_pass http://backend/socket/; }
    location /raw/ { proxy_pass http://backend; }
    location /var/ { proxy_pass http://$host/v$uri; }
    location = /one { proxy_pass http://backend/other; }
  }`;
  const upstream = routes(body, ['http://h/ws/chat?x=1', 'http://h/ws/a%20b', 'http://h/raw//a/../b?q', 'http://h/var/x', 'http://h/one'])
    .map((r) => (r.upstream?.kind === 'uri' ? r.upstream.uri : r.upstream?.template));
  assert.deepEqual(upstream, ['/socket/chat?x=1', '/socket/a%20b', '/raw//a/../b?q', '/v$uri', '/other']);
});

test('an internal location and a regex JavaScript cannot decide are said so', () => {
  const body = `server { listen 80; location ^~ /in/ { internal; } location ~ \\Aa { } location / { } }`;
  const [internal, undecided] = routes(body, ['/in/x', '/b']);
  assert.match(internal.notes.join(), /internal/);
  assert.equal(undecided.match?.kind, 'undecided');
});

test('locations and servers read through includes, in place', () => {
  const found = routes('include conf.d/*.conf;', ['http://app.test/ws/'], {
    '/etc/nginx/conf.d/app.conf': 'server { listen 80; server_name app.test; location /ws/ { } }',
  });
  assert.equal(found[0].match?.kind === 'location' && found[0].match.location?.placed.file.path, '/etc/nginx/conf.d/app.conf');
});

test('merge_slashes: a server\'s own value, else the http level\'s wherever it stands', () => {
  const uris = (body: string) => routes(body, ['http://a/x//y', 'http://a:8080/x//y']).map((r) => r.uri);
  assert.deepEqual(uris('server { listen 80; } server { listen 8080; merge_slashes on; }\nmerge_slashes off;'), ['/x//y', '/x/y']);
  assert.deepEqual(uris('server { listen 80; merge_slashes off; } server { listen 8080; }'), ['/x//y', '/x/y']);
});
