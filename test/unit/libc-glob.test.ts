// libcGlob (server/src/node/libcGlob.ts): what glob(3) returns for nginx's include patterns, or
// undefined where it cannot say. The expectations are glibc's glob(pattern, 0, ...) in the C locale.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { libcGlob, MAX_GLOB_ENTRIES } from '../../server/src/node/libcGlob';

const root = fs.mkdtempSync(path.join(tmpdir(), 'libc-glob-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
for (const file of ['conf/a.conf', 'conf/b.conf', 'conf/.hidden.conf', 'conf/notes.txt', 'sites/one/x.conf', 'sites/two/x.conf', 'sites/three/y.conf']) {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), '');
}
fs.symlinkSync(path.join(root, 'missing'), path.join(root, 'conf/dangling.conf'));
const sorted = (found: string[] | undefined) => found?.map((file) => path.relative(root, file)).sort();

test('* and ? match within one name; a leading dot only a literal one', () => {
  assert.deepEqual(sorted(libcGlob(`${root}/conf/*.conf`)), ['conf/a.conf', 'conf/b.conf', 'conf/dangling.conf']);
  assert.deepEqual(sorted(libcGlob(`${root}/conf/?.conf`)), ['conf/a.conf', 'conf/b.conf']);
  assert.deepEqual(sorted(libcGlob(`${root}/conf/.*.conf`)), ['conf/.hidden.conf']);
  assert.deepEqual(sorted(libcGlob(`${root}/conf/*`)), ['conf/a.conf', 'conf/b.conf', 'conf/dangling.conf', 'conf/notes.txt']);
});

test('a wildcard folder, then a literal name: only where that name exists (stat, so no dangling link)', () => {
  assert.deepEqual(sorted(libcGlob(`${root}/sites/*/x.conf`)), ['sites/one/x.conf', 'sites/two/x.conf']);
  assert.deepEqual(sorted(libcGlob(`${root}/*/*/y.conf`)), ['sites/three/y.conf']);
  assert.deepEqual(libcGlob(`${root}/nowhere/*.conf`), []);
});

test('names that are not UTF-8 are matched byte for byte', () => {
  const bytes = Buffer.concat([Buffer.from(`${root}/conf/`), Buffer.from([0xff, 0x2e, 0x63, 0x6f, 0x6e, 0x66])]);
  fs.writeFileSync(bytes, '');
  try {
    assert.ok(libcGlob(`${root}/conf/?.conf`)?.includes(bytes.toString('latin1')));
  } finally {
    fs.rmSync(bytes);
  }
});

test('what it cannot follow exactly is undefined, never a guess', () => {
  assert.equal(libcGlob(`${root}/conf/[ab].conf`), undefined, 'a class');
  assert.equal(libcGlob(`${root}/conf/\\a*.conf`), undefined, 'an escape');
  assert.equal(libcGlob(`${root}/sites/*/../conf/a.conf`), undefined, 'a .. after a wildcard');
  assert.equal(libcGlob(`${root}/conf/.*`), undefined, 'a segment that matches . and ..');
  const many = path.join(root, 'many');
  fs.mkdirSync(many);
  for (let i = 0; i <= MAX_GLOB_ENTRIES; i++) fs.writeFileSync(path.join(many, `f${i}`), '');
  assert.equal(libcGlob(`${many}/*.conf`), undefined, `more than ${MAX_GLOB_ENTRIES} entries`);
});
