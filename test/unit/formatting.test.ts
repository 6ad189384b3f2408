import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseConfigFile } from '../../server/src/analysis/workspace';
import { applyEdits } from '../../server/src/analysis/edits';
import { format, formattingEdits, MAX_INDENT_LEVEL, type FormattingOptions } from '../../server/src/features/formatting';
import { walk, type Block, type Span } from '../../server/src/parser';
import { withCursor } from '../support/cursor';

const SPACES: FormattingOptions = { tabSize: 4, insertSpaces: true };
const CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
/** Corpus files that are not configurations. */
const NOT_CONFIGS = new Set(['MANIFEST.tsv', 'ORACLE.jsonl', 'WEBSOCKET.tsv', 'README.md']);

function formatted(text: string, options = SPACES, range?: Span): string {
  return applyEdits(text, format(parseConfigFile('/t.conf', text), options, range));
}

/**
 * What formatting must keep: the quoted words, comments and Lua code (trimmed) verbatim, in order,
 * and everything else once all whitespace is removed. Read from the tree, with an explicit stack.
 */
function invariant(text: string): { kept: string[]; skeleton: string } {
  const kept: Span[] = [];
  const blocks: Block[] = [parseConfigFile('/t.conf', text).tree.root];
  walk(blocks[0], (directive) => {
    if (directive.block) blocks.push(directive.block);
    for (const word of [directive.name, ...directive.args]) if (word.quote) kept.push(word);
    if (directive.luaBody) kept.push(directive.luaBody);
  });
  for (const block of blocks) for (const node of block.children) if (node.kind === 'comment') kept.push(node);
  kept.sort((a, b) => a.start - b.start);
  let skeleton = '';
  let at = 0;
  for (const span of kept) {
    skeleton += text.slice(at, span.start).replace(/\s+/g, '') + '\u0000';
    at = span.end;
  }
  skeleton += text.slice(at).replace(/\s+/g, '');
  return { kept: kept.map((span) => text.slice(span.start, span.end).trim()), skeleton };
}

/** Formats `text` and checks the result: whitespace-only change, idempotent, edits sound. */
function check(text: string, options = SPACES): string {
  const file = parseConfigFile('/t.conf', text);
  const edits = formattingEdits(file, options);
  for (let i = 1; i < edits.length; i++) assert.ok(edits[i - 1].span.end < edits[i].span.start, 'edits neither overlap nor touch');
  assert.equal(format(file, options).length, edits.length, 'the safety net did not have to step in');
  const out = applyEdits(text, edits);
  assert.deepEqual(invariant(out), invariant(text), 'only whitespace outside strings, comments and Lua changed');
  assert.equal(formatted(out, options), out, 'formatting twice equals formatting once');
  return out;
}

test('indentation by depth, one directive per line, one space between words', () => {
  const text = 'http{\nserver   {listen 80;   server_name  a.test  b.test ;\n location / { root /var/www; index index.html; }\n\t}\n}\n';
  assert.equal(check(text), [
    'http {',
    '    server {',
    '        listen 80;',
    '        server_name a.test b.test;',
    '        location / {',
    '            root /var/www;',
    '            index index.html;',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n'));
});

test('tabs, or tabSize spaces', () => {
  const text = 'events {\nworker_connections 1024;\n}\n';
  assert.equal(check(text, { tabSize: 2, insertSpaces: false }), 'events {\n\tworker_connections 1024;\n}\n');
  assert.equal(check(text, { tabSize: 2, insertSpaces: true }), 'events {\n  worker_connections 1024;\n}\n');
});

test('quoted strings are never changed, not even their line breaks and trailing spaces', () => {
  const text = 'http {\nadd_header   X-A  "a   b;  {c}"  ;\nreturn 200 "line one   \n   line two";\n}\n';
  assert.equal(check(text), 'http {\n    add_header X-A "a   b;  {c}";\n    return 200 "line one   \n   line two";\n}\n');
});

test('the `)` that nginx reads after a quote stays with it', () => {
  assert.equal(check('if ($a = "b"){return 403;}'), 'if ($a = "b") {\n    return 403;\n}');
});

test('comments: trailing ones after one space, own-line ones indented, trailing blanks removed', () => {
  const text = 'http {   # main\n# about gzip   \n      gzip on;        # on\n}   # end\n';
  assert.equal(check(text), 'http { # main\n    # about gzip\n    gzip on; # on\n} # end\n');
});

test('at most one blank line; none at the start or the end; the final line break kept or not', () => {
  assert.equal(check('\n\n  a;\n\n\n\nb;\n   \n\n'), 'a;\n\nb;\n');
  assert.equal(check('a;\n\n\n  b;'), 'a;\n\nb;');
  assert.equal(check(''), '');
});

test('multi-line directives keep their line breaks; continuation lines go one level deeper', () => {
  const text = [
    'http {',
    "  log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '",
    "                    '$status $body_bytes_sent'",
    "                    '\"$http_user_agent\"';",
    '  location /a',
    '  {',
    '  return 204;',
    '  }',
    '}',
  ].join('\n');
  assert.equal(check(text), [
    'http {',
    "    log_format main '$remote_addr - $remote_user [$time_local] \"$request\" '",
    "        '$status $body_bytes_sent'",
    "        '\"$http_user_agent\"';",
    '    location /a',
    '    {',
    '        return 204;',
    '    }',
    '}',
  ].join('\n'));
});

test('a comment inside a directive is a continuation line', () => {
  assert.equal(check('server {\nlisten 443 # TLS\n# more\nssl;\n}\n'), 'server {\n    listen 443 # TLS\n        # more\n        ssl;\n}\n');
});

test('`}` goes on its own line; an empty `{}` stays', () => {
  assert.equal(check('events { }\nhttp { server { listen 80; } }'), 'events {}\nhttp {\n    server {\n        listen 80;\n    }\n}');
});

test('Lua bodies are kept byte for byte; only the `{` line end and the `}` indentation change', () => {
  const lua = '    local t = { "}" }   \n\n\n      ngx.say( t[1] )  -- keep   \n';
  const text = `location / {\ncontent_by_lua_block {   \n${lua}}\naccess_by_lua_block {ngx.exit(403)}  set $a 1;\n}\n`;
  assert.equal(
    check(text),
    `location / {\n    content_by_lua_block {\n${lua}    }\n    access_by_lua_block {ngx.exit(403)}\n    set $a 1;\n}\n`,
  );
});

test('CRLF files stay CRLF, new line breaks included', () => {
  assert.equal(check('http {\r\n  a; b;\r\n}\r\n'), 'http {\r\n    a;\r\n    b;\r\n}\r\n');
});

test('a lone CR is a line break, as LSP counts them: kept, and new line breaks are LF (nginx ends comments at LF only)', () => {
  assert.equal(check('server {\r  listen 80;  a; b;\r\r\r}\r'), 'server {\r    listen 80;\n    a;\n    b;\r\r}\r');
  assert.equal(check('http {\r\n  a;\r\r\n\n  b;\n}'), 'http {\r\n    a;\r\r\n    b;\n}');
  // nginx reads a comment up to LF: what follows a lone CR in it is comment too, and is kept as it is.
  assert.equal(check('a {\n  # c\r  b;\n}\n'), 'a {\n    # c\r  b;\n}\n');
  // The edits, applied by a client through LSP ranges, give the same text (issue 17: `server {` became `erver`).
  const text = 'http {\r  server {\r listen 80;\r\n  }\r}\r';
  const file = parseConfigFile('/t.conf', text);
  const document = TextDocument.create('untitled:t', 'nginx', 1, text);
  const edits = format(file, SPACES).map((edit) => ({ range: file.lines.rangeOf(edit.span), newText: edit.newText }));
  assert.equal(TextDocument.applyEdits(document, edits), 'http {\r    server {\r        listen 80;\r\n    }\r}\r');
});

test('a byte order mark is kept', () => {
  // nginx reads it as part of the first word, so it stays where it is.
  assert.equal(check('\ufeffa  b;\nb  c;\n'), '\ufeffa b;\nb c;\n');
});

test('files with syntax errors are left alone', () => {
  for (const text of ['http {\n  a;\n', 'a b\n', '}\n', 'a "b"c;', 'content_by_lua_block { x\n']) {
    assert.deepEqual(format(parseConfigFile('/t.conf', text), SPACES), [], text);
  }
});

test('range formatting edits only the lines the range touches', () => {
  const marked = 'http {\nserver {\n|listen   80;  server_name a;\n   root  /x;\n|  index   i;\n}\n}\n';
  const first = withCursor(marked);
  const { text, offset: end } = withCursor(first.text);
  const range = { start: first.offset, end };
  const edits = format(parseConfigFile('/t.conf', text), SPACES, range);
  const lineStart = text.lastIndexOf('\n', range.start) + 1;
  for (const edit of edits) assert.ok(edit.span.start >= lineStart && edit.span.end <= range.end && edit.span.start < range.end, JSON.stringify(edit));
  // `index` starts the line the range ends at the beginning of: not touched.
  assert.equal(formatted(text, SPACES, range), 'http {\nserver {\n        listen 80;\n        server_name a;\n        root /x;\n  index   i;\n}\n}\n');
});

test('range formatting touches nothing outside the range: not the rest of its lines, not the blank lines around it', () => {
  const inLine = withCursor('a {\nb   c|   d;   e   f;\n}\n');
  const end = inLine.text.indexOf('e');
  assert.equal(formatted(inLine.text, SPACES, { start: inLine.offset, end }), 'a {\nb   c d;\n    e   f;\n}\n');
  assert.equal(formatted(inLine.text, SPACES, { start: inLine.offset, end: inLine.offset }), inLine.text);

  const text = 'a {\n  \n\n\n  b   c;  \n \n\n}\n';
  const line = { start: text.indexOf('  b'), end: text.indexOf(';') + 1 };
  assert.equal(formatted(text, SPACES, line), 'a {\n  \n\n\n    b c;  \n \n\n}\n');
  // The lines from the first blank one to b's: one blank line kept inside, those after untouched.
  const withBreaks = { start: text.indexOf('\n') + 1, end: text.indexOf(' \n\n}') };
  assert.equal(formatted(text, SPACES, withBreaks), 'a {\n\n    b c;\n \n\n}\n');
});

test('edits are minimal: an already formatted file gets none', () => {
  const text = 'http {\n    server {\n        listen 80;\n    }\n}\n';
  assert.deepEqual(format(parseConfigFile('/t.conf', text), SPACES), []);
});

test('2,000 nested blocks: no stack overflow, and the indentation stops growing at its deepest level', () => {
  const depth = 2000;
  const text = 'a {\n'.repeat(depth) + 'b;\n' + '}\n'.repeat(depth);
  const out = check(text, { tabSize: 4, insertSpaces: true });
  const lines = out.split('\n');
  assert.equal(lines[3], '            a {');
  assert.equal(lines[depth], ' '.repeat(4 * MAX_INDENT_LEVEL) + 'b;');
  assert.equal(lines[depth + 1], ' '.repeat(4 * MAX_INDENT_LEVEL) + '}');
  assert.equal(lines[2 * depth], '}');
  assert.ok(out.length <= text.length + 4 * MAX_INDENT_LEVEL * (2 * depth + 1), `${out.length} characters`);
});

test('every corpus file: whitespace-only change, idempotent, range formatting within its lines', (t) => {
  if (!existsSync(CORPUS_DIR)) {
    t.skip(`corpus not found: ${CORPUS_DIR}`);
    return;
  }
  let formattedFiles = 0;
  let changedFiles = 0;
  const withSyntaxErrors: string[] = [];
  for (const folder of readdirSync(CORPUS_DIR).sort()) {
    const folderPath = join(CORPUS_DIR, folder);
    if (NOT_CONFIGS.has(folder) || !statSync(folderPath).isDirectory()) continue;
    for (const name of readdirSync(folderPath).sort()) {
      if (NOT_CONFIGS.has(name)) continue;
      const path = join(folderPath, name);
      const text = readFileSync(path, 'utf8');
      const file = parseConfigFile(path, text);
      if (file.tree.errors.length > 0) {
        assert.deepEqual(format(file, SPACES), [], path);
        withSyntaxErrors.push(`${folder}/${name}`);
        continue;
      }
      for (const options of [SPACES, { tabSize: 8, insertSpaces: false }]) {
        try {
          check(text, options);
        } catch (error) {
          throw new Error(`${path}: ${(error as Error).message}`);
        }
      }
      // The middle third of the lines: no edit outside them, the result still whitespace-only.
      const lineCount = file.lines.lineCount;
      const range = {
        start: file.lines.offsetAt({ line: Math.floor(lineCount / 3), character: 0 }),
        end: file.lines.offsetAt({ line: Math.floor((2 * lineCount) / 3), character: 0 }),
      };
      const rangeEdits = format(file, SPACES, range);
      for (const edit of rangeEdits) assert.ok(edit.span.start >= range.start && edit.span.end <= range.end && edit.span.start < range.end, path);
      assert.deepEqual(invariant(applyEdits(text, rangeEdits)), invariant(text), path);
      formattedFiles++;
      if (format(file, SPACES).length > 0) changedFiles++;
    }
  }
  t.diagnostic(`formatted ${formattedFiles} corpus files (${changedFiles} changed by formatting)`);
  t.diagnostic(`left alone for syntax errors: ${withSyntaxErrors.length} (${withSyntaxErrors.join(', ')})`);
  assert.ok(formattedFiles >= 150, `only ${formattedFiles} corpus files formatted`);
});
