// Every quick fix of the WebSocket rules, applied to broken configurations: the real `nginx -t`
// must accept the result, re-analysis must no longer report what the fix fixes (nor anything new
// for that location), and the inserted lines must be indented like their block.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { nginxAvailable, nginxTest } from '../support/nginx';
import { ETC, MAIN, forNginx, indentationProblems, lines, spanText, wsFindings } from '../support/websocket';

const skip = nginxAvailable() ? false : 'nginx not installed';

/** Certificate lines for servers that already have TLS (the paths are replaced by real ones). */
const CERTS = ['ssl_certificate /etc/ssl/placeholder.pem;', 'ssl_certificate_key /etc/ssl/placeholder.key;'];

interface Case {
  name: string;
  files: Record<string, string>;
  /** The file analysed (its findings' fixes are applied); nginx.conf by default. */
  target?: string;
  /** The files' indentation step. */
  unit: string;
  /** Fixes that must be offered: [code, title pattern]. Every offered fix is tested, these included. */
  offered: Array<[string, RegExp]>;
}

const cases: Case[] = [
  {
    name: 'one-line location with nothing but proxy_pass, plain HTTP',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 80;',
        '        server_name ws.example.com;',
        '        location /ws { proxy_pass http://127.0.0.1:3000; }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-missing-http-version', /^Add "proxy_http_version 1\.1;"/],
      ['ws-missing-upgrade', /^Add "proxy_set_header Upgrade \$websocket_upgrade;" and the maps that pass only "websocket"$/],
      ['ws-missing-connection', /^Add 'proxy_set_header Connection "upgrade";'/],
      ['ws-missing-connection', /map \$http_upgrade \$connection_upgrade at http level/],
      ['ws-read-timeout', /proxy_read_timeout 3600s/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'one-line location with an upgrade header on location /',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 80;',
        '        location / { proxy_pass http://127.0.0.1:3000; proxy_set_header Upgrade $http_upgrade; }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-missing-http-version', /^Add/],
      ['ws-missing-connection', /^Add 'proxy_set_header Connection "upgrade";'/],
      ['ws-missing-connection', /at http level/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'one-line `location / { proxy_pass ...; }` under server-level upgrade headers',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 8080;',
        '        proxy_set_header Upgrade $http_upgrade;',
        '        proxy_set_header Connection "upgrade";',
        '        location / { proxy_pass http://127.0.0.1:3000; }',
        '        location /static/ { proxy_pass http://127.0.0.1:3001; proxy_set_header Host $host; }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-missing-http-version', /^Add/],
      ['ws-headers-not-inherited', /^Re-declare Upgrade and Connection in this location$/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'proxy_pass and headers in a snippet: lines go to the top of the location',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 443 ssl;',
        ...CERTS.map((line) => '        ' + line),
        '        location /ws',
        '        {',
        '            include snippets/ws-proxy.conf;',
        '        }',
        '    }',
        '}',
      ),
      [`${ETC}/snippets/ws-proxy.conf`]: lines(
        'proxy_pass http://127.0.0.1:3000;',
        'proxy_set_header Upgrade $http_upgrade;',
        'proxy_set_header Host $host;',
      ),
    },
    offered: [
      ['ws-missing-http-version', /^Add/],
      ['ws-missing-connection', /^Add 'proxy_set_header Connection "upgrade";'$/],
      ['ws-missing-connection', /at http level/],
      ['ws-read-timeout', /^Raise/],
    ],
  },
  {
    name: 'location with its own Host header, two-space indentation, comments',
    unit: '  ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '  server {',
        '    listen 443 ssl;',
        ...CERTS.map((line) => '    ' + line),
        '    location /socket.io/ { # the socket endpoint',
        '      proxy_pass http://127.0.0.1:3000; # node',
        '      proxy_http_version 1.1;',
        '      proxy_set_header Host $host; # keep the name',
        '      proxy_read_timeout 1h;',
        '    }',
        '  }',
        '}',
      ),
    },
    offered: [
      ['ws-missing-upgrade', /^Add "proxy_set_header Upgrade \$websocket_upgrade;" and the maps that pass only "websocket"$/],
      ['ws-missing-connection', /^Add 'proxy_set_header Connection "upgrade";'$/],
      ['ws-missing-connection', /at http level/],
    ],
  },
  {
    name: 'server → location: a Host header in the location drops the upgrade headers',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 80;',
        '        server_name legacy.example.com;',
        '        proxy_http_version 1.1;',
        '        proxy_set_header Upgrade $http_upgrade;',
        '        proxy_set_header Connection "upgrade";',
        '        proxy_read_timeout 1h;',
        '        location /socket.io/ {',
        '            proxy_set_header Host $host;',
        '            proxy_pass http://127.0.0.1:3000;',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-headers-not-inherited', /^Re-declare Upgrade and Connection in this location$/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'location → nested location',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 443 ssl;',
        ...CERTS.map((line) => '        ' + line),
        '        location /app/ {',
        '            proxy_pass http://127.0.0.1:3000;',
        '            proxy_http_version 1.1;',
        '            proxy_set_header Upgrade $http_upgrade;',
        '            proxy_set_header Connection "upgrade";',
        '            proxy_read_timeout 1h;',
        '            location /app/ws {',
        '                proxy_pass http://127.0.0.1:3001;',
        '                proxy_set_header X-Real-IP $remote_addr;',
        '            }',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [['ws-headers-not-inherited', /^Re-declare Upgrade and Connection in this location$/]],
  },
  {
    name: 'server → parent location with its own list → nested location',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 443 ssl;',
        ...CERTS.map((line) => '        ' + line),
        '        proxy_http_version 1.1;',
        '        proxy_read_timeout 1h;',
        '        proxy_set_header Upgrade $http_upgrade;',
        '        proxy_set_header Connection "upgrade";',
        '        location /app/ {',
        '            proxy_set_header Host $host;',
        '            location /app/hub {',
        '                proxy_pass http://127.0.0.1:3000;',
        '            }',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [['ws-headers-not-inherited', /^Re-declare Upgrade and Connection in the enclosing location$/]],
  },
  {
    name: 'http level → a server with its own header list, location in sites-enabled',
    target: `${ETC}/sites-enabled/app.conf`,
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    map $http_upgrade $connection_upgrade {',
        '        default upgrade;',
        "        ''      close;",
        '    }',
        '    proxy_http_version 1.1;',
        '    proxy_set_header Upgrade $http_upgrade;',
        '    proxy_set_header Connection $connection_upgrade;',
        '    include sites-enabled/*.conf;',
        '}',
      ),
      [`${ETC}/sites-enabled/app.conf`]: lines(
        'server {',
        '    listen 443 ssl;',
        ...CERTS.map((line) => '    ' + line),
        '    proxy_set_header Host $host;',
        '    location /ws {',
        '        proxy_pass http://127.0.0.1:3000;',
        '        proxy_read_timeout 1h;',
        '    }',
        '}',
      ),
    },
    offered: [['ws-headers-not-inherited', /^Re-declare Upgrade and Connection in this server$/]],
  },
  {
    name: 'explicit HTTP/1.0 and Connection "" in the location',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 443 ssl;',
        ...CERTS.map((line) => '        ' + line),
        '        location /ws {',
        '            proxy_pass http://127.0.0.1:3000;',
        '            proxy_http_version 1.0;',
        '            proxy_set_header Upgrade $http_upgrade;',
        '            proxy_set_header Connection "";',
        '            proxy_read_timeout 1h;',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-missing-http-version', /^Change to "proxy_http_version 1\.1;"$/],
      ['ws-missing-connection', /^Change to 'proxy_set_header Connection "upgrade";'$/],
      ['ws-missing-connection', /at http level/],
    ],
  },
  {
    name: 'Connection close and an empty Upgrade in the location',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 443 ssl;',
        ...CERTS.map((line) => '        ' + line),
        '        location /cable {',
        '            proxy_pass http://127.0.0.1:3000;',
        '            proxy_http_version 1.1;',
        '            proxy_set_header Upgrade "";',
        '            proxy_set_header Connection close;',
        '            proxy_read_timeout 1h;',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-missing-upgrade', /Upgrade \$websocket_upgrade/],
      ['ws-missing-connection', /^Change to/],
    ],
  },
  {
    name: 'HTTP/1.0 inherited from the server, Connection "" (upstream keepalive) set at http level',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    upstream backend {',
        '        server 127.0.0.1:3000;',
        '        keepalive 16;',
        '    }',
        '    proxy_set_header Upgrade $http_upgrade;',
        '    proxy_set_header Connection "";',
        '    proxy_set_header Host $host;',
        '    server {',
        '        listen 443 ssl;',
        ...CERTS.map((line) => '        ' + line),
        '        proxy_http_version 1.0;',
        '        location /hub {',
        '            proxy_pass http://backend;',
        '            proxy_read_timeout 1h;',
        '        }',
        '        location /api/ {',
        '            proxy_pass http://backend;',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-missing-http-version', /^Add "proxy_http_version 1\.1;"$/],
      ['ws-missing-connection', /^Add 'proxy_set_header Connection "upgrade";' \(and re-declare/],
      ['ws-missing-connection', /at http level/],
    ],
  },
  {
    name: 'CRLF line endings',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 80;',
        '        location /websocket {',
        '            proxy_pass http://127.0.0.1:3000;',
        '        }',
        '    }',
        '}',
      ).replace(/\n/g, '\r\n'),
    },
    offered: [
      ['ws-missing-http-version', /^Add/],
      ['ws-missing-upgrade', /^Add/],
      ['ws-missing-connection', /^Add/],
      ['ws-missing-connection', /at http level/],
      ['ws-read-timeout', /^Raise/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'tab indentation',
    unit: '\t',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '\tserver {',
        '\t\tlisten 80;',
        '\t\tproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '\t\tlocation /sockjs/ {',
        '\t\t\tproxy_pass http://127.0.0.1:3000;',
        '\t\t}',
        '\t}',
        '}',
      ),
    },
    offered: [
      ['ws-missing-http-version', /^Add/],
      ['ws-missing-upgrade', /\(and re-declare the 1 inherited proxy_set_header\)/],
      ['ws-missing-connection', /^Add/],
      ['ws-missing-connection', /at http level/],
      ['ws-read-timeout', /^Raise/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'a location in an included sites-enabled file',
    target: `${ETC}/sites-enabled/app.conf`,
    unit: '    ',
    files: {
      [MAIN]: lines('events {}', 'http {', '    include mime.types;', '    include sites-enabled/*.conf;', '}'),
      [`${ETC}/mime.types`]: lines('types {', '    text/html html;', '}'),
      [`${ETC}/sites-enabled/app.conf`]: lines(
        'server {',
        '    listen 80;',
        '    listen [::]:80;',
        '    server_name app.example.com www.app.example.com;',
        '    location /ws/ {',
        '        proxy_pass http://127.0.0.1:3000;',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-missing-http-version', /^Add/],
      ['ws-missing-upgrade', /^Add/],
      ['ws-missing-connection', /^Add/],
      ['ws-missing-connection', /at http level/],
      ['ws-read-timeout', /^Raise/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'a location block in an included snippet, the map already defined',
    target: `${ETC}/locations/ws.conf`,
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    map $http_upgrade $connection_upgrade {',
        '        default upgrade;',
        "        ''      close;",
        '    }',
        '    server {',
        '        listen 8080;',
        '        include locations/*.conf;',
        '    }',
        '}',
      ),
      [`${ETC}/locations/ws.conf`]: lines(
        'location /ws {',
        '    proxy_pass http://127.0.0.1:3000;',
        '    proxy_http_version 1.1;',
        '    proxy_set_header Upgrade $http_upgrade;',
        '}',
      ),
    },
    offered: [
      ['ws-missing-connection', /^Add 'proxy_set_header Connection "upgrade";'$/],
      ['ws-missing-connection', /^Add "proxy_set_header Connection \$connection_upgrade;" \(map from \$http_upgrade\)$/],
      ['ws-read-timeout', /^Raise/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'HTTP/1.0 in a snippet included by the location',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 443 ssl;',
        ...CERTS.map((line) => '        ' + line),
        '        location /ws {',
        '            proxy_pass http://127.0.0.1:3000;',
        '            include snippets/proxy.conf;',
        '        }',
        '    }',
        '}',
      ),
      [`${ETC}/snippets/proxy.conf`]: lines(
        'proxy_http_version 1.0;',
        'proxy_set_header Upgrade $http_upgrade;',
        'proxy_set_header Connection "upgrade";',
        'proxy_read_timeout 1h;',
      ),
    },
    offered: [['ws-missing-http-version', /^Change to "proxy_http_version 1\.1;"$/]],
  },
  {
    name: 'TLS for a default server on port 80 (IPv4 and IPv6)',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 80 default_server;',
        '        listen [::]:80 default_server;',
        '        server_name _;',
        '        location /ws {',
        '            proxy_pass http://127.0.0.1:3000;',
        '            proxy_http_version 1.1;',
        '            proxy_set_header Upgrade $http_upgrade;',
        '            proxy_set_header Connection "upgrade";',
        '            proxy_read_timeout 1h;',
        '        }',
        '    }',
        '    server {',
        '        listen 80;',
        '        server_name other.example.com;',
        '        return 404;',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'TLS for a server with no listen directive (nginx listens on *:80)',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        server_name ws.example.com;',
        '        location /ws {',
        '            proxy_pass http://127.0.0.1:3000;',
        '            proxy_http_version 1.1;',
        '            proxy_set_header Upgrade $http_upgrade;',
        '            proxy_set_header Connection "upgrade";',
        '            proxy_read_timeout 1h;',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'TLS for a server that already has session settings, and TLS settings at http level',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    ssl_session_cache shared:MozSSL:20m;',
        '    ssl_protocols TLSv1.2 TLSv1.3;',
        '    server {',
        '        listen 8080;',
        '        ssl_session_timeout 1h;',
        '        ssl_session_tickets off;',
        '        ssl_prefer_server_ciphers off;',
        '        location /ws {',
        '            proxy_pass http://127.0.0.1:3000;',
        '            proxy_http_version 1.1;',
        '            proxy_set_header Upgrade $http_upgrade;',
        '            proxy_set_header Connection "upgrade";',
        '            proxy_read_timeout 1h;',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'TLS next to a server that declares the MozSSL session cache with another size',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 443 ssl;',
        ...CERTS.map((line) => '        ' + line),
        '        server_name secure.example.com;',
        '        ssl_session_cache shared:MozSSL:20m;',
        '    }',
        '    server {',
        '        listen 80;',
        '        server_name ws.example.com;',
        '        location /ws {',
        '            proxy_pass http://127.0.0.1:3000;',
        '            proxy_http_version 1.1;',
        '            proxy_set_header Upgrade $http_upgrade;',
        '            proxy_set_header Connection "upgrade";',
        '            proxy_read_timeout 1h;',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'TLS for a server listening on port 443 without ssl',
    unit: '    ',
    files: {
      [MAIN]: lines(
        'events {}',
        'http {',
        '    server {',
        '        listen 80;',
        '        listen 443;',
        '        location /ws {',
        '            proxy_pass http://127.0.0.1:3000;',
        '            proxy_http_version 1.1;',
        '            proxy_set_header Upgrade $http_upgrade;',
        '            proxy_set_header Connection "upgrade";',
        '            proxy_read_timeout 1h;',
        '        }',
        '    }',
        '}',
      ),
    },
    offered: [
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'closing braces on the last directive\'s line, no final line break',
    target: `${ETC}/conf.d/app.conf`,
    unit: '    ',
    files: {
      [MAIN]: lines('events {}', 'http {', '    include conf.d/*.conf;', '}'),
      [`${ETC}/conf.d/app.conf`]: [
        'server {',
        '    listen 80;',
        '    location /ws/ {',
        '        proxy_pass http://127.0.0.1:3000; }',
        '    return 404; }',
      ].join('\n'),
    },
    offered: [
      ['ws-missing-http-version', /^Add/],
      ['ws-missing-upgrade', /^Add/],
      ['ws-missing-connection', /^Add/],
      ['ws-missing-connection', /at http level/],
      ['ws-read-timeout', /^Raise/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
  {
    name: 'the shipped examples: the legacy app behind the chat app',
    target: `${ETC}/sites-enabled/legacy-app.conf`,
    unit: '    ',
    files: Object.fromEntries(
      ['nginx.conf', 'mime.types', 'sites-enabled/chat.conf', 'sites-enabled/legacy-app.conf', 'snippets/websocket.conf'].map((name) => [
        `${ETC}/${name}`,
        readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'),
      ]),
    ),
    offered: [
      ['ws-missing-http-version', /^Add/],
      ['ws-headers-not-inherited', /^Re-declare Upgrade and Connection in this location$/],
      ['ws-no-tls', /^Add TLS/],
      ['ws-no-tls', /redirect/],
    ],
  },
];

/** The location header a finding is shown on, to find the same location after a fix. */
const header = (files: Record<string, string>, finding: { file: string; span: { start: number; end: number } }) =>
  spanText(files, finding.file, finding.span);

for (const c of cases) {
  const target = c.target ?? MAIN;
  describe(c.name, () => {
    const findings = wsFindings(c.files, target);

    test('the broken configuration is consistently indented (table check)', () => {
      for (const [file, text] of Object.entries(c.files)) assert.deepEqual(indentationProblems(text, c.unit), [], file);
    });

    test('the broken configuration passes nginx -t', { skip }, () => {
      const result = nginxTest(forNginx(c.files), 'nginx.conf');
      assert.ok(result.ok, result.output);
    });

    test('the expected fixes are offered', () => {
      const offered = findings.flatMap((f) => (f.fixes ?? []).map((fix) => `${f.code}: ${fix.title}`));
      for (const [code, title] of c.offered) {
        assert.ok(
          findings.some((f) => f.code === code && f.fixes?.some((fix) => title.test(fix.title))),
          `expected a ${code} fix matching ${title}; offered:\n${offered.join('\n')}`,
        );
      }
    });

    for (const finding of findings) {
      const location = header(c.files, finding);
      const codesBefore = new Set(findings.filter((f) => header(c.files, f) === location).map((f) => f.code));
      for (const fix of finding.fixes ?? []) {
        describe(`${finding.code} at "${location}": ${fix.title}`, () => {
          const fixed = applyEdits(c.files, fix.edits);

          test('re-analysis: the finding is gone, nothing new for the location, no errors', () => {
            const after = wsFindings(fixed, target).filter((f) => header(fixed, f) === location);
            assert.deepEqual(after.filter((f) => f.code === finding.code).map((f) => f.message), []);
            // A fix that re-declares the user's own `Upgrade $http_upgrade` brings its h2c finding along.
            const userOpensUpgrade = Object.values(c.files).some((text) => /Upgrade\s+\$http_upgrade\b/i.test(text));
            const added = after
              .filter((f) => !codesBefore.has(f.code) && !(userOpensUpgrade && f.code === 'ws-upgrade-unrestricted'))
              .map((f) => `${f.code}: ${f.message}`);
            assert.deepEqual(added, []);
            for (const file of Object.keys(fixed)) {
              if (!file.endsWith('.conf')) continue;
              const errors = analyzeFiles(fixed, file).filter((f) => f.severity === 'error');
              assert.deepEqual(errors.map((f) => `${f.code}: ${f.message}`), [], file);
            }
          });

          test('inserted lines are indented like their block, with the file\'s line endings', () => {
            for (const [file, text] of Object.entries(fixed)) {
              if (text === c.files[file]) continue;
              assert.deepEqual(indentationProblems(text, c.unit), [], `${file}:\n${text}`);
              if (c.files[file].includes('\r\n')) assert.doesNotMatch(text, /[^\r]\n/, 'a bare LF in a CRLF file');
            }
          });

          test('nginx -t accepts the result', { skip }, () => {
            const result = nginxTest(forNginx(fixed), 'nginx.conf');
            assert.ok(result.ok, `${result.output}\n${Object.entries(fixed).map(([f, t]) => `--- ${f}\n${t}`).join('\n')}`);
          });
        });
      }
    }
  });
}
