// ws-no-tls (Information): a WebSocket endpoint on a server with no TLS listener, so only ws://
// (unencrypted) is served. The fixes are offered on the location, on the `server` keyword and on
// its listen lines (related locations).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { configTest, liveJudges } from '../support/liveProxy';
import { ETC, MAIN, forNginx, httpConf, lines, relatedOf, shownAt, wsFindings } from '../support/websocket';

const CODE = 'ws-no-tls';
const findings = (files: Record<string, string>, target = MAIN) => wsFindings(files, target, CODE);

const LOCATION = [
  'location /ws {',
  '    proxy_pass http://127.0.0.1:3000;',
  '    proxy_http_version 1.1;',
  '    proxy_set_header Upgrade $http_upgrade;',
  '    proxy_set_header Connection "upgrade";',
  '    proxy_read_timeout 1h;',
  '}',
];
const server = (...body: string[]) => ['    server {', ...[...body, ...LOCATION].map((line) => '        ' + line), '    }'];
const TITLES = ['Add TLS: listen 443 ssl with certificate placeholders (wss://; the certificate pair must exist)', 'Add TLS and redirect http:// to https:// (port-80 server)'];

test('plain HTTP: information on the location line, related to the server and its listeners', () => {
  const files = { [MAIN]: httpConf(...server('listen 80;', 'listen [::]:80;', 'server_name chat.example.com;')) };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'information');
  assert.equal(shownAt(files, finding), '7: location /ws');
  assert.match(finding.message, /ws:\/\//);
  assert.match(finding.message, /unencrypted/);
  assert.deepEqual(relatedOf(files, finding), [
    'nginx.conf:3: server — this server has no TLS listener',
    'nginx.conf:4: listen 80; — plain-HTTP listener',
    'nginx.conf:5: listen [::]:80; — plain-HTTP listener',
  ]);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), TITLES);
});

test('the TLS fix: listens, certificate placeholders named after the server, Mozilla intermediate settings', () => {
  const files = { [MAIN]: httpConf(...server('listen 80;', 'server_name chat.example.com;')) };
  const [addTls, redirect] = findings(files)[0].fixes ?? [];
  const fixed = applyEdits(files, addTls.edits)[MAIN];
  for (const line of [
    'listen 80;',
    'listen 443 ssl;',
    '# The certificate pair must exist (certbot certonly -d chat.example.com, or your own files).',
    'ssl_certificate /etc/letsencrypt/live/chat.example.com/fullchain.pem;',
    'ssl_certificate_key /etc/letsencrypt/live/chat.example.com/privkey.pem;',
    'ssl_protocols TLSv1.2 TLSv1.3;',
    'ssl_prefer_server_ciphers off;',
    'ssl_session_timeout 1d;',
    'ssl_session_cache shared:MozSSL:10m;',
    'ssl_session_tickets off;',
  ]) {
    assert.ok(fixed.includes(`\n        ${line}\n`), `${line} in\n${fixed}`);
  }
  // Mozilla's intermediate profile has ECDHE suites only: no DHE, so no ssl_dhparam to add.
  assert.match(fixed, /ssl_ciphers ECDHE-[^;]*CHACHA20-POLY1305;/);
  assert.doesNotMatch(fixed, /[:\s]DHE-|\[::\]:443/);
  const moved = applyEdits(files, redirect.edits)[MAIN];
  assert.match(moved, /server \{\n {8}listen 443 ssl;\n/);
  assert.match(moved, /\n {4}server \{\n {8}listen 80;\n {8}server_name chat\.example\.com;\n {8}return 301 https:\/\/\$host\$request_uri;\n {4}\}\n/);
  assert.equal(moved.match(/listen 80;/g)?.length, 1, 'port 80 moved to the redirect server');
});

test('no listen at all (nginx listens on *:80): the TLS fix keeps port 80', () => {
  const files = { [MAIN]: httpConf(...server('server_name chat.example.com;')) };
  const [finding] = findings(files);
  assert.deepEqual(relatedOf(files, finding), ['nginx.conf:3: server — this server has no TLS listener']);
  const fixed = applyEdits(files, finding.fixes![0].edits)[MAIN];
  assert.match(fixed, /server \{\n {8}listen 80;\n {8}listen 443 ssl;\n/);
});

test('a listen on 443 without ssl gets ssl rather than a duplicate listen', () => {
  const files = { [MAIN]: httpConf(...server('listen 443;')) };
  const fixed = applyEdits(files, findings(files)[0].fixes![0].edits)[MAIN];
  assert.equal(fixed.match(/listen [^;]*443[^;]*;/g)?.join(' '), 'listen 443 ssl;');
});

test('TLS settings the server has or inherits are not added again', () => {
  const files = {
    [MAIN]: httpConf(
      '    ssl_certificate /etc/ssl/site.pem;',
      '    ssl_certificate_key /etc/ssl/site.key;',
      '    ssl_session_cache shared:SSL:20m;',
      ...server('listen 80;', 'ssl_protocols TLSv1.3;', 'ssl_session_tickets on;'),
    ),
  };
  const fixed = applyEdits(files, findings(files)[0].fixes![0].edits)[MAIN];
  for (const name of ['ssl_certificate', 'ssl_certificate_key', 'ssl_session_cache', 'ssl_protocols', 'ssl_session_tickets']) {
    assert.equal(fixed.match(new RegExp(`\\b${name} `, 'g'))?.length, 1, name);
  }
  assert.match(fixed, /ssl_ciphers /);
});

test('the redirect keeps listen options (default_server) on port 80, with the server names', () => {
  const files = { [MAIN]: httpConf(...server('listen 80 default_server;', 'listen [::]:80 default_server;', 'server_name _ www.example.com;')) };
  const moved = applyEdits(files, findings(files)[0].fixes![1].edits)[MAIN];
  // Twice on 443 (the TLS twins keep it) and twice on 80 in the redirect server.
  assert.equal(moved.match(/default_server/g)?.length, 4);
  assert.match(moved, /listen 443 ssl default_server;\n {8}listen \[::\]:443 ssl default_server;/);
  assert.match(moved, /server \{\n {8}listen 80 default_server;\n {8}listen \[::\]:80 default_server;\n {8}server_name _ www\.example\.com;\n {8}return 301/);
});

test('a location in an included file: the fixes edit the server in the including file', () => {
  const snippet = `${ETC}/locations/ws.conf`;
  const files = {
    [MAIN]: httpConf('    server {', '        listen 8080;', '        include locations/*.conf;', '    }'),
    [snippet]: lines(...LOCATION),
  };
  const [finding] = findings(files, snippet);
  assert.equal(shownAt(files, finding), '1: location /ws');
  assert.deepEqual(relatedOf(files, finding), [
    'nginx.conf:3: server — this server has no TLS listener',
    'nginx.conf:4: listen 8080; — plain-HTTP listener',
  ]);
  assert.deepEqual(finding.fixes?.flatMap((fix) => fix.edits.map((edit) => edit.file)), [MAIN, MAIN, MAIN]);
});

test('listens in an included file: TLS is added, but no redirect fix', () => {
  const files = {
    [MAIN]: httpConf(...server('include listen.conf;')),
    [`${ETC}/listen.conf`]: lines('listen 80;'),
  };
  const [finding] = findings(files);
  assert.deepEqual(relatedOf(files, finding)[1], 'listen.conf:1: listen 80; — plain-HTTP listener');
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), TITLES.slice(0, 1));
});

test('no finding: listen ssl, ssl on, quic, TLS listen in an included file, plain /api/ proxies', () => {
  const variants: Record<string, Record<string, string>> = {
    'listen 443 ssl': { [MAIN]: httpConf(...server('listen 443 ssl http2;')) },
    'listen ssl on another port': { [MAIN]: httpConf(...server('listen 80;', 'listen 127.0.0.1:8443 ssl;')) },
    'ssl on': { [MAIN]: httpConf(...server('listen 443;', 'ssl on;')) },
    quic: { [MAIN]: httpConf(...server('listen 443 quic reuseport;')) },
    included: {
      [MAIN]: httpConf(...server('include tls.conf;')),
      [`${ETC}/tls.conf`]: lines('listen 443 ssl;'),
    },
    // ngx_http_add_addresses() ORs `ssl` over the listens of one address: every server on it speaks TLS.
    'another server makes the address TLS': {
      [MAIN]: httpConf('    server {', '        listen 443 ssl default_server;', '        ssl_certificate a.pem;', '        ssl_certificate_key a.key;', '    }', ...server('listen 443;', 'server_name b.example;')),
    },
    'a server of an included file makes the address TLS': {
      [MAIN]: httpConf('    include sites/*.conf;', ...server('listen [::]:443;', 'server_name b.example;')),
      [`${ETC}/sites/a.conf`]: lines('server {', '    listen [::]:443 ssl;', '    ssl_certificate a.pem;', '    ssl_certificate_key a.key;', '}'),
    },
    'plain proxy': {
      [MAIN]: httpConf('    server {', '        listen 80;', '        location /api/ {', '            proxy_pass http://127.0.0.1:3000;', '        }', '    }'),
    },
  };
  for (const [name, files] of Object.entries(variants)) assert.deepEqual(findings(files), [], name);
});

test('a TLS listen on another address of the port leaves a plain server plain', () => {
  const files = { [MAIN]: httpConf('    server {', '        listen 10.0.0.1:443 ssl;', '        ssl_certificate a.pem;', '        ssl_certificate_key a.key;', '    }', ...server('listen 443;')) };
  assert.equal(findings(files).length, 1);
});

test('the TLS twin keeps the address and parameters of the original listen; a templated port becomes 443', () => {
  const twins = (listen: string, nginxVersion = '1.22.1', extra: string[] = []) => {
    const files = { [MAIN]: httpConf(...extra, ...server(listen)) };
    const finding = analyzeFiles(files, MAIN, { nginxVersion }).find((f) => f.code === CODE)!;
    return applyEdits(files, finding.fixes![0].edits)[MAIN].match(/listen [^;]*443[^;]*;/g);
  };
  assert.deepEqual(twins('listen 10.0.0.5:8080 default_server proxy_protocol;'), ['listen 10.0.0.5:443 ssl default_server proxy_protocol;']);
  assert.deepEqual(twins('listen ${NGINX_PORT};'), ['listen 443 ssl;']);
  assert.deepEqual(twins('listen [2001:db8::1]:80;'), ['listen [2001:db8::1]:443 ssl;']);
  assert.deepEqual(twins('listen 10.0.0.5;'), ['listen 10.0.0.5:443 ssl;']);
  // A plain server's own HTTP/2 (h2c) is kept as written.
  assert.deepEqual(twins('listen 80 http2;'), ['listen 443 ssl http2;']);
  assert.deepEqual(twins('listen 80;', '1.31.4'), ['listen 443 ssl;']);
  // Another server is the default on 443 already: a second default_server would be an error.
  assert.deepEqual(twins('listen 80 default_server;', '1.22.1', ['    server {', '        listen 443 ssl default_server;', '        ssl_certificate a.pem;', '        ssl_certificate_key a.key;', '    }']),
    ['listen 443 ssl default_server;', 'listen 443 ssl;']);
});

test('the TLS fixes turn on TLS and nothing their titles do not say: no HTTP/2', () => {
  const files = { [MAIN]: httpConf(...server('listen 80;')) };
  for (const nginxVersion of ['1.22.1', '1.31.4']) {
    const finding = analyzeFiles(files, MAIN, { nginxVersion }).find((f) => f.code === CODE)!;
    for (const fix of finding.fixes!) assert.doesNotMatch(applyEdits(files, fix.edits)[MAIN], /http2/, `${nginxVersion}: ${fix.title}`);
  }
});

test('the redirect fix moves each plain listen with its trailing comment, leaving no comment glued elsewhere', () => {
  const files = { [MAIN]: httpConf(...server('listen 80; # public', 'listen [::]:80; # v6', 'server_name chat.example.com;')) };
  const moved = applyEdits(files, findings(files)[0].fixes![1].edits)[MAIN];
  assert.match(moved, /\n {4}server \{\n {8}listen 80; # public\n {8}listen \[::\]:80; # v6\n {8}server_name chat\.example\.com;\n {8}return 301/);
  assert.equal(moved.match(/# public/g)?.length, 1);
  assert.equal(moved.match(/# v6/g)?.length, 1);
  assert.match(moved, /ssl_session_tickets off;\n/);
});

for (const { binary, version, skip } of liveJudges()) {
  test(`the TLS fix judged for nginx ${version} passes its nginx -t (HTTP/2 as it spells it)`, { skip }, () => {
    const files = { [MAIN]: httpConf(...server('listen 8080 default_server;', 'server_name chat.example.com;')) };
    const finding = analyzeFiles(files, MAIN, { nginxVersion: version }).find((f) => f.code === CODE)!;
    for (const fix of finding.fixes ?? []) {
      const fixed = forNginx(applyEdits(files, fix.edits));
      const result = configTest(binary!, fixed);
      assert.ok(result.ok, `${fix.title}:\n${result.output}\n${fixed['nginx.conf']}`);
    }
  });
}

test('a TLS server of the same name elsewhere: no fix that would add a second one, the finding points there (batch 15: uptime-kuma)', () => {
  const tlsServer = ['    server {', '        listen 443 ssl;', '        server_name App.example.com;', '        ssl_certificate c.pem;', '        ssl_certificate_key k.pem;', '        location / { return 200; }', '    }'];
  const files = { [MAIN]: httpConf(...tlsServer, ...server('listen 8080;', 'server_name app.example.com;')) };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.match(finding.message, /wss:\/\/ requests for "app\.example\.com" go to its TLS server, which must hold this location/);
  assert.equal(finding.fixes, undefined);
  assert.deepEqual(relatedOf(files, finding).at(-1), 'nginx.conf:4: listen 443 ssl; — the TLS server of "app.example.com"');
  // Another name: the fixes stay.
  const other = { [MAIN]: httpConf(...tlsServer, ...server('listen 8080;', 'server_name chat.example.com;')) };
  assert.deepEqual(findings(other)[0].fixes?.map((fix) => fix.title), TITLES);
});

test('a TLS server of the same name on another port (8445): the fixes that add 443 stay', () => {
  const tlsServer = ['    server {', '        listen 8445 ssl;', '        server_name app.example.com;', '        ssl_certificate c.pem;', '        ssl_certificate_key k.pem;', '    }'];
  const files = { [MAIN]: httpConf(...tlsServer, ...server('listen 8080;', 'server_name app.example.com;')) };
  assert.deepEqual(findings(files)[0].fixes?.map((fix) => fix.title), TITLES);
});
