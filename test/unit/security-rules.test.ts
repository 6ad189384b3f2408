// The security rules, each on configurations of our own both ways: flagged, and a correct one that
// is not. Fixes are applied and the configuration analysed again: the finding must be gone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { securityRules } from '../../server/src/analysis/rules/security';
import type { Finding } from '../../server/src/analysis/types';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { nginxAvailable, nginxTest } from '../support/nginx';
import { forNginx, MAIN, shownAt } from '../support/websocket';

/** A main config: `http { BODY }` with an events block, lines indented. */
const conf = (...http: string[]) => ['events {}', 'http {', ...http.map((line) => `    ${line}`), '}', ''].join('\n');
const server = (...body: string[]) => ['server {', ...body.map((line) => `    ${line}`), '}'];

function findings(code: string, text: string, nginxVersion = '1.22.1', files: Record<string, string> = {}): Finding[] {
  return analyzeFiles({ [MAIN]: text, ...files }, MAIN, { nginxVersion }).filter((finding) => finding.code === code);
}

/** Applies the first (or the named) fix and checks that the finding is gone afterwards. */
function fixed(code: string, text: string, title?: RegExp): string {
  const [finding] = findings(code, text);
  const fix = title ? finding.fixes?.find((f) => title.test(f.title)) : finding.fixes?.[0];
  assert.ok(fix, `no fix for ${code}`);
  const after = applyEdits({ [MAIN]: text }, fix.edits)[MAIN];
  assert.deepEqual(findings(code, after).map((f) => f.message), [], after);
  return after;
}

const shown = (text: string, finding: Finding) => shownAt({ [MAIN]: text }, finding);

interface Case {
  code: string;
  flagged: string[];
  clean: string[];
}

const CERTIFICATE = ['ssl_certificate c.pem;', 'ssl_certificate_key k.pem;'];
const TLS = ['listen 443 ssl;', ...CERTIFICATE, 'ssl_protocols TLSv1.2 TLSv1.3;'];
const HSTS = 'add_header Strict-Transport-Security "max-age=63072000" always;';

const cases: Case[] = [
  { code: 'alias-traversal',
    flagged: [conf(...server('location /static { alias /srv/static/; }')), conf(...server('location ^~ /i { alias /srv/i/; }'))],
    clean: [conf(...server('location /static/ { alias /srv/static/; }')), conf(...server('location /static { alias /srv/static; }')),
      conf(...server('location ~ ^/s/(.*)$ { alias /srv/s/$1; }'))] },
  { code: 'add-header-lost',
    flagged: [conf(...server('add_header X-Frame-Options DENY always;', 'location / { add_header X-Foo bar; }')),
      conf(HSTS, ...server('location / { if ($arg_x) { add_header X-Foo bar; } }'))],
    clean: [conf(...server('add_header X-Frame-Options DENY always;', 'location / { add_header X-Frame-Options DENY always; add_header X-Foo bar; }')),
      conf(...server('add_header X-Foo foo;', 'location / { add_header X-Bar bar; }')),
      conf(...server('add_header X-Frame-Options DENY always;', 'location / { root /srv; }'))] },
  { code: 'hide-header-lost',
    flagged: [conf(...server('proxy_hide_header X-Powered-By;', 'location / { proxy_pass http://127.0.0.1:8081; proxy_hide_header X-Runtime; }'))],
    clean: [conf(...server('proxy_hide_header X-Powered-By;', 'location / { proxy_pass http://127.0.0.1:8081; }'))] },
  { code: 'proxy-headers-lost',
    flagged: [conf(...server('proxy_set_header Host $host;', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;', 'location / { proxy_pass http://127.0.0.1:8081; proxy_set_header X-Test 1; }'))],
    clean: [conf(...server('proxy_set_header Host $host;', 'location / { proxy_pass http://127.0.0.1:8081; }')),
      conf(...server('proxy_set_header Host $host;', 'location / { proxy_pass http://127.0.0.1:8081; proxy_set_header Host $host; proxy_set_header X-Test 1; }'))] },
  { code: 'host-spoofing',
    flagged: [conf(...server('location / { proxy_pass http://127.0.0.1:8081; proxy_set_header Host $http_host; }')), conf(...server('location / { proxy_pass http://127.0.0.1:8081; proxy_set_header host $arg_host; }'))],
    clean: [conf(...server('location / { proxy_pass http://127.0.0.1:8081; proxy_set_header Host $host; }')), conf(...server('location / { proxy_pass http://127.0.0.1:8081; proxy_set_header X-Original-Host $http_host; }')),
      // A catch-all server takes any host: there $host is the client's too.
      conf(...server('listen 80 default_server;', 'location / { proxy_pass http://127.0.0.1:8081; proxy_set_header Host $http_host; }')),
      conf(...server('server_name _;', 'location / { proxy_pass http://127.0.0.1:8081; proxy_set_header Host $http_host; }'))] },
  { code: 'response-splitting',
    flagged: [conf(...server('return 301 https://example.com$uri;')), conf(...server('location / { add_header X-Uri $uri; }')),
      conf(...server('location ~ ^/p/([^/]+)$ { proxy_pass http://b/$1; }')), conf(...server('rewrite ^/(?<name>\\W+)$ https://x/$name redirect;')),
      conf(...server('rewrite ^/old https://x$uri;'))],
    clean: [conf(...server('return 301 https://example.com$request_uri;')), conf(...server('location ~ ^/p/(.+)$ { proxy_pass http://b/$1; }')),
      // A redirect escapes its numbered captures; an internal rewrite writes no header.
      conf(...server('rewrite ^/(\\W+)$ https://x/$1 redirect;')), conf(...server('rewrite ^/a/([^/]+)/x$ /b/$1/y break;')), conf(...server('rewrite ^/a $uri last;')),
      conf(...server('location ~ ^/p/([^/\\s]+)$ { proxy_pass http://b/$1; }')), conf(...server('return 200 $uri;'))] },
  { code: 'ssrf',
    flagged: [conf(...server('location / { proxy_pass http://$arg_backend; }')), conf(...server('location ~ ^/x/(.*)/(.*)$ { set $h $1; proxy_pass http://$h/$2; }')),
      conf(...server('location / { proxy_pass $http_x_scheme://b; }'))],
    clean: [conf(...server('location ~ ^/x/(.*)$ { proxy_pass http://b/$1; }')), conf(...server('location / { internal; proxy_pass http://$arg_backend; }')),
      conf('upstream b { server 127.0.0.1:8080; }', ...server('location / { proxy_pass http://b$request_uri; }'))] },
  { code: 'proxy-pass-no-resolver',
    flagged: [conf('map $arg_v $backend { default api.internal.example; }', ...server('location / { proxy_pass http://$backend; }'))],
    clean: [conf('map $arg_v $backend { default api.internal.example; }', 'resolver 127.0.0.53;', ...server('location / { proxy_pass http://$backend; }')),
      conf('upstream blue { server 127.0.0.1:1; }', 'map $arg_v $backend { default blue; x 10.0.0.1:80; }', ...server('location / { proxy_pass http://$backend; }'))] },
  { code: 'weak-tls-protocols',
    flagged: [conf(...server('listen 443 ssl;', ...CERTIFICATE, 'ssl_protocols TLSv1 TLSv1.1 TLSv1.2;')), conf(...server('listen 443 ssl;', ...CERTIFICATE)),
      // nginx reads the names regardless of case.
      conf(...server('listen 443 ssl;', ...CERTIFICATE, 'ssl_protocols tlsv1.1 TLSv1.2;'))],
    clean: [conf(...server(...TLS)), conf('ssl_protocols TLSv1.2;', ...server('listen 443 ssl;'))] },
  { code: 'weak-ssl-ciphers',
    flagged: [conf(...server('ssl_ciphers HIGH:RC4-SHA;')), conf(...server('ssl_ciphers "ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA";')),
      // `-X` deletes only what stands before it; !DES is single DES, not 3DES.
      conf(...server('ssl_ciphers "-RC4:HIGH:RC4";')), conf(...server('ssl_ciphers "HIGH:DES-CBC3-SHA:!DES";'))],
    clean: [conf(...server('ssl_ciphers HIGH:!aNULL:!MD5:!RC4:!3DES;')), conf(...server('ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305;')),
      // `!X` deletes X's suites for good, wherever it stands (ciphers(1)).
      conf(...server('ssl_ciphers "EECDH+aRSA+RC4 RC4 DES-CBC3-SHA !RC4 !3DES";')), conf(...server('ssl_ciphers "!RC4:HIGH:RC4-SHA";')), conf(...server('ssl_ciphers "HIGH:RC4:-RC4";'))] },
  { code: 'hsts',
    flagged: [conf(...server(...TLS)), conf(...server(...TLS, 'add_header Strict-Transport-Security "max-age=3600" always;')),
      conf(...server(...TLS, 'add_header Strict-Transport-Security "max-age=63072000";')),
      // A gRPC location beside one that serves files: a browser may come.
      conf(...server(...TLS, 'location / { grpc_pass grpc://127.0.0.1:50051; }', 'location /docs/ { root /srv/docs; }'))],
    clean: [conf(...server(...TLS, HSTS)), conf(HSTS, ...server(...TLS)), conf(...server('listen 80;')),
      // Every request goes to gRPC (its error page answered by nginx): no browser to tell.
      conf(...server(...TLS, 'location / { grpc_pass grpc://127.0.0.1:50051; error_page 502 = /error502grpc; }', 'location = /error502grpc { internal; default_type application/grpc; return 204; }'))] },
  { code: 'server-tokens',
    flagged: [conf('server_tokens on;')], clean: [conf('server_tokens off;'), conf(...server('listen 80;'))] },
  { code: 'autoindex',
    flagged: [conf(...server('location /files/ { autoindex on; }'))], clean: [conf(...server('location /files/ { internal; autoindex on; }')), conf(...server('location /files/ { autoindex off; }')),
      conf(...server('location /doc { autoindex on; allow 127.0.0.1; deny all; }')), conf(...server('auth_basic "team";', 'auth_basic_user_file /etc/nginx/htpasswd;', 'location /files/ { autoindex on; }'))] },
  { code: 'stub-status-open',
    flagged: [conf(...server('listen 80;', 'location /status { stub_status; }')), conf(...server('location /status { stub_status; allow 10.0.0.0/8; allow all; deny all; }'))],
    clean: [conf(...server('location /status { stub_status; allow 127.0.0.1; deny all; }')), conf(...server('listen 127.0.0.1:8080;', 'location /status { stub_status; }')),
      conf(...server('location /status { stub_status; auth_basic "x"; auth_basic_user_file /etc/nginx/htpasswd; }'))] },
  { code: 'dotfiles-served',
    flagged: [conf(...server('root /srv/www;', 'location / { try_files $uri =404; }')), conf(...server('root /srv/www;')),
      // Requests over TLS are not redirected: they reach the root.
      conf(...server('listen 443 ssl;', 'ssl_certificate /etc/ssl/a.pem;', 'ssl_certificate_key /etc/ssl/a.key;', 'root /srv/www;', 'if ($scheme != "https") { return 301 https://$host$request_uri; }'))],
    clean: [conf(...server('root /srv/www;', 'location ~ /\\. { deny all; }', 'location / { try_files $uri =404; }')),
      conf(...server('root /srv/www;', 'location / { proxy_pass http://127.0.0.1:8081; }')), conf(...server('location / { try_files $uri =404; }')),
      // nginx searches the nested locations of the prefix it found (ngx_http_core_find_location()).
      conf(...server('root /srv/www;', 'location / { location ~ /\\. { deny all; } }')),
      // Files named without a variable: the requested one is never sent (a server's try_files is its locations').
      conf(...server('root /srv/www;', 'location / { try_files /dev/null @api; }', 'location @api { proxy_pass http://127.0.0.1:9000; }')),
      conf(...server('root /srv/www;', 'try_files /index.html =404;')),
      // A plain-HTTP server that redirects every request to https before a location is picked.
      conf(...server('listen 80;', 'root /srv/www;', 'location / { try_files $uri =404; }', 'if ($scheme != "https") { return 301 https://$host$request_uri; }'))] },
  { code: 'allow-without-deny',
    flagged: [conf(...server('location /admin { allow 10.0.0.0/8; }'))],
    clean: [conf(...server('location /admin { allow 10.0.0.0/8; deny all; }')), conf(...server('location /admin { allow all; }'))] },
  { code: 'return-before-access',
    flagged: [conf(...server('location /admin { deny all; return 200 "secret"; }')), conf(...server('location /admin { auth_basic "x"; if ($arg_a) { return 302 /x; } }'))],
    clean: [conf(...server('location /admin { deny all; proxy_pass http://127.0.0.1:8081; }')), conf(...server('location /admin { allow 10.0.0.1; deny all; return 403; }')),
      conf(...server('location / { return 200 ok; }')),
      // auth_request's 401 page: the redirect to the login is meant to be answered (vouch, oauth2-proxy).
      conf(...server('auth_request /validate;', 'error_page 401 = @login;', 'location = /validate { internal; proxy_pass http://127.0.0.1:9090; }',
        'location @login { return 302 https://login.example.com/?url=$scheme://$http_host$request_uri; }'))] },
  { code: 'merge-slashes-off',
    flagged: [conf('merge_slashes off;', ...server('location /admin { deny all; }')), conf(...server('merge_slashes off;', 'location /admin { auth_basic "x"; }'))],
    clean: [conf('merge_slashes off;', ...server('location / { root /srv; }')), conf(...server('location /admin { deny all; }'))] },
  { code: 'real-ip-spoofable',
    flagged: [conf('set_real_ip_from 0.0.0.0/0;', 'real_ip_header X-Forwarded-For;'), conf(...server('set_real_ip_from ::/0;'))],
    clean: [conf('set_real_ip_from 10.0.0.0/8;', 'real_ip_header X-Forwarded-For;'), conf('set_real_ip_from 0.0.0.0/0;', 'real_ip_header proxy_protocol;')] },
];

test('every security rule has a case of each kind here', () => {
  assert.deepEqual(cases.map((c) => c.code).sort(), securityRules.map((rule) => rule.id).sort());
  for (const c of cases) assert.ok(c.flagged.length > 0 && c.clean.length > 0, c.code);
});

for (const c of cases) {
  test(`${c.code}: flagged, at the rule's severity`, () => {
    const rule = securityRules.find((r) => r.id === c.code)!;
    for (const text of c.flagged) {
      const found = findings(c.code, text);
      assert.equal(found.length, 1, `${text}\n${JSON.stringify(found.map((f) => f.message))}`);
      assert.equal(found[0].severity, rule.severity);
    }
  });
  test(`${c.code}: quiet on correct configurations`, () => {
    for (const text of c.clean) assert.deepEqual(findings(c.code, text).map((f) => f.message), [], text);
  });
}

test('fixes remove their findings', () => {
  assert.match(fixed('alias-traversal', conf(...server('location /static { alias /srv/static/; }'))), /location \/static\/ \{/);
  assert.match(fixed('host-spoofing', conf(...server('location / { proxy_pass http://127.0.0.1:8081; proxy_set_header Host $http_host; }'))), /Host \$host;/);
  assert.match(fixed('weak-tls-protocols', conf(...server('listen 443 ssl;', 'ssl_protocols TLSv1 TLSv1.2;'))), /ssl_protocols TLSv1\.2 TLSv1\.3;/);
  assert.match(fixed('server-tokens', conf('server_tokens on;')), /server_tokens off;/);
  assert.match(fixed('allow-without-deny', conf(...server('location /admin {', '    allow 10.0.0.0/8;', '}'))), /allow 10\.0\.0\.0\/8;\n\s+deny all;/);
  assert.match(fixed('stub-status-open', conf(...server('location /status {', '    stub_status;', '}'))), /deny all;/);
  assert.match(fixed('dotfiles-served', conf(...server('root /srv/www;'))), /deny all;/);
  assert.match(fixed('hsts', conf(...server(...TLS, 'add_header Strict-Transport-Security "max-age=63072000";'))), /max-age=63072000" always;/);
  const lost = fixed('add-header-lost', conf(...server('add_header X-Frame-Options DENY always;', 'location / {', '    add_header X-Foo bar;', '}')));
  assert.match(lost, /add_header X-Foo bar;\n\s+add_header X-Frame-Options DENY always;/);
});

test('hsts: the added header re-declares the add_header list it stops inheriting', () => {
  const text = conf('add_header X-Frame-Options DENY always;', ...server(...TLS));
  const after = fixed('hsts', text);
  assert.match(after, /server \{\n\s+add_header X-Frame-Options DENY always;\n\s+add_header Strict-Transport-Security/);
  assert.deepEqual(findings('add-header-lost', after), []);
});

test('hsts: the header is added too in the blocks whose own add_header lines stop the inheritance (batch 15: PeerTube, Mastodon)', () => {
  const text = conf(...server(...TLS, 'location / {', '    add_header X-Cached hit;', '    if ($arg_x) {', '        add_header X-If 1;', '    }', '}', 'location /plain {', '    return 200;', '}'));
  const [finding] = findings('hsts', text);
  assert.equal(finding.fixes?.[0].title, `Add '${HSTS}' (and in the 2 blocks with add_header lines of their own)`);
  const after = fixed('hsts', text);
  assert.match(after, /add_header X-Cached hit;\n\s+add_header Strict-Transport-Security/);
  assert.match(after, /add_header X-If 1;\n\s+add_header Strict-Transport-Security/);
  // location /plain inherits the server's line: nothing added there.
  assert.equal(after.split('Strict-Transport-Security').length - 1, 3);
  assert.deepEqual(findings('add-header-lost', after), []);
  if (nginxAvailable()) {
    const verdict = nginxTest(forNginx({ [MAIN]: after }), 'nginx.conf');
    assert.ok(verdict.ok, verdict.output);
  }
});

test('add_header_inherit merge (1.29.3) keeps the inherited headers; before 1.29.3 no such fix', () => {
  const text = conf(...server('add_header X-Frame-Options DENY always;', 'location / {', '    add_header_inherit merge;', '    add_header X-Foo bar;', '}'));
  assert.deepEqual(findings('add-header-lost', text, '1.29.3'), []);
  const lost = conf(...server('add_header X-Frame-Options DENY always;', 'location / {', '    add_header X-Foo bar;', '}'));
  assert.deepEqual(findings('add-header-lost', lost, '1.29.3')[0].fixes?.map((fix) => fix.title), ['Re-declare X-Frame-Options in this location', 'Add "add_header_inherit merge;"']);
  assert.deepEqual(findings('add-header-lost', lost, '1.28.0')[0].fixes?.map((fix) => fix.title), ['Re-declare X-Frame-Options in this location']);
});

test('weak-tls-protocols: the default counts before 1.27.3 only (1.24.0 and 1.26.3 still enable TLSv1 and TLSv1.1)', () => {
  const text = conf(...server('listen 443 ssl;'));
  assert.match(findings('weak-tls-protocols', text, '1.22.1')[0].message, /nginx 1\.22\.1 enables TLSv1 and TLSv1\.1 by default \(until 1\.27\.3\)/);
  assert.equal(findings('weak-tls-protocols', text, '1.26.3').length, 1);
  assert.deepEqual(findings('weak-tls-protocols', text, '1.27.3'), []);
  // A default server that rejects every handshake serves nothing over TLS: no advice on its protocols or HSTS.
  const rejecting = conf(...server('listen 443 ssl default_server;', 'ssl_reject_handshake on;'));
  assert.deepEqual(findings('weak-tls-protocols', rejecting, '1.22.1'), []);
  assert.deepEqual(findings('hsts', rejecting, '1.22.1'), []);
  assert.equal(findings('hsts', text, '1.22.1').length, 1);
});

test('include-aware: headers set in an included file count, an include the workspace lacks silences "missing" rules', () => {
  const withInclude = conf(...server(...TLS, 'include snippets/hsts.conf;'));
  assert.deepEqual(findings('hsts', withInclude, '1.22.1', { '/etc/nginx/snippets/hsts.conf': HSTS + '\n' }), []);
  assert.deepEqual(findings('hsts', withInclude), [], 'the snippet may exist on the server');
  // A location in a conf.d file loses the server level of the file that includes it.
  const main = conf(...server('add_header X-Frame-Options DENY always;', 'include conf.d/app.conf;'));
  const app = 'location / {\n    add_header X-Foo bar;\n}\n';
  const found = analyzeFiles({ [MAIN]: main, '/etc/nginx/conf.d/app.conf': app }, '/etc/nginx/conf.d/app.conf').filter((f) => f.code === 'add-header-lost');
  assert.deepEqual(found.map((f) => shownAt({ '/etc/nginx/conf.d/app.conf': app }, f)), ['1: location /']);
});

test('a snippet read on its own: its top level is the level above its blocks', () => {
  const snippet = '/etc/nginx/snippets/app.conf';
  const text = 'add_header X-Frame-Options DENY always;\nlocation / {\n    add_header X-Foo bar;\n}\n';
  const found = analyzeFiles({ [snippet]: text }, snippet).filter((f) => f.code === 'add-header-lost');
  assert.deepEqual(found.map((f) => shownAt({ [snippet]: text }, f)), ['2: location /']);
});

test('the finding is shown on the directive it is about', () => {
  const text = conf(...server('location /static {', '    alias /srv/static/;', '}'));
  assert.equal(shown(text, findings('alias-traversal', text)[0]), '5: alias /srv/static/');
});

const noNginx = nginxAvailable() ? false : 'no nginx binary to run nginx -t';

test('every fix of every flagged case keeps a configuration nginx -t accepts', { skip: noNginx }, (t) => {
  const checked: string[] = [];
  const accepted = (text: string) => nginxTest(forNginx({ [MAIN]: text }), 'nginx.conf');
  for (const c of cases) {
    for (const text of c.flagged) {
      const fixes = findings(c.code, text).flatMap((finding) => finding.fixes ?? []);
      if (fixes.length === 0 || !accepted(text).ok) continue;
      for (const fix of fixes) {
        const result = accepted(applyEdits({ [MAIN]: text }, fix.edits)[MAIN]);
        assert.ok(result.ok, `${c.code}, "${fix.title}": ${result.output}`);
        checked.push(`${c.code}: ${fix.title}`);
      }
    }
  }
  t.diagnostic(`${checked.length} fixes accepted by nginx -t: ${checked.join('; ')}`);
  assert.ok(checked.length >= 14, `only ${checked.length} fixes checked: ${checked.join('; ')}`);
});
