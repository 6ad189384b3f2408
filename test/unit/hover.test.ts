import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LanguageService } from '../../server/src/features/service';
import { memoryFs } from '../support/memoryFs';
import { serviceWithCursor } from '../support/service';

const hoverAt = (files: Record<string, string>, target: string) => {
  const { service, offset } = serviceWithCursor(files, target);
  return service.hover(target, offset)?.markdown;
};
const one = (text: string) => hoverAt({ '/etc/nginx/nginx.conf': text }, '/etc/nginx/nginx.conf');

test('directive hover: syntax, default, contexts, module, link', () => {
  const markdown = one('http {\n  server {\n    location / {\n      proxy_read_ti|meout 1h;\n    }\n  }\n}\n')!;
  assert.match(markdown, /```nginx\nproxy_read_timeout time;\n```/);
  assert.match(markdown, /\*\*Default:\*\* `proxy_read_timeout 60s;`/);
  assert.match(markdown, /\*\*Context:\*\* http, server, location/);
  assert.match(markdown, /ngx_http_proxy_module/);
  assert.match(markdown, /\(https:\/\/nginx\.org\/en\/docs\/http\/ngx_http_proxy_module\.html#proxy_read_timeout\)/);
});

test('the same name in http and stream: the docs of the context that applies', () => {
  const http = one('events {}\nhttp {\n  server {\n    location / {\n      proxy_pa|ss http://127.0.0.1;\n    }\n  }\n}\n')!;
  assert.match(http, /ngx_http_proxy_module/);
  assert.doesNotMatch(http, /ngx_stream_proxy_module/);
  const stream = one('events {}\nstream {\n  server {\n    listen 12345;\n    proxy_pa|ss 127.0.0.1:22;\n  }\n}\n')!;
  assert.match(stream, /ngx_stream_proxy_module/);
  assert.doesNotMatch(stream, /ngx_http_proxy_module/);
});

test('built-in variables, including $http_NAME families', () => {
  assert.match(one('http {\n  log_format x $remote_ad|dr;\n}\n')!, /\$remote_addr\*\* · `ngx_http_core_module`/);
  assert.match(one('http {\n  map $http_upg|rade $c { default upgrade; }\n}\n')!, /arbitrary request header field/);
});

test('user variables: where they are defined and their value', () => {
  const files = {
    '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  map $http_upgrade $connection_upgrade {\n    default upgrade;\n  }\n  include sites/*.conf;\n}\n',
    '/etc/nginx/sites/app.conf': 'server {\n  set $root_dir /srv/app;\n  location / {\n    root $root_d|ir;\n    proxy_set_header Connection $connection_upgrade;\n  }\n}\n',
  };
  const markdown = hoverAt(files, '/etc/nginx/sites/app.conf')!;
  assert.match(markdown, /user variable/);
  assert.match(markdown, /`set \$root_dir \/srv\/app;` \(this file, line 2\)/);
  const mapped = hoverAt({ ...files, '/etc/nginx/sites/app.conf': files['/etc/nginx/sites/app.conf'].replace('$root_d|ir', '$root_dir').replace('$connection_upgrade;', '$connection_up|grade;') }, '/etc/nginx/sites/app.conf')!;
  // Another file's definition: its file and 1-based line, as a link the editor opens at the line.
  assert.match(mapped, /`map \$http_upgrade \$connection_upgrade \{ … \}` \(\[\/etc\/nginx\/nginx\.conf:3\]\(file:\/\/\/etc\/nginx\/nginx\.conf#L3\)\)/);
});

test('nothing on unknown words', () => {
  assert.equal(one('http {\n  foo|bar 1;\n}\n'), undefined);
});

test('directive hover: the release it appeared in, a warning when the target version lacks it, and undocumented directives', () => {
  const text = 'events {}\nhttp {\n  server {\n    http2 on;\n    post_action @after;\n    location @after { return 204; }\n  }\n}\n';
  const service = new LanguageService(memoryFs({ '/etc/nginx/nginx.conf': text }));
  service.setRoots(['/etc/nginx/nginx.conf']);
  const at = (marker: string) => service.hover('/etc/nginx/nginx.conf', text.indexOf(marker) + 1)?.markdown ?? '';
  assert.match(at('http2 on'), /\*\*Since:\*\* nginx 1\.25\.1 /);
  assert.doesNotMatch(at('http2 on'), /Not in nginx/);
  service.settings = { ...service.settings, version: '1.24' };
  assert.match(at('http2 on'), /\*\*Not in nginx 1\.24\*\*, the target version/);
  assert.match(at('post_action'), /\*\*post_action\*\* · `ngx_http_core_module`[\s\S]*nginx\.org does not document it/);
});
