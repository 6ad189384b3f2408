import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex, NginxLines } from '../../server/src/parser';
import { seededRandom } from '../support/mutants';

/** Random strings of `a`, `\r` and `\n`, from a fixed seed. */
const random = seededRandom(17);
const randomTexts = Array.from({ length: 200 }, () =>
  Array.from({ length: Math.floor(random() * 30) }, () => ['a', '\r', '\n'][Math.floor(random() * 3)]).join(''));
const texts = [
  'server {\r    listen 80;\r}\r',
  'a;\r\nb;\rc;\nd;\r\r\n\n\re',
  '\r\n\r\n',
  '\r',
  '',
  'no line break',
  ...randomTexts,
];

test('LineIndex counts lines as LSP does: \\n, \\r\\n and a lone \\r', () => {
  const lines = new LineIndex('a\rb\r\nc\nd');
  assert.equal(lines.lineCount, 4);
  assert.deepEqual([0, 1, 2, 3].map((line) => lines.lineSpan(line)), [{ start: 0, end: 1 }, { start: 2, end: 3 }, { start: 5, end: 6 }, { start: 7, end: 8 }]);
  assert.deepEqual(lines.positionAt(2), { line: 1, character: 0 });
  assert.deepEqual(lines.positionAt(5), { line: 2, character: 0 });
});

test('LineIndex agrees with TextDocument on every offset and position, out-of-range ones included', () => {
  for (const text of texts) {
    const lines = new LineIndex(text);
    const document = TextDocument.create('untitled:t', 'nginx', 1, text);
    assert.equal(lines.lineCount, document.lineCount, JSON.stringify(text));
    for (let offset = -1; offset <= text.length + 1; offset++) {
      assert.deepEqual(lines.positionAt(offset), document.positionAt(offset), `${JSON.stringify(text)} at ${offset}`);
    }
    for (let line = -1; line <= document.lineCount; line++) {
      for (let character = -1; character <= text.length + 1; character++) {
        assert.equal(lines.offsetAt({ line, character }), document.offsetAt({ line, character }), `${JSON.stringify(text)} at ${line}:${character}`);
      }
    }
  }
});

test('NginxLines counts lines as nginx does: by LF only, a lone CR inside its line', () => {
  const text = 'a;\rb;\r\nc;\n\nd;';
  const lines = new NginxLines(text);
  assert.deepEqual([0, 3, 6, 7, 10, 11].map((offset) => lines.lineAt(offset)), [1, 1, 1, 2, 3, 4]);
  assert.deepEqual(lines.lineSpan(1), { start: 0, end: 5 }); // `a;\rb;`, without the CRLF
  assert.deepEqual(lines.lineSpan(2), { start: 7, end: 9 });
  assert.deepEqual(lines.lineSpan(3), { start: 10, end: 10 });
  assert.deepEqual(lines.lineSpan(4), { start: 11, end: 13 });
  // nginx's "line 0" (no line) and lines past the end are clamped to the file.
  assert.deepEqual(lines.lineSpan(0), lines.lineSpan(1));
  assert.deepEqual(lines.lineSpan(99), lines.lineSpan(4));
});
