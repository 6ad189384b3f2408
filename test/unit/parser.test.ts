import { test } from 'node:test';
import assert from 'node:assert/strict';
import { directiveAt, LineIndex, parse, walk, type Directive } from '../../server/src/parser';

/** name + args of every directive, depth-first, as "name a b" strings. */
function statements(text: string): string[] {
  const out: string[] = [];
  walk(parse(text).root, (d: Directive) => out.push([d.name.value, ...d.args.map((a) => a.value)].join(' ')));
  return out;
}
const errorsOf = (text: string) => {
  const lines = new LineIndex(text);
  return parse(text).errors.map((e) => `${lines.positionAt(e.start).line + 1}: ${e.message}`);
};

test('words, blocks and nesting', () => {
  assert.deepEqual(statements('http { server { listen 80; location / { return 200; } } }'), [
    'http', 'server', 'listen 80', 'location /', 'return 200',
  ]);
});

test('quotes and backslash escapes follow ngx_conf_read_token', () => {
  assert.deepEqual(statements(`a "x y" 'p\\'q' "t\\"u" \\;v "\\n";`), ['a x y p\'q t"u \\;v \n']);
});

test('# starts a comment only where a word starts', () => {
  const result = parse('a b#c; # real comment\nd;');
  assert.deepEqual(statements('a b#c; # real comment\nd;'), ['a b#c', 'd']);
  assert.equal(result.root.children[1].kind, 'comment');
});

test('${var} does not open a block, `}` inside a word does not close one', () => {
  assert.deepEqual(statements('set $a ${b}c; return 200 x}y;'), ['set $a ${b}c', 'return 200 x}y']);
});

test('*_by_lua_block bodies are one raw token, braces in Lua strings and comments included', () => {
  const text = 'content_by_lua_block {\n  local t = { "}" } -- }\n  ngx.say([[ } ]])\n}\nnext;';
  const result = parse(text);
  assert.deepEqual(result.errors, []);
  const lua = result.root.children[0] as Directive;
  assert.match(lua.luaBody!.value, /ngx\.say/);
  assert.deepEqual(statements(text), ['content_by_lua_block', 'next']);
});

test('syntax errors use nginx wording, at nginx line', () => {
  assert.deepEqual(errorsOf('http {\n}\n}\n'), ['3: unexpected "}"']);
  assert.deepEqual(errorsOf('http {\n  a b'), ['2: unexpected end of file, expecting ";" or "}"']);
  assert.deepEqual(errorsOf('http {\n  a b;\n'), ['3: unexpected end of file, expecting "}"']);
  assert.deepEqual(errorsOf(';'), ['1: unexpected ";"']);
  assert.deepEqual(errorsOf('{ a; }'), ['1: unexpected "{"']);
  assert.deepEqual(errorsOf('a "b"c;'), ['1: unexpected "c"']);
  assert.deepEqual(errorsOf('a "b;\nc;\n'), ['3: unexpected end of file, expecting ";" or "}"']);
});

test('keeps parsing after an error', () => {
  const text = '}\nhttp {\n  a b }\n  c;\n}\n';
  assert.deepEqual(statements(text), ['http', 'a b', 'c']);
  // the stray `}` at the top, the `}` that cuts `a b` short (closing http), the last `}`
  assert.equal(parse(text).errors.length, 3);
});

test('ranges: UTF-16 columns, CRLF, BOM', () => {
  const text = '\ufeffé😀 x;\r\nlisten 80;\r\n';
  const result = parse(text);
  const lines = new LineIndex(text);
  const listen = result.root.children[1] as Directive;
  assert.deepEqual(lines.rangeOf(listen.name), { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } });
  const first = result.root.children[0] as Directive;
  // nginx reads a byte order mark as part of the first word.
  assert.equal(first.name.value, '\ufeffé😀');
  assert.deepEqual(lines.rangeOf(first.args[0]), { start: { line: 0, character: 5 }, end: { line: 0, character: 6 } });
});

test('a `)` after a closing quote starts a word of its own, as ngx_conf_read_token() reads it', () => {
  const [condition] = parse('if ($a = "b") { }').root.children as Directive[];
  assert.deepEqual(condition.args.map((arg) => arg.value), ['($a', '=', 'b', ')']);
  const [spaced] = parse("if ($a = 'b' ) { }").root.children as Directive[];
  assert.deepEqual(spaced.args.map((arg) => arg.value), ['($a', '=', 'b', ')']);
});

test('a token of 4096 bytes or more is too long, as in nginx', () => {
  assert.equal(errorsOf(`a "${'x'.repeat(5000)}`)[0], '1: too long parameter, probably missing terminating """ character');
  assert.equal(errorsOf(`${'y'.repeat(5000)};`)[0], '1: too long parameter "yyyyyyyyyy..." started');
});

test('too long as the buffer of ngx_conf_read_token() holds it: the bytes read with the start of the token in place, comments too (checked with nginx 1.22.1)', () => {
  const tail = ';\nevents {}\n';
  const errors = (text: string) => parse(text).errors.map((error) => error.message);
  const tooLong = ['too long parameter "AAAAAAAAAA..." started'];
  // A bare word: its `;` must fit in the buffer, and after a blank the byte after it.
  assert.deepEqual(errors(`env ${'A'.repeat(4095)}${tail}`), []);
  assert.deepEqual(errors(`env ${'A'.repeat(4094)} ${tail}`), []);
  assert.deepEqual(errors(`env ${'A'.repeat(4095)} ${tail}`), tooLong);
  // A quoted word starts after its quote; the closing quote, then what follows it, must fit.
  assert.deepEqual(errors(`env "${'A'.repeat(4094)}"${tail}`), []);
  assert.deepEqual(errors(`env "${'A'.repeat(4095)}"${tail}`), tooLong);
  assert.deepEqual(errors(`env "${'A'.repeat(4093)}" ${tail}`), []);
  assert.deepEqual(errors(`env "${'A'.repeat(4094)}" ${tail}`), tooLong);
  // A comment line with its LF.
  assert.deepEqual(errors(`#${'A'.repeat(4094)}\nevents {}\n`), []);
  assert.deepEqual(errors(`#${'A'.repeat(4095)}\nevents {}\n`), ['too long parameter "#AAAAAAAAA..." started']);
  // The word stays in its statement: no argument count error follows.
  const [env] = parse(`env ${'A'.repeat(4095)} ${tail}`).root.children as Directive[];
  assert.deepEqual([env.name.value, env.args.length], ['env', 1]);
  // Bytes: 2 per é, the first 10 shown whole; a byte that is not UTF-8 (read as U+FFFD) counts 1.
  assert.deepEqual(errors(`env ${'é'.repeat(2048)}${tail}`), ['too long parameter "ééééé..." started']);
  assert.deepEqual(errors(`env ${'\ufffd'.repeat(4000)}${tail}`), []);
  // Nothing is refilled at the end of the file: a token that ends there with the buffer's bytes is read.
  assert.deepEqual(errors(`#${'A'.repeat(4095)}`), []);
});

test('every `{` right after `$` stays in the word, as ngx_conf_read_token() keeps `variable` set', () => {
  const [env] = parse('env A${{B;\nevents {}\n').root.children as Directive[];
  assert.deepEqual([env.name.value, env.args.map((arg) => arg.value)], ['env', ['A${{B']]);
  assert.deepEqual(parse('ret${{urn 200;').root.children.map((node) => node.kind === 'directive' && node.name.value), ['ret${{urn']);
});

test('deep nesting and unbalanced braces never throw nor recurse', () => {
  const deep = 'a {'.repeat(20000) + '}'.repeat(20000);
  let count = 0;
  walk(parse(deep).root, () => count++);
  assert.equal(count, 20000);
  assert.ok(parse('{'.repeat(5000)).errors.length > 0);
  assert.ok(parse('}'.repeat(5000)).errors.length === 5000);
});

test('binary data gives errors, not exceptions', () => {
  const binary = Array.from({ length: 65536 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  assert.doesNotThrow(() => parse(binary));
});

test('directiveAt: the chain of blocks down to the directive under an offset, the first where two touch', () => {
  const text = 'http {\n  a 1;b 2; # note\n  server { listen 80;#c\nroot /x; }\n}\n';
  const root = parse(text).root;
  const names = (offset: number) => directiveAt(root, offset).map((directive) => directive.name.value);
  assert.deepEqual(names(text.indexOf('a 1')), ['http', 'a']);
  // `a 1;` ends where `b 2;` starts: the first of the two.
  assert.deepEqual(names(text.indexOf('b 2')), ['http', 'a']);
  assert.deepEqual(names(text.indexOf('b 2') + 1), ['http', 'b']);
  assert.deepEqual(names(text.indexOf('# note') + 2), ['http']);
  assert.deepEqual(names(text.indexOf('#c') + 1), ['http', 'server']);
  assert.deepEqual(names(text.indexOf('root') + 1), ['http', 'server', 'root']);
  assert.deepEqual(names(text.length), []);
});
