import { test } from 'node:test';
import assert from 'node:assert/strict';
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
  const edits = service.rename('/etc/nginx/nginx.conf', offset, 'backend');
  assert.equal(edits.length, 3);
  assert.ok(edits.every((edit) => edit.newText === 'backend'));
});

test('rename a user variable keeps the $ and ${} forms', () => {
  const { service, offset } = serviceWithCursor({ '/etc/nginx/nginx.conf': 'http {\n  set $ro|ot /srv;\n  server {\n    root ${root}/www;\n    index $root;\n  }\n}\n' }, '/etc/nginx/nginx.conf');
  const edits = service.rename('/etc/nginx/nginx.conf', offset, 'base');
  assert.deepEqual(edits.map((e) => e.newText).sort(), ['$base', '$base', '${base}']);
  assert.ok(service.prepareRename('/etc/nginx/nginx.conf', offset));
});

test('built-in variables cannot be renamed', () => {
  const { service, offset } = serviceWithCursor({ '/etc/nginx/nginx.conf': 'http {\n  log_format x $remote_ad|dr;\n}\n' }, '/etc/nginx/nginx.conf');
  assert.equal(service.prepareRename('/etc/nginx/nginx.conf', offset), undefined);
  assert.deepEqual(service.rename('/etc/nginx/nginx.conf', offset, 'x'), []);
});
