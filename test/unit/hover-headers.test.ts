// Hover on a `location`: the headers it really sends, from the level in force, empty entries
// marked as not sent, map values followed, and nginx's own defaults by target release.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceWithCursor } from '../support/service';

const MAIN = '/etc/nginx/nginx.conf';
const SITE = '/etc/nginx/sites-enabled/app.conf';

const hoverAt = (files: Record<string, string>, target: string, version?: string) => {
  const { service, offset } = serviceWithCursor(files, target);
  if (version) service.settings = { ...service.settings, version };
  return service.hover(target, offset)?.markdown ?? '';
};

const files = {
  [MAIN]: [
    'events {}',
    'http {',
    '    map $http_upgrade $connection_upgrade {',
    '        default upgrade;',
    "        ''      close;",
    '    }',
    '    add_header X-Frame-Options DENY;',
    '    include sites-enabled/*.conf;',
    '}',
    '',
  ].join('\n'),
  [SITE]: [
    'server {',
    '    proxy_set_header Host $host;',
    '    proxy_set_header Upgrade $http_upgrade;',
    '    proxy_set_header Connection $connection_upgrade;',
    '    proxy_set_header Connection "";',
    '    loc|ation /ws {',
    '        proxy_pass http://127.0.0.1:3000;',
    '    }',
    '    location /api/ {',
    '        proxy_pass http://127.0.0.1:3000;',
    '        proxy_set_header X-Real-IP $remote_addr;',
    '    }',
    '}',
    '',
  ].join('\n'),
};

test('hover on a location: the inherited list, the level it comes from, what nginx skips and adds', () => {
  const markdown = hoverAt(files, SITE, '1.22');
  assert.match(markdown, /\*\*Headers sent to the upstream\*\* — proxy_set_header from server \(line 1\)/);
  assert.match(markdown, /- Host: `\$host`\n- Upgrade: `\$http_upgrade`\n- Connection: `\$connection_upgrade` → `close` \| `upgrade`\n- ~~Connection: `""`~~ not sent \(empty value\)/);
  // Host is set, Connection too: no nginx default is left to add.
  assert.doesNotMatch(markdown, /default\)/);
  assert.match(markdown, /\*\*Headers added to the response\*\* — add_header from http \(\/etc\/nginx\/nginx\.conf, line 2\)\n\n- X-Frame-Options: `DENY`/);
});

test('a location with its own list: only its entries, and the defaults of the target release', () => {
  const api = { ...files, [SITE]: files[SITE].replace('loc|ation /ws', 'location /ws').replace('location /api/', 'location| /api/') };
  const old = hoverAt(api, SITE, '1.22');
  assert.match(old, /proxy_set_header from this location\n\n- X-Real-IP: `\$remote_addr`\n- Host: `\$proxy_host` \(nginx 1\.22 default\)\n- Connection: `close` \(nginx 1\.22 default\)/);
  assert.doesNotMatch(old, /Upgrade/);
  const current = hoverAt(api, SITE, '1.31');
  assert.match(current, /- Host: `\$proxy_host` \(nginx 1\.31 default\)/);
  assert.doesNotMatch(current, /Connection/, 'nginx 1.29.7 and later send no Connection header by default');
});

test('no header section for a location that proxies nothing and adds nothing, nor on other directives', () => {
  const plain = { [MAIN]: 'events {}\nhttp {\n    server {\n        locat|ion / {\n            root /srv;\n        }\n    }\n}\n' };
  assert.doesNotMatch(hoverAt(plain, MAIN), /Headers/);
  const onServer = { ...files, [SITE]: files[SITE].replace('loc|ation /ws', 'location /ws').replace('server {', 'ser|ver {') };
  assert.doesNotMatch(hoverAt(onServer, SITE), /Headers sent/);
});
