// The directive checks that mirror ngx_conf_handler() and the modules' own parsers: where the error
// is reported (nginx's line), data blocks, nested locations, third-party contexts, a left-out `;`,
// and the context of a fragment that no include tells about. Whole configurations are also given to
// the real nginx, when it is installed, which must reject them at the same line (or accept them).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/parser';
import { analyzeFiles } from '../support/analysis';
import { nginxAvailable, nginxTest } from '../support/nginx';

const MAIN = '/etc/nginx/nginx.conf';
const noNginx = nginxAvailable() ? false : 'nginx not installed';

/** Our Errors in `text` as "first line-last line: message" (1-based lines). */
function errorsOf(text: string, path = MAIN): string[] {
  const lines = new LineIndex(text);
  return analyzeFiles({ [path]: text }, path)
    .filter((finding) => finding.severity === 'error')
    .map((finding) => {
      const first = lines.positionAt(finding.span.start).line + 1;
      const last = lines.positionAt(finding.span.end).line + 1;
      return `${first === last ? first : `${first}-${last}`}: ${finding.message}`;
    });
}

/** `events {}` and `http { body }`, the body from line 3. */
const http = (...body: string[]) => ['events {}', 'http {', ...body, '}', ''].join('\n');

interface Case {
  name: string;
  text: string;
  /** Our Errors; nginx must report the first one's last line (or accept the file when there is none). */
  ours: string[];
}

const cases: Case[] = [
  {
    name: 'a multi-line unknown directive is reported down to its `;`, where nginx reports it',
    text: http('log_fromat main', '  "$remote_addr"', '  "$status";'),
    ours: ['3-5: unknown directive "log_fromat" (did you mean "log_format"?)'],
  },
  {
    name: 'a map line of one word that is not a flag',
    text: http('map $uri $a {', '  hostnames;', '  volatile;', '  default 0;', '  /x;', '}'),
    ours: ['7: invalid number of the map parameters'],
  },
  {
    name: 'a map line of three words (a `;` left out)',
    text: http('map $uri $a {', '  /x 1', '  /y 2;', '}'),
    ours: ['4-5: invalid number of the map parameters'],
  },
  {
    name: 'geo flags and lines',
    text: http('geo $a {', '  ranges;', '  default 0;', '  10.0.0.1-10.0.0.9 1 2;', '}'),
    ours: ['6: invalid number of the geo parameters'],
  },
  {
    name: 'a block inside types',
    text: http('types {', '  text/html html {', '  }', '}'),
    ours: ['4: unexpected "{"'],
  },
  {
    name: 'types lines take any number of words, include one argument',
    text: http('types {', '  text/html html htm shtml;', '  application/x-empty;', '  include;', '}'),
    ours: ['6: invalid number of arguments in "include" directive'],
  },
  {
    name: 'a location outside its parent prefix',
    text: http('server {', '  location /a {', '    location /b {', '    }', '  }', '}'),
    ours: ['5: location "/b" is outside location "/a"'],
  },
  {
    name: 'nested locations that nginx takes',
    text: http('server {', '  location /a {', '    location /a/b { }', '    location ~ \\.php$ { }', '  }', '  location ~ ^/c {', '    location ~ d { }', '  }', '}'),
    ours: [],
  },
  {
    name: 'nothing nests in an exact location',
    text: http('server {', '  location = /a {', '    location /a { }', '  }', '}'),
    ours: ['5: location "/a" cannot be inside the exact location "/a"'],
  },
  {
    name: 'a named location nests nowhere',
    text: http('server {', '  location / {', '    location @x { }', '  }', '}'),
    ours: ['5: named location "@x" can be on the server level only'],
  },
  {
    name: 'a directive of a shipped module outside its contexts',
    text: http('server {', '  echo hello;', '}'),
    ours: ['4: "echo" directive is not allowed here (allowed in: location, if in location)'],
  },
  {
    name: 'listen with a `;` left out: the next directive is an invalid parameter',
    text: http('server {', '  listen 8080 default_server', '  server_name example.com;', '}'),
    ours: ['4-5: invalid parameter "server_name" (is a ";" missing before it?)'],
  },
  {
    name: 'a keyword list with a `;` left out',
    text: http('ssl_protocols TLSv1.2 TLSv1.3', 'ssl_ciphers HIGH;'),
    ours: ['3-4: invalid value "ssl_ciphers" (is a ";" missing before it?)'],
  },
  {
    name: 'a directive name on the line of the listen is a wrong parameter, not a ";" left out',
    text: http('server {', '  listen 8443 http3 reuseport;', '}'),
    ours: ['4: invalid parameter "http3"'],
  },
  {
    name: 'words the reference does not list are left to nginx (listen ... default)',
    text: http('server {', '  listen 8080 default;', '}'),
    ours: [],
  },
];

for (const { name, text, ours } of cases) {
  test(name, () => {
    assert.deepEqual(errorsOf(text), ours);
  });
  test(`${name}: nginx agrees`, { skip: noNginx }, () => {
    const verdict = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
    if (ours.length === 0) {
      assert.equal(verdict.ok, true, verdict.output);
      return;
    }
    assert.equal(verdict.ok, false);
    const last = Number(/^(?:\d+-)?(\d+):/.exec(ours[0])![1]);
    assert.equal(verdict.line, last, verdict.output);
  });
}

test('a statement cut off by the end of the file gets no argument-count error', () => {
  assert.deepEqual(errorsOf(http('server {', '  return "unclosed;', '}')), ['7: unexpected end of file, expecting ";" or "}"']);
});

// Fragments: files that no main config includes, opened as they are.
const fragment = (text: string) => errorsOf(text, '/etc/nginx/conf.d/site.conf');

test('a server file whose block a stray `}` closed early: what follows is at http level', () => {
  const text = ['server {', '  listen 80; }', '  server_name example.com;', '  location / { }', '}', ''].join('\n');
  assert.deepEqual(fragment(text), [
    '5: unexpected "}"',
    '3: "server_name" directive is not allowed here (allowed in: server)',
    '4: "location" directive is not allowed here (allowed in: server, location)',
  ]);
});

test('a directive moved out of the server blocks of an http fragment', () => {
  const text = ['server_name example.com;', 'server {', '  listen 80;', '}', ''].join('\n');
  assert.deepEqual(fragment(text), ['1: "server_name" directive is not allowed here (allowed in: server)']);
});

test('fragments of other blocks: upstream, stream server, mail, location', () => {
  assert.deepEqual(fragment('server 127.0.0.1:8080 weight=2;\nkeepalive 16;\n'), []);
  assert.deepEqual(fragment('upstream db { server 127.0.0.1:5432; }\nserver {\n  listen 5432;\n  proxy_pass db;\n}\n'), []);
  assert.deepEqual(fragment('server {\n  listen 993 ssl;\n  protocol imap;\n  auth_http 127.0.0.1/auth;\n}\n'), []);
  assert.deepEqual(fragment('proxy_pass http://127.0.0.1;\nlocation /a { }\n'), []);
});

test('a MIME type a *_types list already holds, text/html of gzip_types included: information where nginx warns', (t) => {
  const text = http(
    'gzip_types text/html text/css;',
    'gzip_types text/css application/json;',
    'server { listen 8080; location / { gzip_types application/json TEXT/CSS; charset_types text/xml TEXT/XML; } location /b { gzip_types *; gzip_types text/html; } }',
  );
  const ours = analyzeFiles({ [MAIN]: text }, MAIN).filter((f) => f.code === 'duplicate-mime-type');
  const lines = new LineIndex(text);
  const shown = ours.map((f) => `${lines.positionAt(f.span.start).line + 1}: ${f.severity} ${f.message}`);
  assert.deepEqual(shown, [
    '3: information duplicate MIME type "text/html" (gzip_types always includes text/html)',
    '4: information duplicate MIME type "text/css"',
    '5: information duplicate MIME type "text/xml"',
  ]);
  if (noNginx) return t.skip(noNginx);
  const result = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
  const warned = [...result.output.matchAll(/\[warn\] (?:\d+#\d+: )?(.*) in \S+:(\d+)/g)].map(([, message, line]) => `${line}: ${message}`);
  assert.deepEqual(warned, shown.map((line) => line.replace(' information', '').replace(/ \(.*\)$/, '')));
});

test('a value a bitmask directive already has in the block: information where nginx warns, in its words', (t) => {
  const text = http(
    'ssl_protocols TLSv1.2 tlsv1.2;',
    'server {', 'listen 8080;',
    'proxy_next_upstream error timeout;', 'proxy_next_upstream timeout http_502;',
    'gzip_proxied any expired any;',
    'location / { proxy_next_upstream error; }',
    '}',
  );
  const ours = analyzeFiles({ [MAIN]: text }, MAIN).filter((f) => f.code === 'duplicate-value');
  const lines = new LineIndex(text);
  const shown = ours.map((f) => `${lines.positionAt(f.span.start).line + 1}: ${f.severity} ${f.message}`);
  assert.deepEqual(shown, [
    '3: information duplicate value "tlsv1.2"',
    '7: information duplicate value "timeout"',
    '8: information duplicate value "any"',
  ]);
  if (noNginx) return t.skip(noNginx);
  const result = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
  const warned = [...result.output.matchAll(/\[warn\] (?:\d+#\d+: )?(duplicate value .*) in \S+:(\d+)/g)].map(([, message, line]) => `${line}: ${message}`);
  assert.deepEqual(warned, shown.map((line) => line.replace(' information', '')));
});

test('a network a geo block already holds: a warning where nginx warns, in its words, as the tree stores networks', (t) => {
  const text = http(
    'geo $g {', 'default 0;', '10.0.0.0/8 1;', '10.1.2.3/8 2;', '0.0.0.0/0 3;', '192.168.1.1 4;', '192.168.1.1/32 4;',
    'delete 192.168.1.1;', '192.168.1.1 5;', '::1 6;', '0:0::1/128 7;', '2001:db8::/32 8;', '}',
    'geo $r { ranges; 10.0.0.1-10.0.0.9 1; 10.0.0.1-10.0.0.9 2; }',
    'server { listen 8080; return 200 $g$r; }',
  );
  const ours = analyzeFiles({ [MAIN]: text }, MAIN).filter((f) => f.code === 'duplicate-geo-network');
  const lines = new LineIndex(text);
  const shown = ours.map((f) => `${lines.positionAt(f.span.start).line + 1}: ${f.severity} ${f.message}`);
  assert.deepEqual(shown, [
    '6: warning duplicate network "10.1.2.3/8", value: "2", old value: "1"',
    '7: warning duplicate network "0.0.0.0/0", value: "3", old value: "0"',
    '9: warning duplicate network "192.168.1.1/32", value: "4", old value: "4"',
    '13: warning duplicate network "0:0::1/128", value: "7", old value: "6"',
  ]);
  if (noNginx) return t.skip(noNginx);
  const result = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
  assert.equal(result.ok, true, result.output);
  const warned = [...result.output.matchAll(/\[warn\] (?:\d+#\d+: )?(duplicate network .*) in \S+:(\d+)/g)].map(([, message, line]) => `${line}: ${message}`);
  assert.deepEqual(warned, shown.map((line) => line.replace(' warning', '')));
});

test('a network with bits past its prefix: information where nginx warns, in its words', (t) => {
  const text = http(
    'geo $g { 10.0.0.1/8 1; proxy 172.16.0.1/12; delete 10.9.9.9/8; 192.168.0.0/16 2; }',
    'set_real_ip_from 192.168.1.1/24;',
    'server {', 'listen 8080;', 'allow 10.1.1.1/16;', 'allow 2001:db8::1/64;', 'allow 10.2.0.0/16;', 'deny all;', 'return 200 $g;', '}',
  );
  const ours = analyzeFiles({ [MAIN]: text }, MAIN).filter((f) => f.code === 'meaningless-address-bits');
  const lines = new LineIndex(text);
  const shown = ours.map((f) => `${lines.positionAt(f.span.start).line + 1}: ${f.severity} ${f.message}`);
  assert.deepEqual(shown, [
    '3: information low address bits of 10.0.0.1/8 are meaningless',
    '3: information low address bits of 172.16.0.1/12 are meaningless',
    '3: information low address bits of 10.9.9.9/8 are meaningless',
    '4: information low address bits of 192.168.1.1/24 are meaningless',
    '7: information low address bits of 10.1.1.1/16 are meaningless',
    '8: information low address bits of 2001:db8::1/64 are meaningless',
  ]);
  if (noNginx) return t.skip(noNginx);
  const result = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
  assert.equal(result.ok, true, result.output);
  const warned = [...result.output.matchAll(/\[warn\] (?:\d+#\d+: )?(low address bits .*) in \S+:(\d+)/g)].map(([, message, line]) => `${line}: ${message}`);
  assert.deepEqual(warned, shown.map((line) => line.replace(' information', '')));
});

test('the lines of a geo file included in the block are judged in order, those above the include unknown', async (t) => {
  const main = http('geo $g {', '  include geo.conf;', '}', 'server { listen 8080; return 200 $g; }');
  const judged = (list: string) => analyzeFiles({ [MAIN]: main, '/etc/nginx/geo.conf': list }, '/etc/nginx/geo.conf')
    .filter((finding) => finding.severity === 'error').map((finding) => finding.message);
  const cases: Array<[string, string[]]> = [
    ['ranges;\ndefault 0;\n10.0.0.1-10.0.0.9 1;\n', []],
    ['ranges;\n10.0.0.0/8 1;\n', ['invalid range "10.0.0.0/8"']],
    // `ranges` may stand above the include: a range is taken without it.
    ['10.0.0.1-10.0.0.9 1;\n10.0.0.0/8 2;\n', []],
    ['10.0.0.0/33 1;\n', ['invalid network "10.0.0.0/33"']],
  ];
  for (const [list, expected] of cases) assert.deepEqual(judged(list), expected, list);
  if (noNginx) return t.skip(noNginx);
  for (const [list, expected] of cases.slice(0, 2)) {
    const result = nginxTest({ 'nginx.conf': main, 'geo.conf': list }, 'nginx.conf');
    assert.equal(result.message, expected[0], result.output);
  }
});

test('a geo block of 30,000 networks is judged line by line in one pass', () => {
  // Each line's verdict used to be worked out from all the lines above it: 83 s for this block.
  const networks = Array.from({ length: 30_000 }, (_, i) => `  10.${i >> 8}.${i & 255}.0/24 ${i % 7};`);
  const text = http('geo $g {', '  default 0;', ...networks, '  10.0.0.0/33 1;', '}', 'server { listen 8080; return 200 $g; }');
  assert.deepEqual(errorsOf(text), [`${30_005}: invalid network "10.0.0.0/33"`]);
});

test('a map of 30,000 keys is not read again for each of its lines', () => {
  // The block checks of geo and split_clients once read a map's lines for each line: 3.5 minutes here.
  const keys = Array.from({ length: 30_000 }, (_, i) => `  /p${i} ${i % 7};`);
  const text = http('map $uri $m {', '  default 0;', ...keys, '  /p0 1;', '}', 'server { listen 8080; return 200 $m; }');
  assert.deepEqual(errorsOf(text), [`${30_005}: conflicting parameter "/p0"`]);
});

test('variable references nginx\'s script compiler refuses, in the words it compiles, in its words', async (t) => {
  const location = (line: string) => http('server {', 'listen 8080;', 'location / {', line, '}', '}');
  const cases: Array<[string, string, string | undefined]> = [
    ['a ${ without its }', 'set $a "${x";', 'the closing bracket in "x" variable is missing'],
    ['a ${ closed after a character a name cannot have', 'return 200 "${a-b}";', 'the closing bracket in "a" variable is missing'],
    ['a root with a ${ left open', 'root /srv/${x;', 'the closing bracket in "x" variable is missing'],
    ['a $ at the end of a word', 'return 200 "cost: 5$";', 'invalid variable name'],
    ['a $ before a space', 'add_header X "a $ b";', 'invalid variable name'],
    ['${}', 'return 200 "${}";', 'invalid variable name'],
    ['a rewrite replacement ending in $', 'rewrite ^ /a$1b$ last;', 'invalid variable name'],
    ['a log format ending in $ names the rest of the word', 'access_log off; } } log_format f "a $ b"; server { location /x {', 'invalid parameter "$ b"'],
    ['${name}, captures and regexes that nginx takes', 'rewrite ^/(.*)$ /x/$1?${args}; add_header X "${host}x$request_uri";', undefined],
    ['an if whose regex ends in $', 'if ($uri ~ "\\.php$") { return 404; }', undefined],
  ];
  for (const [name, line, message] of cases) {
    const text = location(line);
    const ours = analyzeFiles({ [MAIN]: text }, MAIN).filter((finding) => finding.severity === 'error').map((finding) => finding.message);
    assert.deepEqual(ours, message ? [message] : [], name);
    if (noNginx) continue;
    const verdict = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
    assert.equal(verdict.ok, message === undefined, `${name}: ${verdict.output}`);
    if (message) assert.equal(verdict.message, message, name);
  }
  if (noNginx) t.skip(noNginx);
});

test('a stream upstream server without a port, which nginx parses with no default port', async (t) => {
  const text = ['load_module /usr/lib/nginx/modules/ngx_stream_module.so;', 'events {}', 'stream {', '  upstream db {', '    server 127.0.0.1;', '  }', '  server { listen 9000; proxy_pass db; }', '}', ''].join('\n');
  assert.deepEqual(errorsOf(text), ['5: no port in upstream "127.0.0.1"']);
  assert.deepEqual(errorsOf(text.replace('server 127.0.0.1;', 'server 127.0.0.1:5432;')), []);
  if (noNginx) return t.skip(noNginx);
  const verdict = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
  assert.equal(verdict.message, 'no port in upstream "127.0.0.1"', verdict.output);
  assert.equal(verdict.line, 5);
});
