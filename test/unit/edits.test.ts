// The helpers the quick fixes build their edits with, on files whose lines end in `\n`, `\r\n` or a
// lone `\r` (lines as LSP counts them).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, eolOf, indentAt, insertLinesIntoBlock, lineEnd, startsLine, wholeLines } from '../../server/src/analysis/edits';
import { parseConfigFile } from '../../server/src/analysis/workspace';
import { directivesNamed } from '../../server/src/parser';

const fileOf = (text: string) => parseConfigFile('/t.conf', text);

test('new line breaks: CRLF when the first LF has a CR, else LF; never a lone CR', () => {
  assert.equal(eolOf(fileOf('a;\r\nb;\n')), '\r\n');
  assert.equal(eolOf(fileOf('a;\nb;\r\n')), '\n');
  assert.equal(eolOf(fileOf('a;\rb;\r')), '\n');
  assert.equal(eolOf(fileOf('a;\rb;\r\n')), '\r\n');
});

test('a lone CR ends the line for the line helpers', () => {
  const text = 'a {\r    b;  \r  c; d;\r}';
  const file = fileOf(text);
  const [c] = directivesNamed(file.tree, 'c');
  const [d] = directivesNamed(file.tree, 'd');
  const [b] = directivesNamed(file.tree, 'b');
  assert.equal(indentAt(file, c.start), '  ');
  assert.ok(startsLine(file, c.start));
  assert.ok(!startsLine(file, d.start));
  assert.equal(lineEnd(file, b.end), text.indexOf('  \r  c') + 2);
  assert.equal(text.slice(wholeLines(file, b).start, wholeLines(file, b).end), '    b;  \r');
});

test('lines inserted into a block go on lines of their own, after a comment as nginx reads it', () => {
  const lone = fileOf('location / {\r    proxy_pass http://x;\r}\r');
  const [location] = directivesNamed(lone.tree, 'location');
  const [pass] = directivesNamed(lone.tree, 'proxy_pass');
  assert.equal(applyEdits(lone.text, [insertLinesIntoBlock(lone, location, [pass], ['proxy_http_version 1.1;'])]),
    'location / {\r    proxy_pass http://x;\n    proxy_http_version 1.1;\r}\r');

  // nginx reads `# note\r    more;` as one comment (it ends comments at LF only): the new line goes
  // after it, so that `more;` stays commented out and the new directive is not.
  const commented = fileOf('location / {\n    proxy_pass http://x; # note\r    more;\n}\n');
  const [block] = directivesNamed(commented.tree, 'location');
  const [proxyPass] = directivesNamed(commented.tree, 'proxy_pass');
  const out = applyEdits(commented.text, [insertLinesIntoBlock(commented, block, [proxyPass], ['proxy_http_version 1.1;'])]);
  assert.equal(out, 'location / {\n    proxy_pass http://x; # note\r    more;\n    proxy_http_version 1.1;\n}\n');
  assert.deepEqual(directivesNamed(fileOf(out).tree, 'more'), []);
  assert.equal(directivesNamed(fileOf(out).tree, 'proxy_http_version').length, 1);
});
