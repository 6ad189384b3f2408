// Judging for the nginx release the user runs (issue 10): target versions, the messages that say
// why a release rejects what another takes, and cases generated from the per-release data, each
// checked against the real nginx binaries of both releases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allDirectiveNames, directiveSpecs, type DirectiveSpec } from '../../server/src/analysis/knowledge/directives';
import { DEFAULT_VERSION, RELEASES, targetVersion } from '../../server/src/analysis/knowledge/versions';
import type { Finding } from '../../server/src/analysis/types';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { nginxAvailable, nginxTest, testCertificates } from '../support/nginx';
import { nginxBinaries, type NginxBinary } from '../support/nginxBuilds';

const MAIN = '/etc/nginx/nginx.conf';
const judge = (text: string, nginxVersion: string) => analyzeFiles({ [MAIN]: text }, MAIN, { nginxVersion });
const http = (...body: string[]) => ['events {}', 'http {', ...body, '}', ''].join('\n');
const shown = (findings: Finding[], text: string) =>
  findings.map((f) => `${text.slice(0, f.span.start).split('\n').length}: ${f.severity} ${f.code} ${f.message}`);

test('target versions: branches, releases between those of the data, and the default', () => {
  assert.equal(DEFAULT_VERSION, '1.30.4', 'the newest stable release of the data');
  assert.equal(RELEASES[targetVersion('1.24')!.base], '1.24.0');
  assert.equal(targetVersion('nginx/1.22.1')!.label, '1.22.1');
  assert.equal(targetVersion('latest'), undefined);
  assert.equal(RELEASES[targetVersion('1.40.1')!.base], RELEASES[RELEASES.length - 1], 'newer than the data: the newest release');
  // http2 appeared in 1.25.1 (changes.xml), between the data's 1.24.0 and 1.26.3.
  assert.equal(directiveSpecs('http2', targetVersion('1.25.0')!).length, 0);
  assert.equal(directiveSpecs('http2', targetVersion('1.25.1')!).length, 1);
  assert.equal(directiveSpecs('http2', targetVersion('1.25')!).length, 1, 'a branch means its newest release');
  // A stable branch takes no new directives: 1.18 and 1.18.1 are judged as the data's 1.18.0, 1.22.0 as 1.22.1.
  for (const [version, release] of [['1.18', '1.18.0'], ['1.18.1', '1.18.0'], ['1.22.0', '1.22.1'], ['1.24', '1.24.0'], ['1.30', '1.30.4']]) {
    assert.equal(RELEASES[targetVersion(version)!.base], release, version);
    assert.equal(targetVersion(version)!.between, false, version);
  }
});

test('a stable branch has what its release in the data has, not what the next release added', () => {
  const ocsp = http('server { listen 443 ssl; ssl_certificate /etc/ssl/a.pem; ssl_certificate_key /etc/ssl/a.key; ssl_ocsp on; }');
  assert.deepEqual(shown(judge(ocsp, '1.18'), ocsp).filter((line) => line.includes('ssl_ocsp')), ['3: error unknown-directive unknown directive "ssl_ocsp" (nginx 1.20.2 has it; the target is nginx 1.18)']);
  const streamNames = 'events {}\nstream {\n  server { listen 9000; server_name a.test; proxy_pass 127.0.0.1:1; }\n}\n';
  assert.deepEqual(shown(judge(streamNames, '1.24'), streamNames).filter((line) => line.includes('error')), ['3: error not-allowed-here "server_name" directive is not allowed here (allowed in: server, mail, mail server)']);
  assert.deepEqual(shown(judge(streamNames, '1.26'), streamNames).filter((line) => line.includes('error')), []);
});

// The issue's own case: a wss:// server written for current nginx.
const modern = [
  'events {}',
  'http {',
  '  map $http_upgrade $connection_upgrade { default upgrade; "" close; }',
  '  server {',
  '    listen 443 ssl;',
  '    http2 on;',
  '    server_name chat.example.com;',
  '    ssl_certificate /etc/ssl/chat.pem;',
  '    ssl_certificate_key /etc/ssl/chat.key;',
  '    location /ws/ {',
  '      proxy_pass http://127.0.0.1:8080;',
  '      proxy_set_header Upgrade $http_upgrade;',
  '      proxy_set_header Connection $connection_upgrade;',
  '      proxy_read_timeout 1h;',
  '    }',
  '  }',
  '}',
  '',
].join('\n');

test('a config written for 1.30 (http2 on, no proxy_http_version) is clean for 1.30 and gets the version findings for 1.24', () => {
  const problems = (version: string) => judge(modern, version).filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(shown(problems('1.30'), modern), []);
  assert.deepEqual(shown(problems('1.24'), modern), [
    '6: error unknown-directive unknown directive "http2" (appeared in nginx 1.25.1; the target is nginx 1.24)',
    '10: warning ws-missing-http-version WebSocket proxying needs "proxy_http_version 1.1;": nginx 1.24 talks HTTP/1.0 to the upstream by default (HTTP/1.1 is the default from nginx 1.29.7), and a WebSocket handshake must be HTTP/1.1 (RFC 6455): most backends refuse it',
    // 1.24.0's ngx_http_ssl_merge_srv_conf() still enables TLSv1 and TLSv1.1 (until 1.27.3).
    '5: warning weak-tls-protocols nginx 1.24 enables TLSv1 and TLSv1.1 by default (until 1.27.3): set "ssl_protocols TLSv1.2 TLSv1.3;"',
  ]);
});

test('why a name is unknown: removed, NGINX Plus only, a module built apart, or a typo', () => {
  const text = 'events {}\nhttp {\n  server {\n    ssl on;\n    zone_sync;\n    proxy_pas http://a;\n    js_import main.js;\n  }\n}\n';
  assert.deepEqual(shown(judge(text, '1.26.3').filter((f) => f.code === 'unknown-directive'), text), [
    '4: error unknown-directive unknown directive "ssl" (removed in nginx 1.25.1; the target is nginx 1.26.3)',
    '5: error unknown-directive unknown directive "zone_sync" (an NGINX Plus directive: open-source nginx does not have it)',
    '6: error unknown-directive unknown directive "proxy_pas" (did you mean "proxy_pass"?)',
    '7: error unknown-directive unknown directive "js_import" (a directive of ngx_http_js_module, the njs module that is built apart from nginx: if your nginx loads it, add "js_import" to nginx.extraDirectives)',
  ]);
  const old = 'events {}\nhttp {\n  limit_zone one $binary_remote_addr 10m;\n}\n';
  assert.deepEqual(shown(judge(old, '1.22.1').filter((f) => f.code === 'unknown-directive'), old), [
    '3: error unknown-directive unknown directive "limit_zone" (removed in nginx 1.7.6; the target is nginx 1.22.1)',
  ]);
  assert.deepEqual(judge(text, '1.24').filter((f) => f.code === 'unknown-directive' && f.message.includes('"ssl"')), [], 'nginx 1.24 still has ssl');
  // Removed between two releases of the data, with no date in the change log; 1.18 warns as it reads it.
  const spdy = 'events {}\nhttp {\n  spdy_headers_comp 6;\n}\n';
  assert.deepEqual(shown(judge(spdy, '1.22.1').filter((f) => f.code === 'unknown-directive'), spdy), [
    '3: error unknown-directive unknown directive "spdy_headers_comp" (removed between nginx 1.18.0 and 1.20.2; the target is nginx 1.22.1)',
  ]);
  assert.deepEqual(shown(judge(spdy, '1.18.0'), spdy), [
    '3: warning deprecated-directive invalid directive "spdy_headers_comp": ngx_http_spdy_module was superseded by ngx_http_v2_module',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Values and repeats, as the handlers read them: each case asked of the real nginx too.

const inHttp = (line: string) => `events {}\nhttp {\n  ${line}\n}\n`;

const URI_PART = '"proxy_pass" cannot have URI part in location given by regular expression, or inside named location, or inside "if" statement, or inside "limit_except" block';

const valueCases: Array<[line: string, message: string | undefined]> = [
  ['gzip yes;', 'invalid value "yes" in "gzip" directive, it must be "on" or "off"'],
  ['gzip ON;', undefined],
  ['proxy_read_timeout "1h 30m";', undefined],
  ['proxy_read_timeout 90;', undefined],
  ['proxy_read_timeout 1y;', '"proxy_read_timeout" directive invalid value'],
  ['proxy_read_timeout 5x;', '"proxy_read_timeout" directive invalid value'],
  ['proxy_read_timeout 30m1h;', '"proxy_read_timeout" directive invalid value'],
  ['proxy_read_timeout 500ms;', undefined],
  ['client_max_body_size 10G;', undefined],
  ['client_body_buffer_size 10G;', '"client_body_buffer_size" directive invalid value'],
  ['client_body_buffer_size 16k;', undefined],
  ['keepalive_requests 1e3;', '"keepalive_requests" directive invalid number'],
  ['proxy_buffers 0 4k;', '"proxy_buffers" directive invalid value'],
  ['proxy_buffers 8 4k;', undefined],
  ['ssl_protocols TLSv1.2 TLSv1.4;', 'invalid value "TLSv1.4"'],
  ['ssl_protocols tlsv1.2 TLSv1.3;', undefined],
  ['proxy_http_version 2;', 'invalid value "2"'],
  ['gzip on;\n  gzip off;', '"gzip" directive is duplicate'],
  ['map $uri $m { default 0; }\n  map_hash_bucket_size 128;', '"map_hash_bucket_size" directive is duplicate'],
  ['map_hash_bucket_size 128;\n  map_hash_max_size 4096;\n  map $uri $m { default 0; }', undefined],
  ['proxy_cache_path /tmp/c keys_zone=c:1m;\n  server { location / { proxy_cache c; proxy_cache c; } }', '"proxy_cache" directive is duplicate'],
  ['server { location / { proxy_cache_key $uri; proxy_cache_key $host$uri; } }', '"proxy_cache_key" directive is duplicate'],
  ['server { location / { fastcgi_cache_key $uri; fastcgi_cache_key $host$uri; } }', '"fastcgi_cache_key" directive is duplicate'],
  ['server { location / { limit_except GET { deny all; } limit_except POST { deny all; } } }', '"limit_except" directive is duplicate'],
  ['server { location / { proxy_pass http://127.0.0.1:1; proxy_redirect off; proxy_redirect http://a/ /; } }', '"proxy_redirect" directive is duplicate'],
  ['server { location / { proxy_pass http://127.0.0.1:1; proxy_redirect default; proxy_redirect off; } }', '"proxy_redirect" directive is duplicate'],
  ['server { location / { proxy_pass http://127.0.0.1:1; proxy_redirect default; proxy_redirect http://b/ /; } }', undefined],
  ['server { location / { proxy_cookie_path /a /b; proxy_cookie_path off; } }', '"proxy_cookie_path" directive is duplicate'],
  ['server { location / { proxy_cookie_domain off; proxy_cookie_domain a b; } }', '"proxy_cookie_domain" directive is duplicate'],
  ['proxy_set_header A 1;\n  proxy_set_header B 2;', undefined],
  ['server { listen 8080; server_name a *example.com; }', 'server name "*example.com" is invalid'],
  ['server { listen 8080; server_name .; }', 'server name "." is invalid'],
  ['server { listen 8080; server_name ~; }', 'empty regex in server name "~"'],
  ['server { listen 8080; server_name *.example.com .example.org www.example.*; }', undefined],
  ['map $uri $m {\n    default 0;\n    /A 1;\n    /a 2;\n  }', 'conflicting parameter "/a"'],
  ['map $uri $m {\n    /a 1;\n    /A 2;\n  }', 'conflicting parameter "/a"'],
  ['server { location / { proxy_pass http://internal-service:port/a; } }', 'invalid port in upstream "internal-service:port/a"'],
  ['server { location / { proxy_pass http://127.0.0.1:70000; } }', 'invalid port in upstream "127.0.0.1:70000"'],
  ['server { location / { proxy_pass http://[::1]:x; } }', 'invalid port in upstream "[::1]:x"'],
  ['upstream u { server app:port; }', 'invalid port in upstream "app:port"'],
  ['upstream u { server 127.0.0.1; }', undefined],
  ['server { location / { fastcgi_pass php:fpm; } }', 'invalid port in upstream "php:fpm"'],
  ['server { location / { proxy_pass http://127.0.0.1:8080/a:b; } }', undefined],
  ['server { location / { fastcgi_pass http://php:9000; } }', 'invalid host in upstream "http://php:9000"'],
  ['upstream u { server 127.0.0.1:80/x; }', 'invalid host in upstream "127.0.0.1:80/x"'],
  ['server { location / { uwsgi_pass uwsgi://a:1/b; } }', 'invalid host in upstream "a:1/b"'],
  ['server { location / { scgi_pass a:1?x; } }', 'invalid host in upstream "a:1?x"'],
  ['upstream u { server [::1]:8080; server unix:/run/a:b.sock; }', undefined],
  ['server { location / { proxy_pass localhost:3000; } }', 'invalid URL prefix'],
  ['server { location ~ ^/api { proxy_pass http://127.0.0.1:3000/; } }', URI_PART],
  ['server { location @app { proxy_pass http://127.0.0.1:3000/app?x=1; } }', URI_PART],
  ['server { location /i { if ($arg_x) { proxy_pass http://127.0.0.1:3000/; } } }', URI_PART],
  ['server { location /l { limit_except GET { proxy_pass http://unix:/run/app.sock:/x; } } }', URI_PART],
  ['server { location ~* ^/api { proxy_pass HTTP://127.0.0.1:3000; } location @app { proxy_pass http://unix:/run/app.sock; } location = /e { proxy_pass http://127.0.0.1:3000/e; } }', undefined],
  ['server { location ~ ^/(.*)$ { proxy_pass http://127.0.0.1:3000/$1; } }', undefined],
  ['gzip_comp_level 10;', 'value must be between 1 and 9'],
  ['gzip_comp_level 9;', undefined],
  ['limit_rate 10x;', '"limit_rate" directive invalid value'],
  ['limit_rate 10k;\n  limit_rate_after $arg_after;', undefined],
  ['server { location /a { deny 10.0.0.0/33; } }', 'invalid parameter "10.0.0.0/33"'],
  ['server { location /a { allow 300.1.1.1; } }', 'invalid parameter "300.1.1.1"'],
  ['server { location /a { allow 10.0.0.0/8; allow 2001:db8::/32; allow unix:; deny all; } }', undefined],
  ['server { error_page 404 =abc /x; }', 'invalid value "=abc"'],
  ['server { error_page 99 /x; }', 'value "99" must be between 300 and 599'],
  ['server { error_page 404 500 502 =200 /x; error_page 403 = @named; location @named { return 200; } }', undefined],
  ['server { set a b; }', 'invalid variable name "a"'],
  ['server { location /a { limit_except GOT { deny all; } } }', 'invalid method "GOT"'],
  ['server { location /a { limit_except get post { deny all; } } }', undefined],
  ['server { listen 0.0.0.0:99999; }', 'invalid port in "0.0.0.0:99999" of the "listen" directive'],
  ['server { listen 70000; }', 'invalid port in "70000" of the "listen" directive'],
  ['server { location /a { root /x; alias /y; } }', '"alias" directive is duplicate, "root" directive was specified earlier'],
  ['server { location /a { alias /y/; root /x; } }', '"root" directive is duplicate, "alias" directive was specified earlier'],
  ['root /srv;\n  server { location /a/ { alias /y/; } }', undefined],
  ['server { rewrite ^/a /b bogus; }', 'invalid parameter "bogus"'],
  ['server { rewrite ^/a /b last; rewrite ^/c /d; }', undefined],
  ['proxy_cache_valid 200 abc;', 'invalid time value "abc"'],
  ['proxy_cache_valid 200 302 10m;\n  proxy_cache_valid any 1m;', undefined],
  ['add_header X-A 1 sometimes;', 'invalid parameter "sometimes"'],
  ['add_header X-A 1 always;', undefined],
  ['server { location /a { try_files $uri =abc; } }', 'invalid code "=abc"'],
  ['server { location /a { try_files $uri /index.html =404; } }', undefined],
  ['server { location /a { return abc; } }', 'invalid return code "abc"'],
  ['server { location /a { return 1000 x; } }', 'invalid return code "1000"'],
  ['server { location /a { return https://example.com$request_uri; } location /b { return 204; } location /c { return $scheme://x; } }', undefined],
  ['keepalive_timeout 10 abc;', '"keepalive_timeout" directive invalid value'],
  ['keepalive_timeout 75s 60;', undefined],
  ['error_log /tmp/e.log loud;', 'invalid log level "loud"'],
  ['error_log /tmp/e.log warn;\n  server { error_log /tmp/s.log debug_http; }', undefined],
  ['upstream b { server 127.0.0.1:3000 weight=0; }', 'invalid parameter "weight=0"'],
  ['upstream b { server 127.0.0.1:3000 fail_timeout=10q; }', 'invalid parameter "fail_timeout=10q"'],
  ['upstream b { server 127.0.0.1:3000 bogus; }', 'invalid parameter "bogus"'],
  ['upstream b { server 127.0.0.1:3000 resolve; }', 'invalid parameter "resolve"'],
  ['upstream b { server 127.0.0.1:3000 weight=5 max_conns=0 max_fails=3 fail_timeout=30s; server 127.0.0.1:3001 backup; server 127.0.0.1:3002 down; keepalive 16; }', undefined],
  ['upstream b { server 127.0.0.1:3000; keepalive 0; }', 'invalid value "0" in "keepalive" directive'],
  ['upstream b { ip_hash; server 127.0.0.1:3000; server 127.0.0.1:3001 backup; }', 'balancing method does not support parameter "backup"'],
  ['upstream b { least_conn; server 127.0.0.1:3000; server 127.0.0.1:3001 backup; }', undefined],
  ['server { location / { proxy_redirect default; proxy_pass http://127.0.0.1:1; } }', '"proxy_redirect default" should be placed after the "proxy_pass" directive'],
  ['server { proxy_redirect default; location / { proxy_pass http://127.0.0.1:1; } }', '"proxy_redirect default" should be placed after the "proxy_pass" directive'],
  ['server { location / { proxy_pass http://$host:1; proxy_redirect default; } }', '"proxy_redirect default" cannot be used with "proxy_pass" directive with variables'],
  ['server { location / { proxy_pass http://127.0.0.1:1/a/; proxy_redirect default; proxy_redirect http://x/ /; } }', undefined],
  ['proxy_cache_path /tmp/c keys_zone=c:10m purger=on;', 'invalid parameter "purger=on"'],
  ['proxy_cache_path /tmp/c keys_zone=c:10m loader_sleeps=50;', 'invalid parameter "loader_sleeps=50"'],
  ['proxy_cache_path /tmp/c keys_zone=c:10m max_size=10GB;', 'invalid max_size value "max_size=10GB"'],
  ['proxy_cache_path /tmp/c levels=1:2:3 keys_zone=c:10m;', 'invalid "levels" "levels=1:2:3"'],
  ['proxy_cache_path /tmp/c keys_zone=c:4k;', 'keys zone "keys_zone=c:4k" is too small'],
  ['fastcgi_cache_path /tmp/f levels=1:2 inactive=60m;', '"fastcgi_cache_path" must have "keys_zone" parameter'],
  ['proxy_cache_path /tmp/c levels=1:2 use_temp_path=off keys_zone=c:10m inactive=60m max_size=10g min_free=1G loader_files=100 loader_sleep=50ms manager_threshold=200;', undefined],
  ['open_file_cache inactive=20s;', '"open_file_cache" must have the "max" parameter'],
  ['open_file_cache max=abc;', 'invalid "open_file_cache" parameter "max=abc"'],
  ['open_file_cache max=1000 inactive=20s;\n  server { open_file_cache off; }', undefined],
  ['limit_req_zone $binary_remote_addr zone=one:10q rate=1r/s;', 'invalid zone size "zone=one:10q"'],
  ['limit_req_zone $binary_remote_addr zone=one rate=1r/s;', 'invalid zone size "zone=one"'],
  ['limit_req_zone $binary_remote_addr zone=one:10m rate=1r/x;', 'invalid rate "rate=1r/x"'],
  ['limit_conn_zone $binary_remote_addr zone=addr:1k;', 'zone "zone=addr:1k" is too small'],
  ['limit_req_zone $binary_remote_addr zone=one:10M rate=30r/m;\n  limit_conn_zone $binary_remote_addr zone=addr:32k;', undefined],
  ['ssl_session_cache shared:SSL:10q;', 'invalid session cache "shared:SSL:10q"'],
  ['ssl_session_cache bogus;', 'invalid session cache "bogus"'],
  ['ssl_session_cache shared:SSL:1k;', 'session cache "shared:SSL:1k" is too small'],
  ['ssl_session_cache shared:a:b:10m;', 'invalid session cache "shared:a:b:10m"'],
  ['ssl_session_cache builtin:1000 shared:SSL:32k;', undefined],
  ['ssl_session_cache builtin:1000 shared:SSL:10m;', undefined],
  ['map $http_upgrade c { default upgrade; }', 'invalid variable name "c"'],
  ['geo $remote_addr g { default 0; }', 'invalid variable name "g"'],
  ['split_clients $remote_addr s { 50% a; * b; }', 'invalid variable name "s"'],
  ['server { location /my path/ { return 200; } }', 'invalid location modifier "/my"'],
  ['server { location /a { if ($arg_x = 1 2) { return 200; } } }', 'invalid condition "$arg_x"'],
  ['server { location /a { if ($arg_x = ) { return 404; } } }', 'invalid condition "$arg_x"'],
  ['server { location /a { if ($arg_x == 1) { return 200; } } }', 'unexpected "==" in condition'],
  ['server { location /a { if (-z $request_filename) { return 200; } } }', 'invalid condition "-z"'],
  ['server { location /a { if $arg_x { return 200; } } }', 'invalid condition "$arg_x"'],
  ['server { location /a { if ($request_method = "POST") { return 405; } if ( $arg_a ) { return 1; } if (!-f $request_filename) { return 404; } if ($http_x ~* "^a b$" ) { return 2; } if ($args !~ ^x=) { return 3; } } }', undefined],
  ['resolver 127.0.0.53 ipv6=maybe;', 'invalid parameter: ipv6=maybe'],
  ['resolver 127.0.0.53 [::1]:5353 valid=30s ipv6=off;', undefined],
  ['server { location /a { expires 1x; } }', '"expires" directive invalid value'],
  ['server { location /a { expires @25h; } }', '"expires" directive daily time value must be less than 24 hours'],
  ['server { location /a { expires modified @1h; } }', '"expires" directive daily time cannot be used with "modified" parameter'],
  ['server { location /a { expires 30d; } location /b { expires -1; } location /c { expires modified +24h; } location /d { expires @15h30m; } location /e { expires epoch; } location /f { expires $expires_by_type; } }\n  map $sent_http_content_type $expires_by_type { default off; ~image/ max; }', undefined],
  ['server { location = /a { return 200; } location ^~ /b { return 200; } location ~* \\.png$ { return 200; } }', undefined],
  ['resolver ::1;', 'invalid port in resolver "::1"'],
  ['resolver 2001:4860:4860::8888 valid=30s;', 'invalid port in resolver "2001:4860:4860::8888"'],
  ['resolver 127.0.0.1:0;', 'invalid port in resolver "127.0.0.1:0"'],
  ['resolver 127.0.0.1/8;', 'invalid host in resolver "127.0.0.1/8"'],
  ['resolver [::1] [::1]:5353 127.0.0.1:53 valid=30s ipv6=off;', undefined],
  ['resolver 127.0.0.53 status_zone=dns;', 'host not found in resolver "status_zone=dns"'],
  ['server { listen 8080 setfib=1; }', 'invalid parameter "setfib=1"'],
  ['limit_req_zone $binary_remote_addr zone=z:1m rate=1r/s;\n  server { location / { limit_req zone=z burst=10x nodelay; } }', 'invalid burst value "burst=10x"'],
  ['limit_req_zone $binary_remote_addr zone=z:1m rate=1r/s;\n  server { location / { limit_req zone=z delay=0; } }', 'invalid delay value "delay=0"'],
  ['limit_req_zone $binary_remote_addr zone=z:1m rate=1r/s;\n  limit_req_zone $uri zone=y:1m rate=1r/s;\n  server { location / { limit_req zone=z burst=20 delay=8; limit_req zone=y nodelay; } }', undefined],
  ['server { location / { limit_req burst=5; } }', '"limit_req" must have "zone" parameter'],
  ['proxy_temp_path /tmp/p 1 2x;', '"proxy_temp_path" directive invalid value'],
  ['proxy_temp_path /tmp/p 5 5 1;', '"proxy_temp_path" directive invalid value'],
  ['proxy_temp_path /tmp/p 1 2; client_body_temp_path /tmp/b 5 5;', undefined],
  ['geo $g { 10.0.0.0/8 1; ranges; }', 'the "ranges" directive must be the first directive inside "geo" block'],
  ['geo $g { proxy 10.0.0.0/8; proxy_recursive; ranges; default 0; 10.0.0.1-10.0.0.9 1; 010.0.1.0-10.0.1.255 2; delete 10.0.0.3-10.0.0.4; }', undefined],
  ['geo $g { ranges; 10.0.1.0/24 2; }', 'invalid range "10.0.1.0/24"'],
  ['geo $g { ranges; 10.0.0.9-10.0.0.1 1; }', 'invalid range "10.0.0.9-10.0.0.1"'],
  ['geo $g { ranges; 10.0.0.0-255.255.255.255 1; }', 'invalid range "10.0.0.0-255.255.255.255"'],
  ['geo $g { volatile; }', 'invalid number of the geo parameters'],
  ['geo $g { delete 10.0.0.0/33; }', 'invalid network "10.0.0.0/33"'],
  ['geo $g { proxy 10.0.0.0/33; }', 'invalid network "10.0.0.0/33"'],
  ['geo $g { 2001:db8::/129 1; }', 'invalid network "2001:db8::/129"'],
  ['geo $g { 255.255.255.255 1; 10.0.0.300 2; }', 'invalid network "10.0.0.300"'],
  ['geo $g { default 2; 10.0.0.0/8 1; 2001:db8::/32 3; 127.0.0.1 4; }', undefined],
  ['geo $g { 10.0.0.0-10.0.0.9 1; }', 'invalid network "10.0.0.0-10.0.0.9"'],
  ['split_clients $uri $s { 50 a; }', 'invalid percent value "50"'],
  ['split_clients $uri $s { 1.234% b; }', 'invalid percent value "1.234%"'],
  ['split_clients $uri $s { 0.5% a; 50.25% b; * c; }', undefined],
  ['split_clients $uri $s { 60% a; 50.5% b; }', 'percent total is greater than 100%'],
  ['split_clients $uri $s { 50% a; * b; 10% c; }', 'percent total is greater than 100%'],
  ['split_clients $uri $s { 50% a; 50% b; * c; }', undefined],
  ['limit_conn_zone $binary_remote_addr zone=addr:1m;\n  server { location / { limit_conn addr 130x; } }', 'invalid number of connections "130x"'],
  ['limit_conn_zone $binary_remote_addr zone=addr:1m;\n  server { location / { limit_conn addr 65536; } }', 'connection limit must be less 65536'],
  ['limit_conn_zone $binary_remote_addr zone=addr:1m;\n  server { location / { limit_conn addr 10; } }', undefined],
  ['access_log /tmp/a.log combined buffer=32x;', 'invalid buffer size "32x"'],
  ['access_log /tmp/a.log combined buffer=0;', 'invalid buffer size "0"'],
  ['access_log /tmp/a.log combined gzip=10;', 'invalid compression level "10"'],
  ['access_log /tmp/a.log combined flush=5m;', 'no buffer is defined for access_log "/tmp/a.log"'],
  ['access_log /tmp/a.log combined bogus=1;', 'invalid parameter "bogus=1"'],
  ['access_log /tmp/a.log combined buffer=32k flush=5x;', 'invalid flush time "5x"'],
  ['access_log off combined;', 'invalid parameter "combined"'],
  ['access_log /tmp/$host.log combined gzip;', 'buffered logs cannot have variables in name'],
  ['access_log syslog:server=127.0.0.1 combined buffer=32k;', 'logs to syslog cannot be buffered'],
  ['access_log /tmp/a.log combined buffer=64k gzip=9 flush=1m if=$uri;', undefined],
  ['log_format x escape=foo "$uri";', 'unknown log format escaping "foo"'],
  ['log_format x escape=json "$uri";\n  log_format y escape=none "$uri";\n  log_format z escape=default "$uri";', undefined],
];

test('values and repeats: the Error nginx 1.22.1 gives, at its line, and none where it accepts', (t) => {
  for (const [line, message] of valueCases) {
    const text = inHttp(line);
    const errors = judge(text, '1.22.1').filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => f.message), message ? [message] : [], line);
    const verdict = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
    if (/No such file|not found/.test(verdict.output) && !verdict.message) {
      t.skip('nginx not installed (apt-get install nginx-extras)');
      return;
    }
    if (message) {
      assert.equal(verdict.message, message, `nginx on: ${line}`);
      const last = text.slice(0, errors[0].span.end).split('\n').length;
      assert.equal(verdict.line, last, `nginx names the line where the statement ends: ${line}`);
    } else assert.ok(verdict.ok, `nginx accepts: ${line}\n${verdict.output}`);
  }
});

test('worker_processes and worker_connections: the numbers nginx reads, as nginx 1.22.1 words it', (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['worker_processes atuo;\nevents {}\n', '"worker_processes" directive invalid value'],
    ['events { worker_connections 1024k; }\n', 'invalid number "1024k"'],
    ['worker_processes auto;\nevents { worker_connections 1024; }\n', undefined],
    ['worker_processes 4;\nevents {}\n', undefined],
  ];
  for (const [text, message] of cases) {
    assert.deepEqual(judge(text, '1.22.1').filter((f) => f.severity === 'error').map((f) => f.message), message ? [message] : [], text);
    if (!nginxAvailable()) continue;
    const verdict = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
    if (message) assert.equal(verdict.message, message, verdict.output);
    else assert.ok(verdict.ok, verdict.output);
  }
  if (!nginxAvailable()) t.skip('nginx not installed (apt-get install nginx-extras)');
});

test('an upstream server\'s parameters are the release\'s: resolve and service= from 1.27.3', () => {
  const text = inHttp('upstream b { zone b 64k; server app.internal resolve service=http; }');
  const invalid = (version: string) => judge(text, version).filter((f) => f.code === 'invalid-value').map((f) => f.message);
  assert.deepEqual(invalid('1.26'), ['invalid parameter "resolve"']);
  assert.deepEqual(invalid('1.28'), []);
});

test('resolver: ipv4= is a parameter from 1.23.1 and an address before, a host no resolver finds', async (t) => {
  const text = inHttp('resolver 127.0.0.53 ipv4=off valid=30s;');
  const ours = (version: string) => judge(text, version).filter((f) => f.severity === 'error').map((f) => f.message);
  assert.deepEqual(ours('1.22'), ['host not found in resolver "ipv4=off"']);
  assert.deepEqual(ours('1.24'), []);
  const { binaries } = nginxBinaries();
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label}`, () => {
      const result = nginxTest({ 'nginx.conf': text }, 'nginx.conf', binary.path);
      assert.deepEqual(result.ok ? [] : [result.message], ours(binary.version), result.output);
    });
  }
});

test('listen ... quic takes no TCP or TLS-over-TCP parameter, in the order nginx tests them (1.25 on)', async (t) => {
  const cases: Array<[string, string]> = [
    ['listen 8443 quic http2;', '"listen" directive "http2" parameter is incompatible with "quic"'],
    ['listen 8443 ssl quic;', '"listen" directive "ssl" parameter is incompatible with "quic"'],
    ['listen 8443 quic proxy_protocol backlog=10;', '"listen" directive "backlog" parameter is incompatible with "quic"'],
  ];
  const textOf = (listen: string) => inHttp(`server { ${listen} }`);
  const ours = (listen: string, version: string) => judge(textOf(listen), version).filter((f) => f.code === 'invalid-value').map((f) => f.message);
  for (const [listen, message] of cases) assert.deepEqual(ours(listen, '1.26'), [message], listen);
  assert.deepEqual(ours('listen 8443 quic reuseport;', '1.26'), []);
  const newer = nginxBinaries().binaries.filter((binary) => !binary.debian && Number(binary.version.split('.')[1]) >= 26);
  if (newer.length === 0) t.skip('no nginx 1.26 or later built (node scripts/build-nginx.mjs)');
  for (const binary of newer) {
    await t.test(`nginx ${binary.label}`, () => {
      for (const [listen, message] of cases) assert.equal(nginxTest({ 'nginx.conf': textOf(listen) }, 'nginx.conf', binary.path).message, message, listen);
    });
  }
});

test('stream and mail listen: "the invalid ... parameter" before 1.25.5, "invalid parameter ..." since, as each binary says', async (t) => {
  const textOf = (modules: string) => [modules, 'events {}', 'stream { server { listen 9000 bogus; proxy_pass 127.0.0.1:1; } }', ''].join('\n');
  const ours = (version: string) => judge(textOf(''), version).filter((f) => f.severity === 'error').map((f) => f.message);
  assert.deepEqual(ours('1.24'), ['the invalid "bogus" parameter']);
  assert.deepEqual(ours('1.26'), ['invalid parameter "bogus"']);
  const { binaries } = nginxBinaries();
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label}`, () => {
      const modules = binary.debian ? 'load_module /usr/lib/nginx/modules/ngx_stream_module.so;' : '';
      assert.deepEqual([nginxTest({ 'nginx.conf': textOf(modules) }, 'nginx.conf', binary.path).message], ours(binary.version));
    });
  }
});

test('a stream access_log names its format (the stream tree has no "combined"), as each binary says', async (t) => {
  const textOf = (modules: string, log: string) => [modules, 'events {}', `stream { server { listen 9000; ${log} proxy_pass 127.0.0.1:1; } }`, ''].join('\n');
  const cases: Array<[string, string | undefined]> = [
    ['access_log /tmp/stream.log;', 'log format is not specified'],
    ['access_log off;', undefined],
  ];
  const ours = (log: string) => judge(textOf('', log), '1.22').filter((f) => f.severity === 'error').map((f) => f.message);
  for (const [log, message] of cases) assert.deepEqual(ours(log), message ? [message] : [], log);
  const { binaries } = nginxBinaries();
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label}`, () => {
      const modules = binary.debian ? 'load_module /usr/lib/nginx/modules/ngx_stream_module.so;' : '';
      for (const [log, message] of cases) assert.equal(nginxTest({ 'nginx.conf': textOf(modules, log) }, 'nginx.conf', binary.path).message, message, log);
    });
  }
});

test('stream and mail values their handlers refuse, as each binary words them', async (t) => {
  const STREAM = 'load_module /usr/lib/nginx/modules/ngx_stream_module.so;';
  const MAIL = 'load_module /usr/lib/nginx/modules/ngx_mail_module.so;';
  const cases: Array<{ module: string; tree: string; message: string | undefined }> = [
    // The stream proxy_pass takes an address alone: a URL's "/" ends its host.
    { module: STREAM, tree: 'stream { server { listen 9000; proxy_pass http://127.0.0.1:80; } }', message: 'invalid host in upstream "http://127.0.0.1:80"' },
    { module: MAIL, tree: 'mail { auth_http 127.0.0.1:9000/auth; server { listen 10143; protocol http; } }', message: 'unknown protocol "http"' },
    { module: MAIL, tree: 'mail { auth_http http://127.0.0.1:abc/auth; server { listen 10143; protocol imap; } }', message: 'invalid port in auth_http "127.0.0.1:abc/auth"' },
    { module: MAIL, tree: 'mail { auth_http http://127.0.0.1:9000/auth; server { listen 10143; protocol imap; } server { listen 10110; protocol pop3; } server { listen 10025; protocol smtp; } }', message: undefined },
  ];
  const textOf = (modules: string, tree: string) => [modules, 'events {}', tree, ''].join('\n');
  const ours = (tree: string, version: string) => judge(textOf('', tree), version).filter((f) => f.severity === 'error').map((f) => f.message);
  for (const { tree, message } of cases) assert.deepEqual(ours(tree, '1.22'), message ? [message] : [], tree);
  const { binaries } = nginxBinaries();
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label}`, () => {
      for (const { module, tree } of cases) {
        const verdict = nginxTest({ 'nginx.conf': textOf(binary.debian ? module : '', tree) }, 'nginx.conf', binary.path);
        assert.deepEqual(verdict.message ? [verdict.message] : [], ours(tree, binary.version), verdict.output);
      }
    });
  }
});

test('what nginx warns about as it reads a directive, release by release, as each binary warns', async (t) => {
  const { binaries } = nginxBinaries();
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
  // Certificates are read by nginx only: ours judges placeholder paths, on the same lines.
  const textWith = (cert: string, key: string) => inHttp([
    'http2_max_field_size 4k;',
    `server { listen 443 ssl http2; ssl_certificate ${cert}; ssl_certificate_key ${key}; }`,
    `server { listen 8443; ssl on; ssl_certificate ${cert}; ssl_certificate_key ${key}; }`,
  ].join('\n  '));
  const text = textWith('/etc/ssl/a.pem', '/etc/ssl/a.key');
  const ours = (version: string) => judge(text, version).filter((f) => f.code === 'deprecated-directive')
    .map((f) => `${text.slice(0, f.span.end).split('\n').length}: ${f.severity} ${f.message}`);
  assert.deepEqual(ours('1.22.1'), [
    '3: warning the "http2_max_field_size" directive is obsolete, use the "large_client_header_buffers" directive instead',
    '5: warning the "ssl" directive is deprecated, use the "listen ... ssl" directive instead',
  ]);
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label}`, () => {
      // `ssl on` is gone from 1.25.1: that release refuses the file for it, which the error rules say.
      const { cert, key } = testCertificates();
      const result = nginxTest({ 'nginx.conf': textWith(cert, key) }, 'nginx.conf', binary.path);
      const warned = [...result.output.matchAll(/\[warn\] (?:\d+#\d+: )?(.*) in \S+:(\d+)/g)].map(([, message, line]) => `${line}: warning ${message}`);
      const expected = ours(binary.version);
      if (result.ok) assert.deepEqual(warned, expected, result.output);
      else assert.deepEqual(warned, expected.filter((line) => !line.includes('"ssl" directive')), result.output);
    });
  }
});

test('the fix of listen ... http2: http2 off every listen of the server, one "http2 on;", and nginx no longer warns', async (t) => {
  const textWith = (cert: string, key: string) => inHttp(['server {', '    listen 443 ssl http2;', '    listen [::]:443 ssl http2 ipv6only=on;', `    ssl_certificate ${cert};`, `    ssl_certificate_key ${key};`, '  }'].join('\n  '));
  const fixedWith = (cert: string, key: string) => {
    const text = textWith(cert, key);
    const [first, second] = judge(text, '1.26').filter((f) => f.code === 'deprecated-directive');
    assert.deepEqual(first.fixes, second.fixes);
    return { text, fixed: applyEdits({ [MAIN]: text }, first.fixes![0].edits)[MAIN] };
  };
  const { text, fixed } = fixedWith('/etc/ssl/a.pem', '/etc/ssl/a.key');
  assert.equal(fixed, text.replace('listen 443 ssl http2;', 'listen 443 ssl;').replace('ssl http2 ipv6only=on;', 'ssl ipv6only=on;\n      http2 on;'));
  assert.deepEqual(judge(fixed, '1.26').filter((f) => f.code === 'deprecated-directive'), []);
  const newer = nginxBinaries().binaries.filter((binary) => !binary.debian && Number(binary.version.split('.')[1]) >= 26);
  if (newer.length === 0) t.skip('no nginx 1.26 or newer built (node scripts/build-nginx.mjs)');
  for (const binary of newer) {
    const { cert, key } = testCertificates();
    const result = nginxTest({ 'nginx.conf': fixedWith(cert, key).fixed }, 'nginx.conf', binary.path);
    assert.ok(result.ok && !result.output.includes('[warn]'), `${binary.label}: ${result.output}`);
  }
});

test('proxy_redirect default in a snippet is judged where it is included, not in the snippet alone', () => {
  const snippet = '/etc/nginx/snippets/proxy.conf';
  const files = { [MAIN]: inHttp('server { location / { proxy_pass http://127.0.0.1:1; include snippets/proxy.conf; } }'), [snippet]: 'proxy_redirect default;\n' };
  assert.deepEqual(analyzeFiles(files, snippet, { nginxVersion: '1.22.1' }).filter((f) => f.severity === 'error'), []);
});

test('keepalive 0 turns the upstream keepalive off from 1.29.7, where it became the default; before, it is refused', () => {
  const text = inHttp('upstream b { server 127.0.0.1:1; keepalive 0; }');
  const invalid = (version: string) => judge(text, version).filter((f) => f.code === 'invalid-value').map((f) => f.message);
  assert.deepEqual(invalid('1.28'), ['invalid value "0" in "keepalive" directive']);
  assert.deepEqual(invalid('1.30'), []);
});

test('geo\'s volatile flag is a line of its own from 1.29.3; before, a line of one word is refused', (t) => {
  const text = inHttp('geo $g { volatile; default 0; }');
  const errors = (version: string) => judge(text, version).filter((f) => f.severity === 'error').map((f) => f.message);
  assert.deepEqual(errors('1.28'), ['invalid number of the geo parameters']);
  assert.deepEqual(errors('1.30'), []);
  const newer = nginxBinaries().binaries.filter((binary) => !binary.debian && Number(binary.version.split('.')[1]) >= 30);
  if (newer.length === 0) t.skip('no nginx 1.30 or newer built (node scripts/build-nginx.mjs)');
  for (const binary of newer) assert.ok(nginxTest({ 'nginx.conf': text }, 'nginx.conf', binary.path).ok, binary.label);
});

test('the stream tree\'s return sends any text: not a return code', () => {
  const text = 'load_module /usr/lib/nginx/modules/ngx_stream_module.so;\nevents {}\nstream {\n  server { listen 9000; return "$remote_addr ok"; }\n}\n';
  assert.deepEqual(judge(text, '1.22.1').filter((f) => f.severity === 'error'), []);
});

// ---------------------------------------------------------------------------------------------
// Generated from the data: what one release has and the next lacks (or the reverse), asked of both.

/** The block the tested directive opens its context with: it comes first, so nginx judges it first. */
const SCAFFOLDS: Record<string, (line: string) => string> = {
  main: (line) => `${line}\nevents {}\n`,
  events: (line) => `events {\n${line}\n}\n`,
  http: (line) => `events {}\nhttp {\n${line}\n}\n`,
  server: (line) => `events {}\nhttp {\nserver {\n${line}\n}\n}\n`,
  location: (line) => `events {}\nhttp {\nserver {\nlocation / {\n${line}\n}\n}\n}\n`,
  upstream: (line) => `events {}\nhttp {\nupstream u {\n${line}\nserver 127.0.0.1:1;\n}\n}\n`,
};

interface VersionCase {
  /** The statement, as in a config. */
  line: string;
  text: string;
  /** nginx's message on the release that lacks it. */
  rejected: string;
  /** Of the two releases: which one lacks it. */
  lacking: NginxBinary;
  having: NginxBinary;
}

/** Placeholder arguments that the count check takes: values of the form where nginx has them. */
function argumentsFor(spec: DirectiveSpec): string[] {
  const count = spec.args.atLeast ?? Math.min(...(spec.args.counts ?? [0]));
  const value = spec.value?.kind === 'flag' ? 'on' : spec.value?.values?.[0] ?? '1';
  return Array.from({ length: count }, () => value);
}

/** The directive in the first context a scaffold has; http and core only (Debian's build loads no stream or mail module here). */
function placed(spec: DirectiveSpec, args: readonly string[]): string | undefined {
  const context = spec.contexts.find((name) => Object.hasOwn(SCAFFOLDS, name));
  if (!context || (spec.family !== 'http' && spec.family !== 'core')) return undefined;
  return SCAFFOLDS[context](`${spec.name}${args.map((a) => ` ${a}`).join('')}${spec.block ? ' {}' : ';'}`);
}

/** Directives, enum words and listen parameters that one of two releases has and the other lacks. */
function versionCases(older: NginxBinary, newer: NginxBinary): VersionCase[] {
  const [a, b] = [targetVersion(older.version)!, targetVersion(newer.version)!];
  const cases: VersionCase[] = [];
  for (const name of allDirectiveNames()) {
    const [inA, inB] = [directiveSpecs(name, a), directiveSpecs(name, b)];
    if ((inA.length === 0) !== (inB.length === 0)) {
      const spec = (inA[0] ?? inB[0])!;
      const text = placed(spec, argumentsFor(spec));
      if (text) cases.push({ line: name, text, rejected: `unknown directive "${name}"`, lacking: inA.length ? newer : older, having: inA.length ? older : newer });
      continue;
    }
    for (const [from, to, lacking, having] of [[inA, inB, older, newer], [inB, inA, newer, older]] as const) {
      for (const spec of to) {
        const other = from.find((s) => s.module === spec.module);
        if (!other) continue;
        const words = spec.value?.kind === 'enum' ? spec.value.values!.filter((v) => !other.value?.values?.includes(v)) : [];
        for (const word of words) {
          const text = placed(spec, [word]);
          if (text) cases.push({ line: `${name} ${word}`, text, rejected: `invalid value "${word}"`, lacking, having });
        }
        for (const word of (spec.parameters ?? []).filter((p) => !other.parameters?.includes(p) && !p.includes('='))) {
          const text = placed(spec, ['127.0.0.1:8443', word]);
          if (text) cases.push({ line: `${name} … ${word}`, text, rejected: `invalid parameter "${word}"`, lacking, having });
        }
      }
    }
  }
  return cases;
}

const { binaries, missing } = nginxBinaries();
const pairs = binaries.slice(1).map((newer, i) => [binaries[i], newer] as const);
const noPairs = pairs.length === 0 && `fewer than two nginx binaries (${missing.map((m) => `${m.version}: ${m.reason}`).join('; ')})`;

test('version cases generated from the data: the release that lacks it rejects it, and so do we when told that release', { skip: noPairs }, (t) => {
  let cases = 0;
  let agreed = 0;
  const disagreements: string[] = [];
  for (const [older, newer] of pairs) {
    for (const c of versionCases(older, newer)) {
      cases++;
      const lackingVerdict = nginxTest({ 'nginx.conf': c.text }, 'nginx.conf', c.lacking.path);
      const havingVerdict = nginxTest({ 'nginx.conf': c.text }, 'nginx.conf', c.having.path);
      const ours = (binary: NginxBinary) => judge(c.text, binary.version).filter((f) => f.severity === 'error').map((f) => f.message);
      const nginxAgrees = lackingVerdict.message === c.rejected && havingVerdict.message !== c.rejected;
      const weAgree = ours(c.lacking).some((m) => m.startsWith(c.rejected)) && !ours(c.having).some((m) => m.startsWith(c.rejected));
      if (nginxAgrees && weAgree) agreed++;
      else {
        disagreements.push(`${c.line} (${c.lacking.version} lacks, ${c.having.version} has): nginx ${c.lacking.version}: ${lackingVerdict.message ?? 'accepted'}; ` +
          `nginx ${c.having.version}: ${havingVerdict.message ?? 'accepted'}; ours ${c.lacking.version}: ${ours(c.lacking).join(' | ') || 'none'}; ours ${c.having.version}: ${ours(c.having).join(' | ') || 'none'}`);
      }
    }
  }
  t.diagnostic(`${cases} version cases over ${pairs.map(([a, b]) => `${a.version}→${b.version}`).join(', ')}: ${agreed} agree with both binaries (${((100 * agreed) / Math.max(1, cases)).toFixed(1)}%)`);
  for (const line of disagreements.slice(0, 30)) t.diagnostic(`  ${line}`);
  assert.ok(cases > 0, 'the data names no difference between the releases: the generator is broken');
  assert.ok(agreed / cases >= 0.9, `only ${agreed}/${cases} version cases agree`);
});

test('between two releases of the data, the change log dates removals and parameters (batch 16): ssl in 1.25.1, route= in 1.29.6, a CA not required in 1.27.2', () => {
  const codes = (text: string, version: string) => judge(text, version).filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`);
  const sslOn = ['events {}', 'http {', '  server {', '    listen 443;', '    ssl on;', '    ssl_certificate c.pem;', '    ssl_certificate_key k.pem;', '  }', '}', ''].join('\n');
  assert.deepEqual(codes(sslOn, '1.25.0'), []);
  assert.deepEqual(codes(sslOn, '1.25.1'), ['unknown-directive unknown directive "ssl" (removed in nginx 1.25.1; the target is nginx 1.25.1)']);
  const route = ['events {}', 'http {', '  upstream app {', '    server 127.0.0.1:8080 route=a;', '  }', '}', ''].join('\n');
  assert.equal(codes(route, '1.29.5').length, 1);
  assert.deepEqual(codes(route, '1.29.6'), []);
  const verify = (version: string) => codes(['events {}', 'http {', '  server {', '    listen 443 ssl;', '    ssl_certificate c.pem;', '    ssl_certificate_key k.pem;',
    '    ssl_trusted_certificate ca.pem;', '    ssl_verify_client on;', '  }', '}', ''].join('\n'), version).filter((line) => line.startsWith('ssl-verify-without-ca'));
  assert.equal(verify('1.27.1').length, 1);
  assert.deepEqual(verify('1.27.2'), []);
});

test('proxy_bind and its twins: an address ngx_parse_addr_port() reads, [IPv6] without a port from 1.27.3', async (t) => {
  const values = ['[::1]', '[::1]:0', '[::1]:80', '[1.2.3.4]:80', '127.0.0.1', '::1', 'localhost', '1.2.3', '10.0.0.1:', '$remote_addr', 'off'];
  const textOf = (value: string) => inHttp(`server { listen 8080; location / { proxy_bind ${value}; proxy_pass http://127.0.0.1:9; } }`);
  const ours = (value: string, version: string) => judge(textOf(value), version).filter((f) => f.severity === 'error').map((f) => f.message);
  assert.deepEqual(ours('[::1]', '1.26'), ['invalid address "[::1]"']);
  assert.deepEqual(ours('[::1]', '1.28'), []);
  assert.deepEqual(ours('localhost', '1.30'), ['invalid address "localhost"']);
  const { binaries } = nginxBinaries();
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label}`, () => {
      for (const value of values) {
        const result = nginxTest({ 'nginx.conf': textOf(value) }, 'nginx.conf', binary.path);
        assert.deepEqual(result.ok ? [] : [result.message], ours(value, binary.version), `${value}: ${result.output}`);
      }
    });
  }
});

test('between two releases of the data, a variable the change log dates later is unknown ($connection_time in 1.19.10, $proxy_protocol_tlv_* in 1.23.2)', () => {
  const unknown = (variable: string, version: string) =>
    judge(inHttp(`server { listen 8080; location / { return 200 "$${variable}"; } }`), version).filter((f) => f.code === 'unknown-variable').map((f) => f.message);
  assert.deepEqual(unknown('connection_time', '1.19.9'), ['unknown "connection_time" variable']);
  assert.deepEqual(unknown('connection_time', '1.19.10'), []);
  assert.deepEqual(unknown('proxy_protocol_tlv_0x01', '1.23.1'), ['unknown "proxy_protocol_tlv_0x01" variable']);
  assert.deepEqual(unknown('proxy_protocol_tlv_0x01', '1.23.2'), []);
  // Undated: either release's variables, no Error on a doubt.
  assert.deepEqual(unknown('request_id', '1.19.5'), []);
});
