import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceWithCursor } from '../support/service';

const MAIN = '/etc/nginx/nginx.conf';

function hoverAt(servers: string, files: Record<string, string> = {}, target = MAIN): string | undefined {
  const all = { [MAIN]: `events {}\nhttp {\n${servers}\n}\n`, ...files };
  const { service, offset } = serviceWithCursor(all, target);
  return service.hover(target, offset)?.markdown;
}

test('a location path: the URIs it serves, and which location takes those its name suggests', () => {
  const markdown = hoverAt(`server {
  location ~* \\.js$ { }
  location /ws|/ { }
  location / { }
}`);
  assert.equal(markdown, [
    '**location /ws/**',
    '',
    '**Serves**, for example: `/ws/`, `/ws/x`, `/ws/index.html`',
    '',
    '**Served elsewhere:**',
    '- `/ws/a/b.js` → `location ~* \\.js$` (line 4)',
    '- `/ws` → `location /` (line 6)',
    '- `/WS/` → `location /` (line 6)',
  ].join('\n'));
});

test('a location no URI reaches says so; a named one is never matched from outside', () => {
  assert.match(hoverAt('server { location ~ ^/api { } location /api/v|1/ { } }')!, /\*\*Serves\*\* none of the URIs its name suggests[\s\S]*`\/api\/v1\/` → `location ~ \^\/api` \(line 3\)/);
  assert.match(hoverAt('server { location @fall|back { } }')!, /never matched from outside/);
});

test('in an included file, the location is read in its server; the directive name keeps its docs', () => {
  const files = { '/etc/nginx/conf.d/app.conf': 'location = /hea|lth { }\n' };
  const markdown = hoverAt('server { listen 80; include conf.d/app.conf; location / { } }', files, '/etc/nginx/conf.d/app.conf');
  assert.match(markdown!, /\*\*Serves\*\*, for example: `\/health`/);
  assert.match(hoverAt('server { locat|ion / { } }')!, /ngx_http_core_module/);
});
