// The checks nginx makes once a block or the whole configuration is read: duplicate blocks,
// locations, upstreams, listens and default servers, unknown log formats and variables, a main
// configuration without events. Each case is also given to the real nginx, when it is installed: it
// must reject a positive case with our first message (at a line our finding covers, when nginx names
// one) and accept a negative one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/parser';
import { loadRules } from '../../server/src/analysis/rules/load';
import type { Finding } from '../../server/src/analysis/types';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { DEBIAN_NGINX_VERSION, nginxAvailable, nginxTest, testCertificates } from '../support/nginx';
import { DEBIAN_NGINX, nginxBinaries } from '../support/nginxBuilds';
import { compareVersions, parseVersion } from '../../server/src/analysis/knowledge/versions';

const MAIN = '/etc/nginx/nginx.conf';
const noNginx = nginxAvailable() ? false : 'nginx not installed (apt-get install nginx-extras)';
const LOAD_RULE_IDS = new Set(loadRules.map((rule) => rule.id));
const STREAM_MODULE = 'load_module /usr/lib/nginx/modules/ngx_stream_module.so;';

const http = (...body: string[]) => ['events {}', 'http {', ...body, '}', ''].join('\n');
const stream = (...body: string[]) => [STREAM_MODULE, 'events {}', 'stream {', ...body, '}', ''].join('\n');
const MAIL_MODULE = 'load_module /usr/lib/nginx/modules/ngx_mail_module.so;';
/** A mail block, its body from line 4, with the auth_http service every server needs unless `auth` says otherwise. */
const mail = (...body: string[]) => [MAIL_MODULE, 'events {}', 'mail {', ...body, '}', ''].join('\n');
const AUTH_HTTP = 'auth_http 127.0.0.1:9000/auth;';

/** Our findings of the load rules in `files[target]`, as "first-last: code: message" (1-based lines). */
function loadFindingsOf(files: Record<string, string>, target = MAIN, nginxVersion = DEBIAN_NGINX_VERSION): { shown: string[]; findings: Finding[]; lines: LineIndex } {
  const lines = new LineIndex(files[target]);
  const findings = analyzeFiles(files, target, { nginxVersion }).filter((finding) => LOAD_RULE_IDS.has(finding.code));
  const shown = findings.map((finding) => {
    const first = lines.positionAt(finding.span.start).line + 1;
    const last = lines.positionAt(finding.span.end).line + 1;
    return `${first === last ? first : `${first}-${last}`}: ${finding.code}: ${finding.message}`;
  });
  return { shown, findings, lines };
}

interface Case {
  name: string;
  text: string;
  /** Our findings; the first one's message is nginx's, at a line it covers (when nginx names a line). */
  ours: string[];
  /** For a clean case: the rules it shows silent where they might speak. */
  guards?: string[];
  /** The first release that reads the case (Debian's 1.22.1 is the judge otherwise): the source builds from it judge it. */
  since?: string;
  /** A file that `text` includes (its path relative to nginx.conf's folder): `ours` are then its findings, and nginx must name it. */
  included?: { path: string; text: string };
  /** nginx finds it as it merges the http block's servers and locations, and names the line of its closing brace. */
  namedAtHttpEnd?: boolean;
}

/** A case's files, as we read them (under /etc/nginx) and as nginx does (under its prefix). */
const filesOf = (testCase: Case, folder: string): Record<string, string> =>
  ({ [`${folder}nginx.conf`]: testCase.text, ...(testCase.included && { [`${folder}${testCase.included.path}`]: testCase.included.text }) });

/** The file whose findings a case lists. */
const shownFileOf = (testCase: Case) => (testCase.included ? `/etc/nginx/${testCase.included.path}` : MAIN);

const positive: Case[] = [
  {
    name: 'a second events block',
    text: 'events {}\nevents {}\nhttp {}\n',
    ours: ['2: duplicate-block: "events" directive is duplicate'],
  },
  {
    name: 'a second http block',
    text: 'events {}\nhttp {}\nhttp {}\n',
    ours: ['3: duplicate-block: "http" directive is duplicate'],
  },
  {
    name: 'a plain and a ^~ location of one name, reported where the later one opens',
    text: http('server {', 'location /a {}', 'location ^~ /a', '{}', '}'),
    ours: ['5-6: duplicate-location: duplicate location "/a"'],
  },
  {
    name: 'two exact locations of one name nested in a location',
    text: http('server {', 'location /a {', 'location =/a/b {}', 'location = /a/b {}', '}', '}'),
    ours: ['6: duplicate-location: duplicate location "/a/b"'],
  },
  {
    name: 'a location that an include puts outside the regex location it stands in',
    text: http('server {', 'location ~* \\.md$ {', 'include err.conf;', '}', '}'),
    included: { path: 'err.conf', text: 'error_page 404 /error.html;\nlocation = /error.html { internal; }\n' },
    ours: ['2: nested-location: location "/error.html" is outside location "\\.md$"'],
  },
  {
    name: 'a location included in an exact location',
    text: http('server {', 'location = /a {', 'include loc.conf;', '}', '}'),
    included: { path: 'loc.conf', text: 'location /a/b { }\n' },
    ours: ['1: nested-location: location "/a/b" cannot be inside the exact location "/a"'],
  },
  {
    name: 'a directive that the http level sets and an included file sets again',
    text: http('server_tokens off;', 'include conf.d/*.conf;'),
    included: { path: 'conf.d/security.conf', text: 'add_header X-Frame-Options DENY;\nserver_tokens off;\n' },
    ours: ['2: included-duplicate-directive: "server_tokens" directive is duplicate'],
  },
  {
    name: 'a file of maps included at the http level and again in a server',
    text: http('include maps.conf;', 'server {', 'listen 8080;', 'include maps.conf;', '}'),
    included: { path: 'maps.conf', text: 'map $uri $x {\n    default 1;\n}\n' },
    ours: ['1: included-not-allowed-here: "map" directive is not allowed here (allowed in: http)'],
  },
  {
    name: 'a snippet included twice in one server (ssl_protocols only warns of its values: a bitmask)',
    text: http('server {', 'listen 8080;', 'include ssl-params.conf;', 'include ssl-params.conf;', '}'),
    included: { path: 'ssl-params.conf', text: 'ssl_protocols TLSv1.2 TLSv1.3;\nssl_prefer_server_ciphers on;\n' },
    ours: ['2: included-duplicate-directive: "ssl_prefer_server_ciphers" directive is duplicate'],
  },
  {
    name: 'an alias that an include adds to a location with a root',
    text: http('server {', 'location /static/ {', 'root /srv;', 'include static.conf;', '}', '}'),
    included: { path: 'static.conf', text: 'alias /srv/static/;\n' },
    ours: ['1: included-duplicate-directive: "alias" directive is duplicate, "root" directive was specified earlier'],
  },
  {
    name: 'proxy_buffer_size 64k alone: the default busy size, twice it, outgrows the 8 default 4k buffers',
    text: http('server {', 'listen 8080;', 'location / { proxy_buffer_size 64k; proxy_pass http://127.0.0.1:1; }', '}'),
    ours: ['5: buffer-sizes: "proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer'],
    namedAtHttpEnd: true,
  },
  {
    name: 'an http-level busy size larger than a location\'s proxy_buffers hold',
    text: http('proxy_buffers 4 128k;', 'proxy_busy_buffers_size 256k;', 'server {', 'listen 8080;', 'location / {', 'proxy_buffers 8 16k;', '}', '}'),
    ours: ['8: buffer-sizes: "proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer'],
    namedAtHttpEnd: true,
  },
  {
    name: 'one fastcgi buffer',
    text: http('server {', 'listen 8080;', 'location ~ \\.php$ { fastcgi_buffers 1 16k; fastcgi_pass 127.0.0.1:9000; }', '}'),
    ours: ['5: buffer-sizes: there must be at least 2 "fastcgi_buffers"'],
    namedAtHttpEnd: true,
  },
  {
    name: 'ssl_verify_client on in a TLS server without the clients\' CA (nginx names no line)',
    text: http('server {', 'listen 8443 ssl;', 'ssl_reject_handshake on;', 'ssl_verify_client on;', '}'),
    ours: ['6: ssl-verify-without-ca: no ssl_client_certificate for ssl_verify_client'],
  },
  {
    name: 'ssl_verify_client without a CA since nginx takes ssl_trusted_certificate for it (1.28)',
    text: http('server {', 'listen 8443 ssl;', 'ssl_reject_handshake on;', 'ssl_verify_client optional;', '}'),
    ours: ['6: ssl-verify-without-ca: no ssl_client_certificate or ssl_trusted_certificate for ssl_verify_client'],
    since: '1.28.0',
  },
  {
    name: 'proxy_ssl_verify on, inherited by a location that proxies to https, without the CA (nginx names no line)',
    text: http('proxy_ssl_verify on;', 'server {', 'listen 8080;', 'location / { proxy_pass https://127.0.0.1:1; }', '}'),
    ours: ['3: ssl-verify-without-ca: no proxy_ssl_trusted_certificate for proxy_ssl_verify'],
  },
  {
    name: 'a client certificate for an upstream over TLS without its key (nginx names no line)',
    text: http('server {', 'listen 8080;', 'location / { proxy_pass https://127.0.0.1:1; proxy_ssl_certificate /etc/ssl/client.pem; }', '}'),
    ours: ['5: ssl-certificate-without-key: no "proxy_ssl_certificate_key" is defined for certificate "/etc/ssl/client.pem"'],
  },
  {
    name: 'grpc_ssl_verify on for grpcs:// without the CA',
    text: http('server {', 'listen 8080;', 'location / { grpc_pass grpcs://127.0.0.1:1; grpc_ssl_verify on; }', '}'),
    ours: ['5: ssl-verify-without-ca: no grpc_ssl_trusted_certificate for grpc_ssl_verify'],
  },
  {
    name: 'two upstreams whose names differ in case',
    text: http('upstream U { server 127.0.0.1; }', 'upstream u {', 'server 127.0.0.1; }'),
    ours: ['4: duplicate-upstream: duplicate upstream "u"'],
  },
  {
    name: 'two stream upstreams of one name',
    text: stream('upstream u { server 127.0.0.1:1; }', 'upstream u { server 127.0.0.1:2; }'),
    ours: ['5: duplicate-upstream: duplicate upstream "u"'],
  },
  {
    name: 'an upstream with a zone and keepalive but no server, nginx names its closing brace',
    text: http('upstream b {', 'zone b 64k;', 'keepalive 2;', '}', 'server { location / { proxy_pass http://b; } }'),
    ours: ['3-6: upstream-without-servers: no servers are inside upstream'],
  },
  {
    name: 'a stream upstream without servers',
    text: stream('upstream dns { hash $remote_addr; }', 'server { listen 5353 udp; proxy_pass dns; }'),
    ours: ['4: upstream-without-servers: no servers are inside upstream'],
  },
  {
    name: 'listen ... ssl without a certificate, nginx names the server block',
    text: http('server {', 'listen 443 ssl;', 'server_name a;', '}'),
    ours: ['3: listen-ssl-without-certificate: no "ssl_certificate" is defined for the "listen ... ssl" directive'],
  },
  {
    name: 'ssl on in a server without a certificate, nginx names the ssl directive',
    text: http('server {', 'listen 8443;', 'ssl on;', '}'),
    ours: ['5: listen-ssl-without-certificate: no "ssl_certificate" is defined for the "ssl" directive'],
  },
  {
    name: 'ssl on at the http level, inherited by a server without a certificate',
    text: http('ssl on;', 'server { listen 8443; ssl_reject_handshake on; }', 'server { listen 8444; }'),
    ours: ['3: listen-ssl-without-certificate: no "ssl_certificate" is defined for the "ssl" directive'],
  },
  {
    name: 'a server with a certificate and no key, nginx names the certificate and no line',
    text: http('server {', 'listen 443 ssl;', 'ssl_certificate /etc/ssl/a.pem;', '}'),
    ours: ['5: ssl-certificate-without-key: no "ssl_certificate_key" is defined for certificate "/etc/ssl/a.pem"'],
  },
  {
    name: 'a map key of 47 bytes, too long for a 64-byte bucket (nginx names no line)',
    text: http('map $uri $m {', '/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1;', '}'),
    ours: ['4: hash-bucket-size: could not build map_hash, you should increase map_hash_bucket_size: 64'],
  },
  {
    name: 'a server name of 47 bytes on an address another server shares',
    text: http('server { listen 8080; server_name aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com; }', 'server { listen 8080; server_name b.test; }'),
    ours: ['3: hash-bucket-size: could not build server_names_hash, you should increase server_names_hash_bucket_size: 64'],
  },
  {
    name: 'a map of 1,200 keys where map_hash_max_size 1 puts them in one bucket, larger than 64 KB (nginx names no line)',
    text: http('map_hash_max_size 1;', 'map $uri $m {', ...Array.from({ length: 1200 }, (_, i) => `/a-path-of-forty-bytes-or-so/number-${i} 1;`), '}'),
    ours: ['4: hash-bucket-size: could not build map_hash, you should increase map_hash_max_size: 1'],
  },
  {
    name: 'two stream default servers of one address, since stream servers have names (1.25.5)',
    text: ['# stream built in (source builds judge it)', 'events {}', 'stream {', 'server { listen 9000 default_server; proxy_pass 127.0.0.1:1; }', 'server { listen 9000 default_server; server_name b; proxy_pass 127.0.0.1:2; }', '}', ''].join('\n'),
    ours: ['5: duplicate-default-server: a duplicate default server for 0.0.0.0:9000'],
    since: '1.25.5',
  },
  {
    name: 'servers resolved at run time in an upstream without a zone, and in one with a zone but no resolver (nginx names the upstream in its message)',
    text: http('upstream app { server localhost:9000 resolve; }', 'upstream b { zone b 64k; server localhost:9001 resolve; }', 'server { listen 8080; resolver 127.0.0.1; location / { proxy_pass http://b; } }'),
    ours: [
      '3: upstream-resolve: resolving names at run time requires upstream "app" in /etc/nginx/nginx.conf:3 to be in shared memory',
      '4: upstream-resolve: no resolver defined to resolve names at run time in upstream "b" in /etc/nginx/nginx.conf:4',
    ],
    since: '1.27.3',
  },
  {
    name: 'an upstream zone that no upstream gives a size (nginx names no line)',
    text: http('upstream a { zone shared; server 127.0.0.1:1; }'),
    ours: ['3: unknown-zone: zero size shared memory zone "shared"'],
  },
  {
    name: 'a proxy_redirect whose replacement names a variable nothing defines (nginx names no line)',
    text: http('server { location / { proxy_pass http://127.0.0.1:1; proxy_redirect http://$host/ http://$hoost/; } }'),
    ours: ['3: unknown-variable: unknown "hoost" variable'],
  },
  {
    name: 'one keys_zone name for a proxy and a fastcgi cache',
    text: http('proxy_cache_path /tmp/a keys_zone=z:10m;', 'fastcgi_cache_path /tmp/b keys_zone=z:10m;'),
    ours: ['4: duplicate-zone: the shared memory zone "z" is already declared for a different use'],
  },
  {
    name: 'a limit_req_zone defined twice',
    text: http('limit_req_zone $binary_remote_addr zone=api:10m rate=1r/s;', 'limit_req_zone $uri zone=api:10m rate=5r/s;'),
    ours: ['4: duplicate-zone: limit_req_zone "api" is already bound to key "$binary_remote_addr"'],
  },
  {
    name: 'a cache zone given two sizes',
    text: http('proxy_cache_path /tmp/a keys_zone=z:10m;', 'proxy_cache_path /tmp/b keys_zone=z:20m;'),
    ours: ['4: duplicate-zone: the size 20971520 of shared memory zone "z" conflicts with already declared size 10485760'],
  },
  {
    name: 'ssl_session_cache shared:SSL in http and in stream: two modules, one zone',
    text: [STREAM_MODULE, 'events {}', 'http { ssl_session_cache shared:SSL:10m; }', 'stream { ssl_session_cache shared:SSL:10m; }', ''].join('\n'),
    ours: ['4: duplicate-zone: the shared memory zone "SSL" is already declared for a different use'],
  },
  {
    name: 'fastcgi_pass to a name that no upstream names, nginx names the directive',
    text: http('server {', 'location ~ \\.php$ {', 'fastcgi_pass php-fpm;', '}', '}'),
    ours: ['5: no-port-in-upstream: no port in upstream "php-fpm"'],
  },
  {
    name: 'grpc_pass grpc:// to an address without a port',
    text: http('server { listen 80 http2; location / { grpc_pass grpc://127.0.0.1; } }'),
    ours: ['3: no-port-in-upstream: no port in upstream "127.0.0.1"'],
  },
  {
    name: 'a stream proxy_pass to a name without a port',
    text: stream('server { listen 9000; proxy_pass backend; }'),
    ours: ['4: no-port-in-upstream: no port in upstream "backend"'],
  },
  {
    name: 'listen 80 and listen *:80 in one server',
    text: http('server {', 'listen 80;', 'listen *:80;', '}'),
    ours: ['5: duplicate-listen: a duplicate listen 0.0.0.0:80'],
  },
  {
    name: 'one IPv6 address written two ways',
    text: http('server {', 'listen [::0]:8080;', 'listen [0::]:8080 ipv6only=on;', '}'),
    ours: ['5: duplicate-listen: a duplicate listen [::]:8080'],
  },
  {
    name: 'an address without a port listens on 80',
    text: http('server {', 'listen 127.0.0.1;', 'listen 127.0.0.1:80;', '}'),
    ours: ['5: duplicate-listen: a duplicate listen 127.0.0.1:80'],
  },
  {
    name: 'one unix socket twice',
    text: http('server {', 'listen unix:/run/app.sock;', 'listen unix:/run/app.sock;', '}'),
    ours: ['5: duplicate-listen: a duplicate listen unix:/run/app.sock'],
  },
  {
    name: 'two servers that both set the options of one socket',
    text: http('server { listen 8080 reuseport; }', 'server { listen *:8080 backlog=511; server_name b; }'),
    ours: ['4: duplicate-listen: duplicate listen options for 0.0.0.0:8080'],
  },
  {
    name: 'two default servers of one address, the older `default` spelling',
    text: http('server { listen 80 default_server; }', 'server {', 'listen 0.0.0.0:80 default; server_name b;', '}'),
    ours: ['5: duplicate-default-server: a duplicate default server for 0.0.0.0:80'],
  },
  {
    name: 'one server listening twice as default server is a duplicate listen',
    text: http('server { listen 80 default_server; listen 80 default_server; }'),
    ours: ['3: duplicate-listen: a duplicate listen 0.0.0.0:80'],
  },
  {
    name: 'a log_format named combined, in http',
    text: http('log_format combined "$remote_addr";'),
    ours: ['3: duplicate-log-format: duplicate "log_format" name "combined"'],
  },
  {
    name: 'two stream log formats of one name',
    text: stream('log_format basic "$remote_addr";', 'log_format basic', '  "$status";'),
    ours: ['5-6: duplicate-log-format: duplicate "log_format" name "basic"'],
  },
  {
    name: 'two stream servers on one port, written two ways',
    text: stream('server { listen 9000; proxy_pass 127.0.0.1:1; }', 'server {', 'listen *:9000;', 'proxy_pass 127.0.0.1:1; }'),
    ours: ['6: duplicate-stream-listen: duplicate "0.0.0.0:9000" address and port pair'],
  },
  {
    name: 'an access_log above the log_format it names',
    text: http('access_log /tmp/a.log main;', 'log_format main "$remote_addr";'),
    ours: ['3: unknown-log-format: unknown log format "main"'],
  },
  {
    name: 'access_log PATH buffer=32k: the third word is the format name',
    text: http('server {', 'access_log /tmp/a.log', '  buffer=32k;', '}'),
    ours: ['5: unknown-log-format: unknown log format "buffer=32k"'],
  },
  {
    name: 'stream predefines no format, not even combined',
    text: stream('server { listen 9000; access_log /tmp/s.log combined; proxy_pass 127.0.0.1:1; }'),
    ours: ['4: unknown-log-format: unknown log format "combined"'],
  },
  {
    name: '$connection_upgrade without its map (the name is lowercased, as nginx prints it)',
    text: http('server {', 'location / {', 'proxy_pass http://127.0.0.1:3000;', 'proxy_set_header Connection $Connection_Upgrade;', '}', '}'),
    ours: ['6: unknown-variable: unknown "connection_upgrade" variable'],
  },
  {
    name: '${name} in a return',
    text: http('server { return 200 "${foo}bar"; }'),
    ours: ['3: unknown-variable: unknown "foo" variable'],
  },
  {
    name: 'a map value, an if operand, a log_format word',
    text: http('map $uri $x { default $zz; }', 'log_format f "$nope";', 'server { if ($x = $zz2) { return 200 $x; } }'),
    ours: ['3: unknown-variable: unknown "zz" variable', '4: unknown-variable: unknown "nope" variable', '5: unknown-variable: unknown "zz2" variable'],
  },
  {
    name: 'proxy_set_header at the http level is compiled once a server inherits it',
    text: http('proxy_set_header X-Thing $thing;', 'server {}'),
    ours: ['3: unknown-variable: unknown "thing" variable'],
  },
  {
    name: 'a variable of a stream map',
    text: stream('map $remote_addr $m { default $nope; }', 'server { listen 9000; return $m; }'),
    ours: ['4: unknown-variable: unknown "nope" variable'],
  },
  {
    name: 'set of a variable that nginx defines and does not let change, named as written',
    text: http('server {', 'set $Server_Name foo;', '}'),
    ours: ['4: duplicate-variable: the duplicate "Server_Name" variable'],
  },
  {
    name: 'a map to $host, a geo to $request_uri',
    text: http('map $http_x $host { default a; }', 'geo $remote_addr $request_uri { default a; }'),
    ours: ['3: duplicate-variable: the duplicate "host" variable', '4: duplicate-variable: the duplicate "request_uri" variable'],
  },
  {
    name: 'a stream map to $remote_addr',
    text: stream('map $server_port $remote_addr { default a; }'),
    ours: ['4: duplicate-variable: the duplicate "remote_addr" variable'],
  },
  {
    name: 'expires, proxy_bind, proxy_cache and proxy_store compile their values',
    text: http('server {', 'location / { expires $expires_for; }', 'location /b { proxy_bind $bind_to; proxy_pass http://127.0.0.1:1; }',
      'location /c { proxy_cache $zone_for; proxy_pass http://127.0.0.1:1; }', 'location /s { proxy_store /data$stored; proxy_pass http://127.0.0.1:1; }', '}'),
    ours: ['4: unknown-variable: unknown "expires_for" variable', '5: unknown-variable: unknown "bind_to" variable',
      '6: unknown-variable: unknown "zone_for" variable', '7: unknown-variable: unknown "stored" variable'],
  },
  {
    name: 'limit_req of a zone that no limit_req_zone defines (nginx names no line)',
    text: http('server {', 'location /api { limit_req zone=api_limit burst=10 nodelay; }', '}'),
    ours: ['4: unknown-zone: zero size shared memory zone "api_limit"'],
  },
  {
    name: 'a limit_req zone nothing defines, beside a server-level include that matches nothing (it cannot define a zone)',
    text: http('server {', 'include conf.d/plugin*.conf;', 'location / { limit_req zone=sms; return 204; }', '}'),
    ours: ['5: unknown-zone: zero size shared memory zone "sms"'],
  },
  {
    name: 'a stream limit_conn of an undefined zone',
    text: stream('server { listen 9000; limit_conn per_ip 16; proxy_pass 127.0.0.1:1; }'),
    ours: ['4: unknown-zone: zero size shared memory zone "per_ip"'],
  },
  {
    name: 'memcached_pass without $memcached_key',
    text: http('server {', 'location /m {', 'memcached_pass 127.0.0.1:11211;', '}', '}'),
    ours: ['5: unknown-variable: unknown "memcached_key" variable'],
  },
  {
    name: 'an http variable in a stream log format: the stream tree has no $http_host',
    text: stream('log_format f "$remote_addr $http_host";', 'server { listen 9000; access_log /tmp/s.log f; proxy_pass 127.0.0.1:1; }'),
    ours: ['4: unknown-variable: unknown "http_host" variable'],
  },
  {
    name: 'a stream variable in an http map: the http tree has no $ssl_preread_server_name',
    text: http('map $ssl_preread_server_name $backend { default 127.0.0.1:1; }', 'server { listen 8080; location / { proxy_pass http://$backend; } }'),
    ours: ['3: unknown-variable: unknown "ssl_preread_server_name" variable'],
  },
  {
    name: 'a mail server without auth_http (nginx names the server)',
    text: mail('server {', 'listen 10143;', 'protocol imap;', '}'),
    ours: ['4: missing-auth-http: no "auth_http" is defined for server'],
  },
  {
    name: 'a mail server with no protocol and a listen on no port of a mail protocol',
    text: mail(AUTH_HTTP, 'server {', 'listen 10143;', '}'),
    ours: ['5: unknown-mail-protocol: unknown mail protocol for server'],
  },
  {
    name: 'two mail servers on one address and port',
    text: mail(AUTH_HTTP, 'server { listen 10143; protocol imap; }', 'server {', 'listen 10143;', 'protocol pop3;', '}'),
    ours: ['7: duplicate-mail-listen: duplicate "0.0.0.0:10143" address and port pair'],
  },
  {
    name: 'starttls in a mail server without a certificate (nginx names the starttls)',
    text: mail(AUTH_HTTP, 'server {', 'listen 10143;', 'protocol imap;', 'starttls on;', '}'),
    ours: ['8: listen-ssl-without-certificate: no "ssl_certificate" is defined for the "starttls" directive'],
  },
  {
    name: 'a mail listen ... ssl without a certificate',
    text: mail(AUTH_HTTP, 'server {', 'listen 10993 ssl;', 'protocol imap;', '}'),
    ours: ['6: listen-ssl-without-certificate: no "ssl_certificate" is defined for the "listen ... ssl" directive'],
  },
  {
    name: 'a mail level certificate without its key, for a server that listens with ssl',
    text: mail(AUTH_HTTP, 'ssl_certificate /etc/ssl/a.pem;', 'server {', 'listen 10993 ssl;', 'protocol imap;', '}'),
    ours: ['7: ssl-certificate-without-key: no "ssl_certificate_key" is defined for the "listen ... ssl" directive'],
  },
  {
    name: 'starttls, then ssl on, in one mail server (before 1.25.1)',
    text: mail(AUTH_HTTP, 'ssl_certificate /etc/ssl/a.pem; ssl_certificate_key /etc/ssl/a.key;', 'server {', 'listen 10143;', 'protocol imap;', 'starttls on;', 'ssl on;', '}'),
    ours: ['10: conflicting-mail-tls: "starttls" directive conflicts with "ssl on"'],
  },
  {
    name: 'a stream server without a listen (nginx names the server)',
    text: stream('server {', 'proxy_pass 127.0.0.1:1;', '}'),
    ours: ['4: server-without-listen: no "listen" is defined for server'],
  },
  {
    name: 'a stream server that neither proxies nor returns (before 1.27.1)',
    text: stream('server {', 'listen 9000;', '}'),
    ours: ['4: stream-server-without-handler: no handler for server'],
  },
  {
    name: 'a pass with a port to a name an upstream block has (the names compare ignoring case)',
    text: http('upstream app { server 127.0.0.1:3000; }', 'server {', 'listen 8080;', 'location / { proxy_pass http://APP:3000/x; }', 'location /b { proxy_pass http://app; }', '}'),
    ours: ['6: upstream-with-port: upstream "APP" may not have port 3000'],
  },
  {
    name: 'a main configuration without events',
    text: 'worker_processes 1;\nhttp {}\n',
    ours: ['1: missing-events: no "events" section in configuration'],
  },
];

const negative: Case[] = [
  {
    name: 'a proxy_redirect regex, whose $ is an anchor, and its captures in the replacement',
    text: http('server { location / { proxy_pass http://127.0.0.1:1; proxy_redirect ~^http://([^/]+)/(.*)$ https://$1/$2; proxy_cookie_path ~*^/app(.*)$ $1; } }'),
    ours: [],
    guards: ['unknown-variable'],
  },
  {
    name: 'one ssl_session_cache zone in two servers, one zone in two upstreams, a limit used before its zone',
    text: http(
      'ssl_session_cache shared:SSL:10m;', 'server { listen 8443; ssl_session_cache shared:SSL:10m; location / { limit_req zone=api; } }',
      'upstream a { zone ups 64k; server 127.0.0.1:1; }', 'upstream b { zone ups 64k; server 127.0.0.1:2; }', 'upstream c { zone ups; server 127.0.0.1:3; }',
      'limit_req_zone $binary_remote_addr zone=api:10m rate=1r/s;', 'proxy_cache_path /tmp/a keys_zone=pages:10m;', 'server { listen 8080; location / { proxy_cache pages; } }',
    ),
    ours: [],
    guards: ['duplicate-zone', 'unknown-zone'],
  },
  {
    name: 'long keys and names where their hash has room: 46 bytes, a larger bucket set before the map, regexes, a server alone on its address',
    text: http(
      'map_hash_bucket_size 128;', 'server_names_hash_bucket_size 128;',
      'map $uri $m {', '/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 1;', '~^/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc 2;', '}',
      'server { listen 8080; server_name aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.comdddddddddddddddddddddddddddddddddddddddd; }', 'server { listen 8080; server_name b.test; }',
      'server { listen 8081; server_name eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.com; }',
    ),
    ours: [],
    guards: ['hash-bucket-size', 'suboptimal-hash'],
  },
  {
    name: 'a key of 46 bytes in a 64-byte bucket',
    text: http('map $uri $m {', '/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1;', '}', 'server { listen 8080; server_name aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com; }', 'server { listen 8080; server_name b.test; }'),
    ours: [],
    guards: ['hash-bucket-size'],
  },
  {
    name: 'servers resolved at run time with a zone and the upstream\'s resolver, or the http level\'s; in stream too',
    text: ['# stream built in (source builds judge it)', 'events {}', 'http {', 'resolver 127.0.0.1;', 'upstream a { zone a 64k; server localhost:9000 resolve; }', 'upstream b { zone b 64k; resolver 127.0.0.2; server localhost:9001 resolve; }', '}',
      'stream { resolver 127.0.0.1; upstream c { zone c 64k; server localhost:9002 resolve; } }', ''].join('\n'),
    ours: [],
    guards: ['upstream-resolve'],
    since: '1.27.3',
  },
  {
    name: 'one name on two ports, regex names twice, a wildcard and an exact name of other kinds',
    text: http('server { listen 8080; server_name a.test ~^r *.w.test; }', 'server { listen 8081; server_name a.test; }', 'server { listen 8080; server_name ~^r w.test www.*; }'),
    ours: [],
    guards: ['conflicting-server-name'],
  },
  { name: 'one events and one http block', text: http(), ours: [], guards: ['duplicate-block', 'missing-events'] },
  {
    name: 'an exact and a prefix location of one name, two regex ones, two named ones, one name in two servers',
    text: http(
      'server {', 'location = /a {}', 'location /a {}', 'location ~ /r {}', 'location ~ /r {}', 'location @n {}', 'location @n {}', '}',
      'server { listen 8080; location /a {} }',
    ),
    ours: [],
    guards: ['duplicate-location'],
  },
  {
    name: 'an http and a stream upstream of one name',
    text: [STREAM_MODULE, 'events {}', 'http { upstream u { server 127.0.0.1; } }', 'stream { upstream u { server 127.0.0.1:1; } }', ''].join('\n'),
    ours: [],
    guards: ['duplicate-upstream'],
  },
  {
    name: 'a default server on ssl that rejects handshakes needs no certificate',
    text: http('server { listen 443 ssl default_server; ssl_reject_handshake on; }', 'server { listen 80; }'),
    ours: [],
    guards: ['listen-ssl-without-certificate'],
  },
  {
    name: 'ssl on with a certificate from the http level, and ssl off',
    text: http('ssl_certificate /etc/ssl/$ssl_server_name.pem;', 'ssl_certificate_key /etc/ssl/$ssl_server_name.key;',
      'server { listen 8443; ssl on; }', 'server { listen 8444; ssl off; }'),
    ours: [],
    guards: ['listen-ssl-without-certificate'],
  },
  {
    name: 'certificates and keys in the server, or inherited from http as lists, loaded per handshake (variables)',
    text: http('ssl_certificate /etc/ssl/$ssl_server_name.pem;', 'ssl_certificate_key /etc/ssl/$ssl_server_name.key;',
      'server { listen 443 ssl; }',
      'server { listen 8443 ssl; ssl_certificate /etc/ssl/$ssl_server_name.rsa.pem; ssl_certificate /etc/ssl/$ssl_server_name.ecdsa.pem;',
      '  ssl_certificate_key /etc/ssl/$ssl_server_name.rsa.key; ssl_certificate_key /etc/ssl/$ssl_server_name.ecdsa.key; }'),
    ours: [],
    guards: ['ssl-certificate-without-key', 'listen-ssl-without-certificate'],
  },
  {
    name: 'zones defined before or after their use, cache off, a cache zone from a variable',
    text: http('server {', '  location / { limit_req zone=one; limit_conn addr 10; proxy_cache off; proxy_pass http://127.0.0.1:1; }',
      '  location /c { proxy_cache $cache_zone; proxy_pass http://127.0.0.1:1; }', '}',
      'map $uri $cache_zone { default cache; }',
      'limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;', 'limit_conn_zone $binary_remote_addr zone=addr:10m;',
      'proxy_cache_path /tmp/cache keys_zone=cache:1m;'),
    ours: [],
    guards: ['unknown-zone'],
  },
  {
    name: 'upstreams with servers',
    text: http('upstream a { server 127.0.0.1:1; }', 'upstream b { zone b 64k; server 127.0.0.1:2; keepalive 2; }', 'server { location / { proxy_pass http://a; } }'),
    ours: [],
    guards: ['upstream-without-servers'],
  },
  {
    name: 'passes to upstreams named in any case, defined after the pass, to ports, sockets and variables; proxy_pass defaults to 80',
    text: http(
      'server {',
      '  location ~ \\.php$ { fastcgi_pass PHP; }',
      '  location /u { uwsgi_pass uwsgi://app; }',
      '  location /s { scgi_pass 127.0.0.1:4000; }',
      '  location /m { set $memcached_key $uri; memcached_pass unix:/run/memcached.sock; }',
      '  location /g { grpc_pass grpc://[::1]:50051; }',
      '  location /v { fastcgi_pass $backend; }',
      '  location /p { proxy_pass http://app; }',
      '  location /h { proxy_pass http://localhost; }',
      '  set $backend 127.0.0.1:9000;',
      '}',
      'upstream php { server 127.0.0.1:9000; }',
      'upstream app { server 127.0.0.1:3031; }',
    ),
    ours: [],
    guards: ['no-port-in-upstream'],
  },
  {
    name: 'one port in two servers, two addresses of one port in one server, a host name',
    text: http('server { listen 80; listen 127.0.0.1:80; }', 'server { listen 80; listen localhost:8081; server_name b; }', 'server { listen localhost:8081; server_name c; }'),
    ours: [],
    guards: ['duplicate-listen'],
  },
  {
    name: 'stream listens of one port over tcp and udp, or on a wildcard and a specific address',
    text: stream('server { listen 9000; proxy_pass 127.0.0.1:1; }', 'server { listen 9000 udp; listen 127.0.0.1:9000; proxy_pass 127.0.0.1:1; }'),
    ours: [],
    guards: ['duplicate-stream-listen'],
  },
  {
    name: 'default servers of different ports and addresses',
    text: http('server { listen 80 default_server; }', 'server { listen 81 default_server; }', 'server { listen 127.0.0.1:80 default_server; }'),
    ours: [],
    guards: ['duplicate-default-server'],
  },
  {
    name: 'log formats whose names differ in case; combined in stream',
    text: [STREAM_MODULE, 'events {}', 'http { log_format main "$remote_addr"; log_format Main "$status"; }', 'stream { log_format combined "$remote_addr"; }', ''].join('\n'),
    ours: [],
    guards: ['duplicate-log-format'],
  },
  {
    name: 'log formats defined above, names compared case-insensitively; combined; off',
    text: http('log_format Main "$remote_addr";', 'access_log /tmp/a.log mAIN;', 'server { access_log /tmp/b.log combined; access_log /tmp/c.log; access_log off; }'),
    ours: [],
    guards: ['unknown-log-format'],
  },
  {
    name: 'variables of map, geo, split_clients, set, auth_request_set, named and numbered captures, built-ins and families',
    text: http(
      'map $http_upgrade $connection_upgrade { default upgrade; "" close; }',
      'map $uri $tail { ~^/(?<rest>.*)$ $rest; default ""; }',
      'geo $arg_ip $geo { default 1; }',
      'split_clients "${remote_addr}x" $variant { 50% a; * b; }',
      'server {',
      '  set $target "$scheme://$host$request_uri";',
      '  location ~ ^/(?P<app>\\w+)/(.*)$ { proxy_pass http://127.0.0.1/$app/$2$is_args$args; }',
      '  location /auth { auth_request /check; auth_request_set $user $upstream_http_x_user; add_header X-User $user; }',
      '  location /ws { proxy_pass http://127.0.0.1; proxy_set_header Connection $connection_upgrade; proxy_set_header X $http_x_forwarded_for$cookie_id$arg_page; }',
      '  return 200 "$target $tail $geo $variant $sent_http_content_type $1";',
      '}',
    ),
    ours: [],
    guards: ['unknown-variable'],
  },
  {
    name: 'variables that modules add one by one: slice, secure_link, referer, userid, gzip',
    text: http(
      'log_format f "$gzip_ratio $uid_got $uid_set";',
      'server {',
      '  location / { slice 1m; proxy_cache_key $uri$slice_range; proxy_set_header Range $slice_range; proxy_pass http://127.0.0.1:8080; }',
      '  location /s { secure_link $arg_md5,$arg_expires; secure_link_md5 "$secure_link_expires$uri"; return 200 "$secure_link $invalid_referer"; }',
      '}',
    ),
    ours: [],
    guards: ['unknown-variable'],
  },
  {
    name: 'variables that nginx lets change ($args, $limit_rate), header families, one map defined twice',
    text: http('map $uri $mine { default a; }', 'map $uri $mine { default b; }', 'map $uri $http_x_custom { default c; }',
      'server { set $args "a=1"; set $limit_rate 10k; set $cookie_x y; return 200 "$mine $http_x_custom"; }'),
    ours: [],
    guards: ['duplicate-variable'],
  },
  {
    name: 'a prefix and a regex location that an include puts inside a prefix location, as nginx takes them',
    text: http('server {', 'location /app/ {', 'include loc.conf;', '}', '}'),
    included: { path: 'loc.conf', text: 'location /app/api/ { }\nlocation ~ \\.php$ { }\n' },
    ours: [],
    guards: ['nested-location'],
  },
  {
    name: 'a snippet of proxy settings included in a server and in a location, which both take them',
    text: http('server {', 'listen 8080;', 'include proxy.conf;', 'location / { include proxy.conf; proxy_pass http://127.0.0.1:1; }', '}'),
    included: { path: 'proxy.conf', text: 'proxy_set_header Host $host;\nproxy_read_timeout 60s;\n' },
    ours: [],
    guards: ['included-not-allowed-here'],
  },
  {
    name: 'one snippet included in two servers, and lines an include adds that nginx takes many times',
    text: http('add_header X-A 1;', 'include headers.conf;', 'server {', 'listen 8080;', 'include headers.conf;', '}', 'server {', 'listen 8081;', 'include headers.conf;', '}'),
    included: { path: 'headers.conf', text: 'add_header X-Content-Type-Options nosniff;\nclient_max_body_size 10m;\n' },
    ours: [],
    guards: ['included-duplicate-directive'],
  },
  {
    name: 'buffer settings nginx takes: larger buffers with their busy size, fastcgi buffers, temp files off',
    text: http('server {', 'listen 8080;',
      'location /a { proxy_buffer_size 128k; proxy_buffers 4 256k; proxy_busy_buffers_size 256k; }',
      'location /b { fastcgi_buffer_size 32k; fastcgi_buffers 16 16k; }',
      'location /c { proxy_max_temp_file_size 0; proxy_buffer_size 16k; proxy_buffers 8 16k; }', '}'),
    ours: [],
    guards: ['buffer-sizes'],
  },
  {
    name: 'proxy_buffer_size 64k at the http level of a tree without servers is never merged',
    text: http('proxy_buffer_size 64k;'),
    ours: [],
    guards: ['buffer-sizes'],
  },
  {
    name: 'verification nginx does not set up: optional_no_ca, a server without TLS, an upstream over plain http (its client certificate unused)',
    text: http('server { listen 8443 ssl; ssl_reject_handshake on; ssl_verify_client optional_no_ca; }',
      'server { listen 8080; ssl_verify_client on; proxy_ssl_verify on; location / { proxy_pass http://127.0.0.1:1; proxy_ssl_certificate /etc/ssl/client.pem; } }'),
    ours: [],
    guards: ['ssl-verify-without-ca', 'ssl-certificate-without-key'],
  },
  {
    name: 'mail servers nginx takes: protocols by name and by well-known port, auth_http own or inherited, TLS off',
    text: mail(AUTH_HTTP, 'server { listen 143; }', 'server { listen 10110; protocol pop3; }', 'server { listen 127.0.0.1:10025; protocol smtp; auth_http 127.0.0.1:9001/; }',
      'server { listen 10026; protocol smtp; starttls off; ssl off; }'),
    ours: [],
    guards: ['unknown-mail-protocol', 'missing-auth-http', 'duplicate-mail-listen', 'conflicting-mail-tls', 'server-without-listen'],
  },
  {
    name: 'stream servers that return, proxy or pass',
    text: stream('server { listen 9000; return "x"; }', 'server { listen 9001; proxy_pass 127.0.0.1:1; }'),
    ours: [],
    guards: ['stream-server-without-handler'],
  },
  {
    name: 'passes to an upstream by its name alone, and with a port to a host no upstream names',
    text: http('server {', 'listen 8080;', 'location / { proxy_pass http://app; }', 'location /c { proxy_pass http://127.0.0.1:3001; }', '}', 'upstream app { server 127.0.0.1:3000; }', 'server { listen 8081; location / { proxy_pass http://app/; } }'),
    ours: [],
    guards: ['upstream-with-port'],
  },
  {
    name: 'proxy_set_header at the http level of a tree without servers is never compiled',
    text: http('proxy_set_header X-Thing $thing;', 'fastcgi_param X $thing;'),
    ours: [],
  },
  {
    name: '$ in regular expressions and literal arguments',
    text: http('server {', 'server_name ~^(?<sub>.+)\\.example\\.com$;', 'location ~ \\.php$ { if ($uri ~ "^/x$") { return 200 $sub; } }', 'rewrite ^/old/(.*)$ /new/$1;', '}'),
    ours: [],
  },
];

/** The binaries that judge a case: Debian's, or the source builds of the releases that read it. */
function judgesOf(testCase: Case): string[] {
  if (!testCase.since) return noNginx ? [] : [DEBIAN_NGINX];
  const since = parseVersion(testCase.since)!;
  return nginxBinaries().binaries.filter((binary) => !binary.debian && compareVersions(parseVersion(binary.version)!, since) >= 0).map((binary) => binary.path);
}

/** A path nginx prints in a message (its temp prefix, our /etc/nginx): the file's name is what both share. */
const withoutFolders = (message: string) => message.replace(/\/\S*\/(\S+:\d+)/g, '$1');

/** nginx's verdict on a case, checked against ours. */
function checkWithNginx(t: { diagnostic(message: string): void }, testCase: Case, nginx: string) {
  const result = nginxTest(filesOf(testCase, ''), 'nginx.conf', nginx);
  const expected = testCase.ours[0];
  if (!expected) {
    assert.equal(result.ok, true, `nginx rejects it: ${result.output}`);
    return;
  }
  assert.equal(result.ok, false, 'nginx accepts it');
  const [, range, ours] = /^(\d+(?:-\d+)?): [\w-]+: (.*)$/.exec(expected)!;
  // Where a directive goes is ours, said after nginx's words.
  const message = ours.replace(/ \(allowed in: [^)]*\)$/, '');
  assert.equal(withoutFolders(result.message ?? ''), withoutFolders(message), result.output);
  if (result.line === undefined) {
    t.diagnostic(`nginx names no line for: ${message}`);
    return;
  }
  assert.equal(result.file, testCase.included?.path ?? 'nginx.conf', result.output);
  if (testCase.namedAtHttpEnd) {
    assert.equal(result.line, testCase.text.split('\n').lastIndexOf('}') + 1, result.output);
    return;
  }
  const [first, last = first] = range.split('-').map(Number);
  assert.ok(first <= result.line && result.line <= last, `nginx names line ${result.line}, ours ${range}`);
}

for (const testCase of [...positive, ...negative]) {
  test(`${testCase.ours.length > 0 ? 'reported' : 'clean'}: ${testCase.name}`, async (t) => {
    await t.test('ours', () => assert.deepEqual(loadFindingsOf(filesOf(testCase, '/etc/nginx/'), shownFileOf(testCase), testCase.since).shown, testCase.ours));
    const judges = judgesOf(testCase);
    if (judges.length === 0) await t.test('the real nginx agrees', { skip: noNginx || `no nginx ${testCase.since} or later built (node scripts/build-nginx.mjs)` }, () => {});
    for (const nginx of judges) await t.test(`the real nginx agrees (${nginx})`, (t) => checkWithNginx(t, testCase, nginx));
  });
}

/** What nginx only warns of (it accepts the file): each has a test of its own against nginx's [warn] lines. */
const WARNED_BY_NGINX = new Set(['suboptimal-hash', 'conflicting-server-name']);
/** What nginx judges only with certificates it can load: its positive and negative cases are a test of their own. */
const JUDGED_WITH_CERTIFICATES = new Set(['quic-without-tls13', 'protocol-options-redefined']);

test('every load rule has a positive and a negative case', () => {
  const reported = new Set(positive.flatMap((c) => c.ours.map((line) => line.split(': ')[1])));
  const guarded = new Set(negative.flatMap((c) => c.guards ?? []));
  for (const rule of loadRules) {
    if (JUDGED_WITH_CERTIFICATES.has(rule.id)) continue;
    if (!WARNED_BY_NGINX.has(rule.id)) assert.ok(reported.has(rule.id), `no positive case for ${rule.id}`);
    assert.ok(guarded.has(rule.id), `no negative case for ${rule.id}`);
  }
});

test('a listen nginx refuses for a wrong parameter binds nothing: the next listen of its address is no duplicate', async (t) => {
  const text = http('server {', 'listen 8443 foo;', 'listen 8443;', '}');
  const errors = analyzeFiles({ [MAIN]: text }, MAIN, { nginxVersion: DEBIAN_NGINX_VERSION }).filter((finding) => finding.severity === 'error');
  assert.deepEqual(errors.map((finding) => `${finding.code}: ${finding.message}`), ['invalid-value: invalid parameter "foo"']);
  await t.test('the real nginx agrees', { skip: noNginx }, () => {
    const result = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
    assert.equal(result.message, 'invalid parameter "foo"');
    assert.equal(result.line, 4);
  });
});

test('an upstream block after a pass with a port to its name: nginx names the block, and the pass in its message', async (t) => {
  const files = {
    [MAIN]: http('include conf.d/*.conf;', 'upstream app {', 'server 127.0.0.1:3000;', '}'),
    '/etc/nginx/conf.d/site.conf': 'server {\n  listen 8080;\n  location / { proxy_pass http://app:3000; }\n}\n',
  };
  assert.deepEqual(loadFindingsOf(files).shown, ['4: upstream-with-port: upstream "app" may not have port 3000 in /etc/nginx/conf.d/site.conf:3']);
  await t.test('the real nginx agrees', { skip: noNginx }, () => {
    const result = nginxTest({ 'nginx.conf': files[MAIN], 'conf.d/site.conf': files['/etc/nginx/conf.d/site.conf'] }, 'nginx.conf');
    // The place nginx prints is the pass's, in its message.
    assert.equal(result.message, 'upstream "app" may not have port 3000', result.output);
    assert.equal(result.file, 'conf.d/site.conf');
    assert.equal(result.line, 3);
  });
});

test('a certificate whose `;` was left out swallows its key\'s line: nginx\'s argument error alone, no key said missing', async (t) => {
  const text = http('server {', 'listen 8443 ssl;', 'ssl_certificate /etc/ssl/a.pem', 'ssl_certificate_key /etc/ssl/a.key;', '}');
  const errors = analyzeFiles({ [MAIN]: text }, MAIN, { nginxVersion: DEBIAN_NGINX_VERSION }).filter((finding) => finding.severity === 'error');
  assert.deepEqual(errors.map((finding) => `${finding.code}: ${finding.message}`), ['invalid-arguments: invalid number of arguments in "ssl_certificate" directive']);
  await t.test('the real nginx agrees', { skip: noNginx }, () => {
    const result = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
    assert.equal(result.message, 'invalid number of arguments in "ssl_certificate" directive');
    assert.equal(result.line, 6);
  });
});

test('a duplicate in an included file is shown in that file, at nginx\'s line', async (t) => {
  const files = {
    [MAIN]: http('server {', 'location /a {}', 'include conf.d/more.conf;', '}'),
    '/etc/nginx/conf.d/more.conf': '# more locations\nlocation /a {\n}\n',
  };
  assert.deepEqual(loadFindingsOf(files).shown, []);
  assert.deepEqual(loadFindingsOf(files, '/etc/nginx/conf.d/more.conf').shown, ['2: duplicate-location: duplicate location "/a"']);
  const [duplicate] = loadFindingsOf(files, '/etc/nginx/conf.d/more.conf').findings;
  assert.deepEqual(duplicate.related?.map((r) => [r.file, files[MAIN].slice(r.span.start, r.span.end), r.message]),
    [[MAIN, 'location /a {', 'defined first here']]);
  await t.test('the real nginx agrees', { skip: noNginx }, () => {
    const result = nginxTest({ 'nginx.conf': files[MAIN], 'conf.d/more.conf': files['/etc/nginx/conf.d/more.conf'] }, 'nginx.conf');
    assert.equal(result.message, 'duplicate location "/a"');
    assert.equal(result.file, 'conf.d/more.conf');
    assert.equal(result.line, 2);
  });
});

test('a directive repeated across an include is shown where nginx names it, once', async (t) => {
  const files = {
    [MAIN]: http('include conf.d/*.conf;', 'server_tokens off;'),
    '/etc/nginx/conf.d/a.conf': 'server_tokens off;\nserver_tokens on;\n',
  };
  const all = analyzeFiles(files, MAIN, { nginxVersion: DEBIAN_NGINX_VERSION }).concat(analyzeFiles(files, '/etc/nginx/conf.d/a.conf', { nginxVersion: DEBIAN_NGINX_VERSION }));
  const codes = all.filter((finding) => finding.code.endsWith('duplicate-directive')).map((finding) => finding.code);
  assert.deepEqual(codes.sort(), ['duplicate-directive', 'included-duplicate-directive'], 'the included file\'s own repetition, and the main file\'s line after the include');
  assert.deepEqual(loadFindingsOf(files).shown, ['4: included-duplicate-directive: "server_tokens" directive is duplicate']);
  const [repeated] = loadFindingsOf(files).findings;
  assert.deepEqual(repeated.related?.map((r) => [r.file, r.message]), [['/etc/nginx/conf.d/a.conf', 'specified earlier here']]);
  // The included file's own repetition is duplicate-directive's, not this rule's too.
  assert.deepEqual(loadFindingsOf(files, '/etc/nginx/conf.d/a.conf').shown, []);
  await t.test('the real nginx agrees', { skip: noNginx }, () => {
    const result = nginxTest({ 'nginx.conf': files[MAIN], 'conf.d/a.conf': files['/etc/nginx/conf.d/a.conf'] }, 'nginx.conf');
    assert.equal(result.message, '"server_tokens" directive is duplicate');
    assert.equal(result.file, 'conf.d/a.conf');
    assert.equal(result.line, 2);
  });
});

test('listen ... ssl: the default server of each address needs a certificate, its own or the http level\'s', async (t) => {
  const certificate = (cert: string, key: string) => `ssl_certificate ${cert}; ssl_certificate_key ${key};`;
  const cases = (cert: string, key: string): Array<[string, string, string[]]> => [
    ['at the http level', http(certificate(cert, key), 'server { listen 443 ssl; }'), []],
    ['only a server that is not the default lacks one', http(`server { listen 443 ssl; ${certificate(cert, key)} }`, 'server { listen 443 ssl; server_name b; }'), []],
    ['the default_server lacks one', http(`server { listen 443 ssl; ${certificate(cert, key)} }`, 'server {', 'listen 443 ssl default_server; server_name b;', '}'),
      ['4: listen-ssl-without-certificate: no "ssl_certificate" is defined for the "listen ... ssl" directive']],
    ['one listen with ssl makes the address ssl', http('server { listen 8443; }', `server { listen 8443 ssl; server_name b; ${certificate(cert, key)} }`),
      ['3: listen-ssl-without-certificate: no "ssl_certificate" is defined for the "listen ... ssl" directive']],
    ['the default rejects handshakes, another server has none', http('server { listen 443 ssl; ssl_reject_handshake on; }', 'server {', 'listen 443 ssl;', 'server_name b;', '}'),
      ['4: listen-ssl-without-certificate: no "ssl_certificate" is defined for the "listen ... ssl" directive']],
    ['the default rejects handshakes, the others have one', http('server { listen 443 ssl; ssl_reject_handshake on; }', `server { listen 443 ssl; server_name b; ${certificate(cert, key)} }`), []],
  ];
  for (const [name, text, ours] of cases('/etc/ssl/a.pem', '/etc/ssl/a.key')) {
    assert.deepEqual(loadFindingsOf({ [MAIN]: text }).shown, ours, name);
  }
  const quic = http('server {', 'listen 8443 quic;', '}');
  assert.deepEqual(loadFindingsOf({ [MAIN]: quic }).shown, [], 'nginx 1.22 has no quic: the parameter is the error');
  assert.deepEqual(analyzeFiles({ [MAIN]: quic }, MAIN, { nginxVersion: '1.26' }).filter((finding) => finding.code === 'listen-ssl-without-certificate').map((finding) => finding.message),
    ['no "ssl_certificate" is defined for the "listen ... quic" directive']);
  await t.test('the real nginx agrees', { skip: noNginx }, (t) => {
    const { cert, key } = testCertificates();
    for (const [name, text, ours] of cases(cert, key)) {
      assert.deepEqual(loadFindingsOf({ [MAIN]: text }).shown, ours, name);
      checkWithNginx(t, { name, text, ours }, DEBIAN_NGINX);
    }
  });
});

test('listen ... quic needs TLSv1.3 in the default server\'s ssl_protocols, its own or the http level\'s (1.25 on)', async (t) => {
  const textOf = (cert: string, key: string, protocols: string) =>
    http(`ssl_certificate ${cert}; ssl_certificate_key ${key};`, protocols, 'server {', 'listen 8443 quic;', '}', 'server { listen 8443 quic; server_name b; ssl_protocols TLSv1.3; }');
  const cases: Array<[string, string[]]> = [
    ['ssl_protocols TLSv1.2;', ['5: quic-without-tls13: "ssl_protocols" must enable TLSv1.3 for the "listen ... quic" directive']],
    ['ssl_protocols TLSv1.2 tlsv1.3;', []],
    ['# the default protocols have TLSv1.3', []],
  ];
  const ours = (text: string) => loadFindingsOf({ [MAIN]: text }, MAIN, '1.26').shown;
  for (const [protocols, expected] of cases) assert.deepEqual(ours(textOf('/etc/ssl/a.pem', '/etc/ssl/a.key', protocols)), expected, protocols);
  const judges = judgesOf({ name: 'quic', text: '', ours: [], since: '1.25.0' });
  if (judges.length === 0) t.skip('no nginx 1.25 or later built (node scripts/build-nginx.mjs)');
  for (const nginx of judges) {
    await t.test(`nginx agrees (${nginx})`, (t) => {
      const { cert, key } = testCertificates();
      for (const [protocols, expected] of cases) checkWithNginx(t, { name: protocols, text: textOf(cert, key, protocols), ours: expected }, nginx);
    });
  }
});

test('a mail server that verifies clients needs their CA once its certificate is loaded (nginx names no line)', async (t) => {
  const textOf = (cert: string, key: string, verify: string) =>
    mail(AUTH_HTTP, `ssl_certificate ${cert}; ssl_certificate_key ${key};`, 'server {', 'listen 10993 ssl;', 'protocol imap;', verify, '}');
  const cases: Array<[string, string[]]> = [
    ['ssl_verify_client on;', ['9: ssl-verify-without-ca: no ssl_client_certificate for ssl_verify_client']],
    ['ssl_verify_client optional_no_ca;', []],
  ];
  for (const [verify, expected] of cases) assert.deepEqual(loadFindingsOf({ [MAIN]: textOf('/etc/ssl/a.pem', '/etc/ssl/a.key', verify) }).shown, expected, verify);
  await t.test('the real nginx agrees', { skip: noNginx }, (t) => {
    const { cert, key } = testCertificates();
    for (const [verify, expected] of cases) checkWithNginx(t, { name: verify, text: textOf(cert, key, verify), ours: expected }, DEBIAN_NGINX);
  });
});

test('a stream server that verifies clients needs their CA: with a listen ... ssl before 1.25.5, with a certificate since', async (t) => {
  const textOf = (firstLine: string, cert: string, key: string, verify: string) =>
    [firstLine, 'events {}', 'stream {', 'server {', 'listen 9443 ssl;', `ssl_certificate ${cert}; ssl_certificate_key ${key};`, verify, 'proxy_pass 127.0.0.1:1;', '}', '}', ''].join('\n');
  const cases: Array<[string, string[]]> = [['ssl_verify_client on;', ['no ssl_client_certificate for ssl_verify_client']], ['ssl_verify_client optional_no_ca;', []]];
  const ours = (version: string, verify: string) => analyzeFiles({ [MAIN]: textOf(STREAM_MODULE, '/etc/ssl/a.pem', '/etc/ssl/a.key', verify) }, MAIN, { nginxVersion: version })
    .filter((finding) => finding.code === 'ssl-verify-without-ca').map((finding) => finding.message);
  for (const version of ['1.22', '1.26']) for (const [verify, expected] of cases) assert.deepEqual(ours(version, verify), expected, `${version}: ${verify}`);
  assert.deepEqual(ours('1.30', 'ssl_verify_client on;'), ['no ssl_client_certificate or ssl_trusted_certificate for ssl_verify_client']);
  const { binaries } = nginxBinaries();
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label} agrees`, () => {
      const { cert, key } = testCertificates();
      for (const [verify] of cases) {
        const result = nginxTest({ 'nginx.conf': textOf(binary.debian ? STREAM_MODULE : '# stream built in', cert, key, verify) }, 'nginx.conf', binary.path);
        assert.deepEqual(result.message ? [result.message] : [], ours(binary.version, verify), result.output);
      }
    });
  }
});

test('a stream server with a certificate and no key: nginx names the listen ... ssl before 1.25.5, the certificate since', async (t) => {
  const textWith = (firstLine: string, cert: string) => [firstLine, 'events {}', 'stream {', '  server {', '    listen 9443 ssl;', `    ssl_certificate ${cert};`, '    proxy_pass 127.0.0.1:1;', '  }', '}', ''].join('\n');
  const ours = (version: string, cert = '/etc/ssl/a.pem') => analyzeFiles({ [MAIN]: textWith(STREAM_MODULE, cert) }, MAIN, { nginxVersion: version })
    .filter((finding) => finding.code === 'ssl-certificate-without-key')
    .map((finding) => `${new LineIndex(textWith(STREAM_MODULE, cert)).positionAt(finding.span.start).line + 1}: ${finding.message}`);
  assert.deepEqual(ours('1.24'), ['5: no "ssl_certificate_key" is defined for the "listen ... ssl" directive']);
  assert.deepEqual(ours('1.26'), ['6: no "ssl_certificate_key" is defined for certificate "/etc/ssl/a.pem"']);
  const { binaries } = nginxBinaries();
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label} agrees`, () => {
      const { cert } = testCertificates();
      const result = nginxTest({ 'nginx.conf': textWith(binary.debian ? STREAM_MODULE : '# stream built in', cert) }, 'nginx.conf', binary.path);
      const expected = ours(binary.version, cert).map((line) => line.replace(/^\d+: /, ''));
      assert.deepEqual([result.message], expected, result.output);
      // Before 1.25.5 nginx names the listen; since, no line.
      if (result.line !== undefined) assert.equal(`${result.line}`, ours(binary.version, cert)[0].split(':')[0]);
    });
  }
});

test('a stream listen ... ssl without a certificate: nginx names the listen before 1.25.5, the server block since', async (t) => {
  const text = (firstLine: string) => [firstLine, 'events {}', 'stream {', '  server {', '    listen 9443 ssl;', '    proxy_pass 127.0.0.1:1;', '  }', '}', ''].join('\n');
  const ours = (version: string) => analyzeFiles({ [MAIN]: text(STREAM_MODULE) }, MAIN, { nginxVersion: version })
    .filter((finding) => finding.code === 'listen-ssl-without-certificate')
    .map((finding) => `${new LineIndex(text(STREAM_MODULE)).positionAt(finding.span.start).line + 1}: ${finding.message}`);
  const expected = (line: number) => [`${line}: no "ssl_certificate" is defined for the "listen ... ssl" directive`];
  assert.deepEqual(ours('1.22'), expected(5));
  assert.deepEqual(ours('1.24'), expected(5));
  assert.deepEqual(ours('1.26'), expected(4));
  const { binaries } = nginxBinaries();
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label} agrees`, () => {
      // A source build has the stream module built in: a comment keeps the lines where they are.
      const result = nginxTest({ 'nginx.conf': text(binary.debian ? STREAM_MODULE : '# stream built in') }, 'nginx.conf', binary.path);
      assert.deepEqual(result.line === undefined ? [] : [`${result.line}: ${result.message}`], ours(binary.version), result.output);
    });
  }
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
});

test('proxy_cache of a zone that no proxy_cache_path defines: nginx names the end of the http block, we the directive', async (t) => {
  const text = http('server {', 'location / { proxy_cache micro; proxy_pass http://127.0.0.1:1; }', '}');
  assert.deepEqual(loadFindingsOf({ [MAIN]: text }).shown, ['4: unknown-zone: "proxy_cache" zone "micro" is unknown']);
  await t.test('the real nginx agrees', { skip: noNginx }, () => assert.equal(nginxTest({ 'nginx.conf': text }, 'nginx.conf').message, '"proxy_cache" zone "micro" is unknown'));
});

test('a cache of an unknown zone at an http level without servers is never merged: its zone is zero-sized, as nginx says', async (t) => {
  const text = http('fastcgi_cache micro;');
  assert.deepEqual(loadFindingsOf({ [MAIN]: text }).shown, ['3: unknown-zone: zero size shared memory zone "micro"']);
  await t.test('the real nginx agrees', { skip: noNginx }, () => assert.equal(nginxTest({ 'nginx.conf': text }, 'nginx.conf').message, 'zero size shared memory zone "micro"'));
});

test('listens per release: quic is a UDP socket of its own; stream servers share an address from 1.25.5', async (t) => {
  // Certificates are read by nginx only: ours judges placeholder paths.
  const quicWith = (cert: string, key: string) => http(`server { listen 443 ssl; listen 443 quic reuseport; ssl_certificate ${cert}; ssl_certificate_key ${key}; }`,
    `server { listen 443 ssl; listen 443 quic; server_name b; ssl_certificate ${cert}; ssl_certificate_key ${key}; }`);
  const quic = quicWith('/etc/ssl/a.pem', '/etc/ssl/a.key');
  const streams = (first: string) => [first, 'events {}', 'stream {', '  server { listen 9000; proxy_pass 127.0.0.1:1; }', '  server { listen 9000; server_name b; proxy_pass 127.0.0.1:2; }', '}', ''].join('\n');
  const errors = (text: string, version: string) => analyzeFiles({ [MAIN]: text }, MAIN, { nginxVersion: version })
    .filter((finding) => finding.severity === 'error').map((finding) => finding.message);
  assert.deepEqual(errors(quic, '1.26'), []);
  assert.deepEqual(errors(streams(STREAM_MODULE), '1.26'), []);
  assert.ok(errors(streams(STREAM_MODULE), '1.24').includes('duplicate "0.0.0.0:9000" address and port pair'));
  const streamQuic = [STREAM_MODULE, 'events {}', 'stream {', '  server { listen 9443 quic; proxy_pass 127.0.0.1:1; }', '}', ''].join('\n');
  assert.deepEqual(errors(streamQuic, '1.26'), ['invalid parameter "quic"'], 'stream has no quic: no certificate is asked for');
  const { binaries } = nginxBinaries();
  for (const binary of binaries.filter((binary) => !binary.debian && compareVersions(parseVersion(binary.version)!, parseVersion('1.26')!) >= 0)) {
    await t.test(`nginx ${binary.label} accepts both`, () => {
      const { cert, key } = testCertificates();
      for (const text of [quicWith(cert, key), streams('# stream built in')]) assert.equal(nginxTest({ 'nginx.conf': text }, 'nginx.conf', binary.path).ok, true, text);
    });
  }
});

test('an upstream whose servers come from an include that the workspace lacks is not judged', () => {
  assert.deepEqual(loadFindingsOf({ [MAIN]: http('upstream b { include upstreams/b.conf; }') }).shown, []);
  const files = { [MAIN]: http('upstream b { include upstreams/b.conf; }'), '/etc/nginx/upstreams/b.conf': 'server 127.0.0.1:1;\n' };
  assert.deepEqual(loadFindingsOf(files).shown, []);
  files['/etc/nginx/upstreams/b.conf'] = '# none yet\n';
  assert.deepEqual(loadFindingsOf(files).shown, ['3: upstream-without-servers: no servers are inside upstream']);
});

test('a variable defined in an included file, or in the main config that includes a snippet, is known', () => {
  const files = {
    [MAIN]: http('include conf.d/*.conf;', 'map $http_upgrade $connection_upgrade { default upgrade; "" close; }'),
    '/etc/nginx/conf.d/app.conf': 'server {\n  location /ws { proxy_pass http://127.0.0.1; proxy_set_header Connection $connection_upgrade; }\n}\n',
  };
  assert.deepEqual(loadFindingsOf(files).shown, []);
  assert.deepEqual(loadFindingsOf(files, '/etc/nginx/conf.d/app.conf').shown, []);
});

test('an include the workspace lacks turns off the checks it could change, or makes them warnings that say so; Debian\'s standard files do not', () => {
  const unreadable = http('include /etc/nginx/conf.d/*.conf;', 'server { access_log /tmp/a.log main; return 200 $maybe_defined_there; }');
  const { shown, findings } = loadFindingsOf({ [MAIN]: unreadable });
  assert.deepEqual(shown, ['4: unknown-variable: unknown "maybe_defined_there" variable (unless an include the workspace lacks defines it)']);
  assert.equal(findings[0].severity, 'warning');
  const noEvents = 'include /etc/nginx/modules-enabled/*.conf;\nhttp {}\n';
  assert.deepEqual(loadFindingsOf({ [MAIN]: noEvents }).shown, []);
  const standard = http('include mime.types;', 'server { return 200 $nope; }');
  assert.deepEqual(loadFindingsOf({ [MAIN]: standard }).shown, ['4: unknown-variable: unknown "nope" variable']);
});

test('a module we do not know, loaded or used, may define variables: nothing is said of them', () => {
  const loaded = 'load_module modules/ngx_http_brotli_filter_module.so;\n' + http('server { return 200 $brotli_ratio; }');
  assert.deepEqual(loadFindingsOf({ [MAIN]: loaded }).shown, []);
  const used = http('server { vhost_traffic_status_filter_by_host on; return 200 $vts_thing; }');
  assert.deepEqual(loadFindingsOf({ [MAIN]: used }).shown, []);
  const known = 'load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;\n' + http('server { return 200 "$echo_timer_elapsed $nope"; }');
  assert.deepEqual(loadFindingsOf({ [MAIN]: known }).shown, ['4: unknown-variable: unknown "nope" variable']);
});

test('perl_set, js_set, set_by_lua_block and geoip2 define variables', () => {
  const text = http(
    'perl_set $from_perl \'sub { return "p"; }\';',
    'js_set $from_js main.value;',
    'geoip2 /usr/share/GeoIP/GeoLite2-Country.mmdb { $geoip2_country_code country iso_code; }',
    'server { location / { set_by_lua_block $from_lua { return "l" } return 200 "$from_perl$from_js$from_lua$geoip2_country_code"; } }',
  );
  assert.deepEqual(loadFindingsOf({ [MAIN]: text }).shown, []);
  assert.deepEqual(loadFindingsOf({ [MAIN]: text.replace('return 200 "', 'return 200 "$undefined_one') }).shown,
    ['6: unknown-variable: unknown "undefined_one" variable']);
});

test('words that are names of Object.prototype are read as any other', () => {
  const text = http('geo $g { constructor 1; toString 2; }', 'map $uri $m { constructor $hasOwnProperty; }', 'server { return 200 "$g$m"; }');
  assert.deepEqual(loadFindingsOf({ [MAIN]: text }).shown, ['4: unknown-variable: unknown "hasownproperty" variable']);
});

test('a fragment is never told it lacks events', () => {
  const snippet = '/etc/nginx/snippets/app.conf';
  assert.deepEqual(loadFindingsOf({ [snippet]: 'server { listen 8080; }\n' }, snippet).shown, []);
  assert.deepEqual(loadFindingsOf({ [snippet]: 'location / { return 204; }\n' }, snippet).shown, []);
});

test('the quick fix for $connection_upgrade adds the map at the http level, and nginx accepts the result', async (t) => {
  const text = http('    server {', '        location /ws {', '            proxy_pass http://127.0.0.1:3000;', '            proxy_set_header Connection $connection_upgrade;', '        }', '    }');
  const [finding] = loadFindingsOf({ [MAIN]: text }).findings;
  assert.equal(finding.code, 'unknown-variable');
  const [fix] = finding.fixes ?? [];
  assert.equal(fix?.title, 'Add the map $http_upgrade $connection_upgrade at http level');
  const fixed = applyEdits({ [MAIN]: text }, fix.edits)[MAIN];
  assert.match(fixed, /http \{\n {4}map \$http_upgrade \$connection_upgrade \{\n {8}default upgrade;\n {8}'' {6}close;\n {4}\}\n/);
  assert.deepEqual(loadFindingsOf({ [MAIN]: fixed }).shown, []);
  await t.test('the real nginx accepts the result', { skip: noNginx }, () => {
    const result = nginxTest({ 'nginx.conf': fixed }, 'nginx.conf');
    assert.equal(result.ok, true, result.output);
  });
});

test('in a fragment read at the http level, the quick fix puts the map at the top of the file', async (t) => {
  const fragment = '/etc/nginx/conf.d/app.conf';
  const text = 'server {\r\n  location /ws {\r\n    proxy_pass http://127.0.0.1:3000;\r\n    proxy_set_header Connection $connection_upgrade;\r\n  }\r\n}\r\n';
  const [finding] = loadFindingsOf({ [fragment]: text }, fragment).findings;
  const [fix] = finding?.fixes ?? [];
  assert.equal(fix?.title, 'Add the map $http_upgrade $connection_upgrade at http level');
  const fixed = applyEdits({ [fragment]: text }, fix.edits)[fragment];
  assert.ok(fixed.startsWith("map $http_upgrade $connection_upgrade {\r\n  default upgrade;\r\n  ''      close;\r\n}\r\n\r\nserver {"), fixed);
  assert.deepEqual(loadFindingsOf({ [fragment]: fixed }, fragment).shown, []);
  await t.test('the real nginx accepts the result, included at the http level', { skip: noNginx }, () => {
    const result = nginxTest({ 'nginx.conf': http('include conf.d/app.conf;'), 'conf.d/app.conf': fixed }, 'nginx.conf');
    assert.equal(result.ok, true, result.output);
  });
});

test('a file read alone: a missing certificate or upstream is a warning that says so, silent where an include the workspace lacks may hold it', (t) => {
  const site = '/etc/nginx/sites-available/app.conf';
  const alone = ['server {', '    listen 443 ssl;', '    location / { fastcgi_pass php; }', '}', ''].join('\n');
  const { shown, findings } = loadFindingsOf({ [site]: alone }, site);
  assert.deepEqual(shown, [
    '3: no-port-in-upstream: no port in upstream "php" (judged in this file alone: an upstream "php" outside it would do)',
    '1: listen-ssl-without-certificate: no "ssl_certificate" is defined for the "listen ... ssl" directive (judged in this file alone: a certificate at the http level outside it would do)',
  ]);
  assert.deepEqual(findings.map((f) => f.severity), ['warning', 'warning']);
  const withIncludes = alone.replace('listen 443 ssl;', 'listen 443 ssl; include snippets/tls.conf;').replace('server {', 'include conf.d/upstreams.conf;\nserver {');
  assert.deepEqual(loadFindingsOf({ [site]: withIncludes }, site).shown, []);
  const complete = `upstream php { server unix:/run/php.sock; }\nssl_certificate /etc/ssl/a.pem;\nssl_certificate_key /etc/ssl/a.key;\n${alone}`;
  assert.deepEqual(loadFindingsOf({ [site]: complete }, site).shown, []);
  // Read by a main config that has neither, both are nginx's errors.
  const main = http('include /etc/nginx/sites-available/*.conf;');
  assert.deepEqual(loadFindingsOf({ [MAIN]: main, [site]: alone }, site).findings.map((f) => `${f.severity} ${f.code}`),
    ['error no-port-in-upstream', 'error listen-ssl-without-certificate']);
  if (noNginx) return t.skip(noNginx);
  const verdict = nginxTest({ 'nginx.conf': http(alone) }, 'nginx.conf');
  assert.ok(!verdict.ok && ['no port in upstream "php"', 'no "ssl_certificate" is defined for the "listen ... ssl" directive'].includes(verdict.message!), verdict.output);
});

test('server names and map keys no hash up to its max size holds within its buckets: information where nginx warns, silent once the sizes are raised', (t) => {
  const names = (from: number) => Array.from({ length: 300 }, (_, i) => `host${from + i}.example.com`).join(' ');
  const mapKeys = Array.from({ length: 3000 }, (_, i) => `/static/file-${i}.css 1;`);
  const text = (settings: string[]) => http(
    ...settings,
    `server { listen 8080; server_name ${names(0)}; }`, `server { listen 8080; server_name ${names(300)}; }`,
    'map $uri $m {', ...mapKeys, '}',
  );
  const suboptimal = (config: string) => analyzeFiles({ [MAIN]: config }, MAIN).filter((f) => f.code === 'suboptimal-hash')
    .map((f) => `${new LineIndex(config).positionAt(f.span.start).line + 1}: ${f.severity} ${f.message}`);
  const warned = text([]);
  assert.deepEqual(suboptimal(warned), [
    '3: information could not build optimal server_names_hash, you should increase either server_names_hash_max_size: 512 or server_names_hash_bucket_size: 64; ignoring server_names_hash_bucket_size',
    '5: information could not build optimal map_hash, you should increase either map_hash_max_size: 2048 or map_hash_bucket_size: 64; ignoring map_hash_bucket_size',
  ]);
  const raised = text(['server_names_hash_bucket_size 128;', 'server_names_hash_max_size 1024;', 'map_hash_bucket_size 256;', 'map_hash_max_size 4096;']);
  assert.deepEqual(suboptimal(raised), []);
  if (noNginx) return t.skip(noNginx);
  const warnings = (config: string) => [...nginxTest({ 'nginx.conf': config }, 'nginx.conf').output.matchAll(/\[warn\] (?:\d+#\d+: )?(could not build .*)/g)].map(([, message]) => message);
  // nginx warns of a map when it reads it, of server names at the end of http.
  assert.deepEqual(warnings(warned).sort(), suboptimal(warned).map((line) => line.replace(/^\d+: information /, '')).sort());
  assert.deepEqual(warnings(raised), []);
});

test('a server name an earlier server on the address has, on each address nginx builds names for: a warning where nginx warns', (t) => {
  const text = http(
    'server { listen 8080; listen [::]:8080; server_name a.test .b.test *.c.test; }',
    'server { listen 8080; listen [::]:8080; server_name A.test b.test www.*; }',
    'server { listen 8080; server_name *.c.test www.*; }',
    'server { listen 8081; }', 'server { listen 8081; }',
    'server { listen 8082; server_name x.test x.test; }', 'server { listen 8082; server_name ~^y; }',
    'server { listen 8083; server_name solo.test; }', 'server { listen 8084; server_name solo.test; }',
    'server { listen unix:/tmp/conflict.sock; server_name u.test; }', 'server { listen unix:/tmp/conflict.sock; server_name u.test; }',
  );
  const lines = new LineIndex(text);
  const ours = analyzeFiles({ [MAIN]: text }, MAIN).filter((f) => f.code === 'conflicting-server-name')
    .map((f) => `${lines.positionAt(f.span.start).line + 1}: ${f.severity} ${f.message}`).sort();
  // Sorted as text: line 13 comes first.
  assert.deepEqual(ours, [
    '13: warning conflicting server name "u.test" on unix:/tmp/conflict.sock, ignored',
    '4: warning conflicting server name "a.test" on 0.0.0.0:8080, ignored',
    '4: warning conflicting server name "a.test" on [::]:8080, ignored',
    '4: warning conflicting server name "b.test" on 0.0.0.0:8080, ignored',
    '4: warning conflicting server name "b.test" on [::]:8080, ignored',
    '5: warning conflicting server name "*.c.test" on 0.0.0.0:8080, ignored',
    '5: warning conflicting server name "www.*" on 0.0.0.0:8080, ignored',
    '7: warning conflicting server name "" on 0.0.0.0:8081, ignored',
    '8: warning conflicting server name "x.test" on 0.0.0.0:8082, ignored',
  ]);
  if (noNginx) return t.skip(noNginx);
  const warned = [...nginxTest({ 'nginx.conf': text }, 'nginx.conf').output.matchAll(/\[warn\] (?:\d+#\d+: )?(conflicting server name .*)/g)].map(([, message]) => message);
  assert.deepEqual(warned.sort(), ours.map((line) => line.replace(/^\d+: warning /, '')).sort());
});

test('a file read alone: a zone nothing in it defines is a warning that says so', () => {
  const site = '/etc/nginx/sites-available/app.conf';
  const alone = 'server { listen 8080; location / { limit_req zone=api; } }\n';
  assert.deepEqual(loadFindingsOf({ [site]: alone }, site).findings.map((f) => `${f.severity} ${f.message}`),
    ['warning zero size shared memory zone "api" (judged in this file alone: a zone defined outside it would do)']);
  assert.deepEqual(loadFindingsOf({ [site]: `include conf.d/zones.conf;\n${alone}` }, site).shown,
    ['2: unknown-zone: zero size shared memory zone "api" (unless an include the workspace lacks defines it)']);
  assert.deepEqual(loadFindingsOf({ [site]: `limit_req_zone $binary_remote_addr zone=api:10m rate=1r/s;\n${alone}` }, site).shown, []);
});

test('an include the workspace lacks inside a server cannot define a log format: the unknown one is still said', () => {
  const text = http('server { include /etc/nginx/missing/*.conf; access_log /tmp/a.log main; }');
  assert.deepEqual(loadFindingsOf({ [MAIN]: text }).shown, ['3: unknown-log-format: unknown log format "main"']);
});

test('a module we have no list of, loaded with load_module (includes read in place), defines the directives of its prefix', () => {
  const body = http('js_import main.js;', 'brotli on;', 'brotli_comp_level 5;', 'server { location / { js_content main.hello; } }');
  const unknown = (files: Record<string, string>) => analyzeFiles(files, MAIN).filter((f) => f.code === 'unknown-directive').map((f) => f.message.replace(/ \(.*/, ''));
  assert.deepEqual(unknown({ [MAIN]: body }), ['unknown directive "js_import"', 'unknown directive "brotli"', 'unknown directive "brotli_comp_level"', 'unknown directive "js_content"']);
  const modules = '/etc/nginx/modules-enabled/50-mod-brotli.conf';
  const loading = { [MAIN]: `load_module modules/ngx_http_js_module.so;\ninclude /etc/nginx/modules-enabled/*.conf;\n${body}`, [modules]: 'load_module /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so;\n' };
  assert.deepEqual(unknown(loading), []);
  assert.deepEqual(unknown({ ...loading, [MAIN]: loading[MAIN].replace('js_import', 'jsimport') }), ['unknown directive "jsimport"'], 'a name outside the prefixes is still unknown');
});

test('protocol options redefined: the listens of one address read as ngx_http_add_addresses() reads them, where nginx 1.23.4 on warns', async (t) => {
  const OPTIONS = ['', 'ssl', 'ssl http2', 'http2', 'proxy_protocol', 'backlog=100', 'ssl backlog=100'];
  const sequences = OPTIONS.flatMap((first) => OPTIONS.map((second) => [first, second]));
  sequences.push(['ssl http2', 'ssl http2', 'ssl'], ['ssl', 'ssl http2', 'ssl'], ['ssl', 'ssl backlog=100', 'ssl http2'], ['', 'backlog=100', '']);
  const { cert, key } = testCertificates();
  const textOf = (listens: string[]) => http(...listens.map((options, i) => `server { listen 127.0.0.1:8443 ${options}; server_name s${i}.test; ssl_certificate ${cert}; ssl_certificate_key ${key}; }`));
  const ours = (listens: string[], version: string) => {
    const text = textOf(listens);
    const lines = new LineIndex(text);
    return analyzeFiles({ [MAIN]: text }, MAIN, { nginxVersion: version }).filter((f) => f.code === 'protocol-options-redefined').map((f) => `${lines.positionAt(f.span.start).line + 1}: ${f.message}`);
  };
  assert.deepEqual(ours(['ssl http2', 'ssl http2', 'ssl'], '1.30'), ['5: protocol options redefined for 127.0.0.1:8443']);
  assert.deepEqual(ours(['ssl http2', 'ssl'], '1.22'), []);
  const builds = nginxBinaries().binaries.filter((binary) => compareVersions(parseVersion(binary.version)!, parseVersion('1.23.4')!) >= 0);
  if (builds.length === 0) return t.skip('no nginx 1.24 or later built (node scripts/build-nginx.mjs)');
  for (const binary of builds) {
    await t.test(`nginx ${binary.label}`, () => {
      for (const listens of sequences) {
        const output = nginxTest({ 'nginx.conf': textOf(listens) }, 'nginx.conf', binary.path).output;
        const warned = [...output.matchAll(/\[warn\] (?:\d+#\d+: )?(protocol options redefined for \S+) in \S+:(\d+)/g)].map(([, message, line]) => `${line}: ${message}`);
        assert.deepEqual(ours(listens, binary.version), warned, JSON.stringify(listens));
      }
    });
  }
});
