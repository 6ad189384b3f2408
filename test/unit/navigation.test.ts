import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextEdit } from '../../server/src/analysis/types';
import type { RenameResult } from '../../server/src/features/navigation';
import { serviceWithCursor } from '../support/service';

const files = {
  '/etc/nginx/nginx.conf':
    'events {}\nhttp {\n  map $http_upgrade $connection_upgrade {\n    default upgrade;\n  }\n  upstream app {\n    server 127.0.0.1:3000;\n  }\n  include sites/*.conf;\n}\n',
  '/etc/nginx/sites/a.conf':
    'server {\n  location / {\n    try_files $uri @app;\n  }\n  location @app {\n    proxy_pass http://app;\n    proxy_set_header Connection $connection_upgrade;\n  }\n}\n',
  '/etc/nginx/sites/b.conf': 'server {\n  location /b/ {\n    proxy_pass http://app/b/;\n  }\n}\n',
};

/** The service with `|` placed at the first occurrence of `marker` in `file` (after its first `at` chars). */
function cursorOn(file: keyof typeof files, marker: string, at = 1) {
  const text = files[file];
  const index = text.indexOf(marker) + at;
  return serviceWithCursor({ ...files, [file]: text.slice(0, index) + '|' + text.slice(index) }, file);
}
/** The edits of a rename that must succeed. */
function renamed(result: RenameResult): TextEdit[] {
  assert.ok('edits' in result, JSON.stringify(result));
  return result.edits;
}
const lineOf = (file: string, offset: number) => files[file as keyof typeof files].slice(0, offset).split('\n').length;

test('go to the upstream named in proxy_pass, across files', () => {
  const { service, offset } = cursorOn('/etc/nginx/sites/a.conf', 'http://app', 8);
  const [target] = service.definition('/etc/nginx/sites/a.conf', offset);
  assert.equal(target.file, '/etc/nginx/nginx.conf');
  assert.equal(lineOf(target.file, target.span.start), 6);
});

test('go to a map variable and a named location', () => {
  const variable = cursorOn('/etc/nginx/sites/a.conf', '$connection_upgrade', 3);
  const [map] = variable.service.definition('/etc/nginx/sites/a.conf', variable.offset);
  assert.equal(map.file, '/etc/nginx/nginx.conf');
  assert.equal(lineOf(map.file, map.span.start), 3);
  const named = cursorOn('/etc/nginx/sites/a.conf', '@app;', 2);
  const [location] = named.service.definition('/etc/nginx/sites/a.conf', named.offset);
  assert.equal(lineOf(location.file, location.span.start), 5);
});

test('include patterns go to the files they match, and link to a single one', () => {
  const { service, offset } = cursorOn('/etc/nginx/nginx.conf', 'sites/*.conf', 2);
  assert.deepEqual(service.definition('/etc/nginx/nginx.conf', offset).map((l) => l.file), ['/etc/nginx/sites/a.conf', '/etc/nginx/sites/b.conf']);
  assert.deepEqual(service.documentLinks('/etc/nginx/nginx.conf'), []);
  const single = serviceWithCursor({ ...files, '/etc/nginx/nginx.conf': files['/etc/nginx/nginx.conf'].replace('sites/*.conf', 'sites/a.conf') + '|' }, '/etc/nginx/nginx.conf');
  const [link] = single.service.documentLinks('/etc/nginx/nginx.conf');
  assert.equal(link.target, '/etc/nginx/sites/a.conf');
});

test('references and rename of an upstream across files', () => {
  const { service, offset } = cursorOn('/etc/nginx/nginx.conf', 'upstream app', 10);
  const refs = service.references('/etc/nginx/nginx.conf', offset, true);
  assert.deepEqual(refs.map((r) => r.file).sort(), ['/etc/nginx/nginx.conf', '/etc/nginx/sites/a.conf', '/etc/nginx/sites/b.conf']);
  const edits = renamed(service.rename('/etc/nginx/nginx.conf', offset, 'backend'));
  assert.equal(edits.length, 3);
  assert.ok(edits.every((edit) => edit.newText === 'backend'));
});

test('rename a user variable keeps the $ and ${} forms', () => {
  const { service, offset } = serviceWithCursor({ '/etc/nginx/nginx.conf': 'http {\n  set $ro|ot /srv;\n  server {\n    root ${root}/www;\n    index $root;\n  }\n}\n' }, '/etc/nginx/nginx.conf');
  for (const newName of ['base', '$base', '${base}']) {
    const edits = renamed(service.rename('/etc/nginx/nginx.conf', offset, newName));
    assert.deepEqual(edits.map((e) => e.newText).sort(), ['$base', '$base', '${base}'], newName);
  }
  assert.deepEqual(service.prepareRename('/etc/nginx/nginx.conf', offset), { span: { start: 13, end: 18 } });
});

test('built-in variables cannot be renamed', () => {
  const { service, offset } = serviceWithCursor({ '/etc/nginx/nginx.conf': 'http {\n  log_format x $remote_ad|dr;\n}\n' }, '/etc/nginx/nginx.conf');
  assert.equal(service.prepareRename('/etc/nginx/nginx.conf', offset), undefined);
  assert.deepEqual(service.rename('/etc/nginx/nginx.conf', offset, 'x'), { edits: [] });
});

test('an upstream rename refuses a name that is no single word of a proxy_pass URL', () => {
  const { service, offset } = cursorOn('/etc/nginx/nginx.conf', 'upstream app', 10);
  for (const newName of ['x; include /etc/shadow', '', '""', '{', '}', 'a b', 'a\tb', 'a\nb', 'a;b', '"a"', "'a'", 'a#b', '$a', 'a/b', 'a:80']) {
    const result = service.rename('/etc/nginx/nginx.conf', offset, newName);
    assert.ok('error' in result && /not a valid upstream name/.test(result.error), `${JSON.stringify(newName)}: ${JSON.stringify(result)}`);
  }
  assert.equal(renamed(service.rename('/etc/nginx/nginx.conf', offset, 'app-v2.internal_1')).length, 3);
});

test('an upstream rename refuses a clash: another upstream (without case, as nginx compares) or a proxied host', () => {
  const conf = 'events {}\nhttp {\n  upstream a|pp { server 127.0.0.1:1; }\n  upstream other { server 127.0.0.1:2; }\n' +
    '  server {\n    location / { proxy_pass http://APP; }\n    location /l { proxy_pass http://legacy.internal:8080; }\n  }\n}\n';
  const { service, offset } = serviceWithCursor({ '/etc/nginx/nginx.conf': conf }, '/etc/nginx/nginx.conf');
  for (const newName of ['other', 'OTHER', 'legacy.internal']) {
    const result = service.rename('/etc/nginx/nginx.conf', offset, newName);
    assert.ok('error' in result && /already exists/.test(result.error), `${newName}: ${JSON.stringify(result)}`);
  }
  // `http://APP` names the same upstream (ngx_http_upstream_add compares without case).
  assert.deepEqual(renamed(service.rename('/etc/nginx/nginx.conf', offset, 'App')).map((e) => e.newText), ['App', 'App']);
});

test('a variable rename refuses what is no variable name, and a clash with a variable that exists', () => {
  const conf = 'events {}\nhttp {\n  set $ro|ot /srv;\n  set $other 1;\n  server {\n    server_name ~^(?<sub>.+)\\.test$;\n' +
    '    location / { return 200 "$root $http_x_token"; }\n  }\n}\n';
  const { service, offset } = serviceWithCursor({ '/etc/nginx/nginx.conf': conf }, '/etc/nginx/nginx.conf');
  for (const newName of ['', '$', '${}', 'a-b', 'a b', '${a', 'a}', 'a;', '$a$b', 'é', '1a', '$9']) {
    const result = service.rename('/etc/nginx/nginx.conf', offset, newName);
    assert.ok('error' in result && /not a valid variable name/.test(result.error), `${JSON.stringify(newName)}: ${JSON.stringify(result)}`);
  }
  const clashes: Array<[string, RegExp]> = [
    ['other', /\$other already exists/], ['OTHER', /already exists/], ['sub', /\$sub already exists/],
    ['http_x_token', /already exists/], ['host', /\$host is a built-in nginx variable/], ['$request_uri', /built-in/],
  ];
  for (const [newName, message] of clashes) {
    const result = service.rename('/etc/nginx/nginx.conf', offset, newName);
    assert.ok('error' in result && message.test(result.error), `${newName}: ${JSON.stringify(result)}`);
  }
  assert.deepEqual(renamed(service.rename('/etc/nginx/nginx.conf', offset, 'Root')).map((e) => e.newText), ['$Root', '$Root']);
});

test('a variable rename leaves the uses that a named capture binds: of an enclosing location, if or server_name, a map key, a rewrite', () => {
  const conf = [
    'events {}',
    'http {',
    '  set $us|er nobody;',
    '  map $uri $owner { ~^/(?<user>[^/]+)/ $user; default $user; }',
    '  server {',
    '    server_name ~^(?P<user>.+)\\.example$;',
    '    return 200 $user;',
    '  }',
    '  server {',
    '    location ~ ^/u/(?<user>[^/]+) { return 200 $user; }',
    '    location /if { if ($uri ~ "(?\'user\'.+)") { return 200 $user; } return 200 $user; }',
    '    location / { return 200 ${user}; }',
    '    location /r/ { rewrite ^/r/(?<user>.+)$ /x/$user last; }',
    '  }',
    '}',
    '',
  ].join('\n');
  const { service, offset } = serviceWithCursor({ '/etc/nginx/nginx.conf': conf }, '/etc/nginx/nginx.conf');
  const text = service.file('/etc/nginx/nginx.conf')!.text;
  const edits = renamed(service.rename('/etc/nginx/nginx.conf', offset, 'who'));
  const lineOfEdit = (edit: TextEdit) => text.slice(0, edit.span.start).split('\n').length;
  // The definition (line 3), the map's default (4), the location /if's own return (11), location / (12).
  assert.deepEqual(edits.map(lineOfEdit).sort((a, b) => a - b), [3, 4, 11, 12]);
  assert.deepEqual(edits.map((e) => e.newText).sort(), ['$who', '$who', '$who', '${who}']);

  // On a bound use: refused, and its definition is the regex that binds it.
  const bound = text.indexOf('$user; }', text.indexOf('location ~')) + 2;
  const prepared = service.prepareRename('/etc/nginx/nginx.conf', bound);
  assert.ok(prepared && 'error' in prepared && /named capture/.test(prepared.error), JSON.stringify(prepared));
  const [regex] = service.definition('/etc/nginx/nginx.conf', bound);
  assert.equal(text.slice(regex.span.start, regex.span.end), '^/u/(?<user>[^/]+)');
  // A use in a map entry whose key captures it is bound by that key.
  const inMap = service.definition('/etc/nginx/nginx.conf', text.indexOf('$user; default') + 2);
  assert.deepEqual(inMap.map((l) => text.slice(l.span.start, l.span.end)), ['~^/(?<user>[^/]+)/']);
});
