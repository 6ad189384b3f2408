import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigFile } from '../../server/src/analysis/workspace';
import { foldingRanges } from '../../server/src/features/folding';

const folds = (text: string) =>
  foldingRanges(parseConfigFile('/t.conf', text)).map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);

test('a block folds from its `{` line to the last line before `}`', () => {
  const text = [
    'http {', //              0
    '    server {', //        1
    '        listen 80;', //  2
    '        location / {', //3
    '            return 200;', // 4
    '        }', //           5
    '    }', //               6
    '}', //                   7
  ].join('\n');
  assert.deepEqual(folds(text), ['0-6', '1-5', '3-4']);
});

test('one-line blocks do not fold; a `}` after content on its line folds with the block', () => {
  assert.deepEqual(folds('events { worker_connections 1; }\nhttp {\n  a;\n  b; }\n'), ['1-3']);
});

test('a `{` on its own line starts the fold', () => {
  assert.deepEqual(folds('location /\n{\n  return 204;\n}\n'), ['1-2']);
});

test('runs of two or more comment-only lines fold as comments; trailing comments do not count', () => {
  const text = [
    '# one', //                 0
    '# two', //                 1
    'user nginx; # trailing', //2
    '# lonely', //              3
    '', //                      4
    'http {', //                5
    '    # a', //               6
    '    # b', //               7
    '    # c', //               8
    '    gzip on;', //          9
    '}', //                     10
  ].join('\r\n');
  assert.deepEqual(folds(text), ['0-1 comment', '5-9', '6-8 comment']);
});

test('Lua block bodies fold, braces inside Lua strings notwithstanding', () => {
  const text = 'location / {\n  content_by_lua_block {\n    ngx.say("}")\n    ngx.exit(200)\n  }\n}\n';
  assert.deepEqual(folds(text), ['0-4', '1-3']);
});

test('an unclosed block folds to the end of the file', () => {
  assert.deepEqual(folds('http {\n  server {\n    listen 80;\n'), ['0-3', '1-3']);
});

test('5,000 nested blocks: no stack overflow', () => {
  const depth = 5000;
  const ranges = folds('a {\n'.repeat(depth) + 'b;\n' + '}\n'.repeat(depth));
  assert.equal(ranges.length, depth);
  assert.equal(ranges[0], `0-${2 * depth - 1}`);
  assert.equal(ranges[depth - 1], `${depth - 1}-${depth}`);
});
