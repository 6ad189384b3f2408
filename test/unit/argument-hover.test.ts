// Hover on arguments (issue 16, item 4): upstream names, include patterns, variables defined in
// another file or by a named capture, each place as a file:line link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceWithCursor } from '../support/service';

const MAIN = '/etc/nginx/nginx.conf';
const SITE = '/etc/nginx/conf.d/app.conf';
const files: Record<string, string> = {
  [MAIN]: [
    'events {}',
    'http {',
    '  map $http_upgrade $connection_upgrade {',
    '    default upgrade;',
    "    '' close;",
    '  }',
    '  upstream backend {',
    '    server 127.0.0.1:3000;',
    '    server 127.0.0.1:3001 backup;',
    '    keepalive 16;',
    '  }',
    '  include conf.d/*.conf;',
    '  include missing/*.conf;',
    '}',
    '',
  ].join('\n'),
  [SITE]: [
    'server {',
    '  listen 80;',
    '  location ~ ^/(?<app>\\w+)/ {',
    '    proxy_pass http://backend;',
    '    proxy_set_header Connection $connection_upgrade;',
    '    add_header X-App $app;',
    '  }',
    '  location /api/ { grpc_pass grpc://backend; }',
    '}',
    '',
  ].join('\n'),
  '/etc/nginx/conf.d/other.conf': 'server { listen 81; }\n',
};

/** The hover's Markdown with the cursor just inside `marker` (+ `delta` characters) of `path`. */
function hoverOn(path: string, marker: string, delta = 1): string | undefined {
  const text = files[path];
  const at = text.indexOf(marker);
  assert.ok(at >= 0, marker);
  const { service, offset } = serviceWithCursor({ ...files, [path]: text.slice(0, at + delta) + '|' + text.slice(at + delta) }, path);
  return service.hover(path, offset)?.markdown;
}

test('an upstream name in proxy_pass: servers, keepalive, where it is defined as a link, uses', () => {
  const markdown = hoverOn(SITE, 'backend;', 2)!;
  assert.match(markdown, /\*\*upstream backend\*\*/);
  assert.match(markdown, /Defined in \[\/etc\/nginx\/nginx\.conf:7\]\(file:\/\/\/etc\/nginx\/nginx\.conf#L7\)/);
  assert.match(markdown, /- `server 127\.0\.0\.1:3000;`\n- `server 127\.0\.0\.1:3001 backup;`\n- `keepalive 16;`/);
  assert.match(markdown, /Used by 2 `\*_pass` directives\./);
});

test('the same on the name of the upstream block itself', () => {
  const markdown = hoverOn(MAIN, 'backend {', 2)!;
  assert.match(markdown, /file:\/\/\/etc\/nginx\/nginx\.conf#L7/);
  assert.match(markdown, /Used by 2/);
  // A host that is no upstream: no upstream hover.
  assert.equal(hoverOn(SITE, 'listen 80', 8), undefined);
});

test('an include pattern: the files it matches as links, or that it matches none', () => {
  const glob = hoverOn(MAIN, 'conf.d/*.conf', 3)!;
  assert.match(glob, /Matches 2 files:\n- \[\/etc\/nginx\/conf\.d\/app\.conf\]\(file:\/\/\/etc\/nginx\/conf\.d\/app\.conf\)\n- \[\/etc\/nginx\/conf\.d\/other\.conf\]/);
  assert.match(hoverOn(MAIN, 'missing/*.conf', 3)!, /Matches no file\./);
});

test('a variable defined in another file: the file and its 1-based line as a link', () => {
  const markdown = hoverOn(SITE, '$connection_upgrade;', 3)!;
  assert.match(markdown, /`map \$http_upgrade \$connection_upgrade \{ … \}` \(\[\/etc\/nginx\/nginx\.conf:3\]\(file:\/\/\/etc\/nginx\/nginx\.conf#L3\)\)/);
});

test('a named capture: the regex that sets it, with its place', () => {
  const markdown = hoverOn(SITE, '$app;', 2)!;
  assert.match(markdown, /\*\*\$app\*\* · named capture/);
  assert.match(markdown, /`\^\/\(\?<app>\\w\+\)\/` \(\[\/etc\/nginx\/conf\.d\/app\.conf:3\]\(file:\/\/\/etc\/nginx\/conf\.d\/app\.conf#L3\)\)/);
});
