/**
 * Incremental re-parsing (issue 7): after any edit, reparse() gives exactly the tree and errors that
 * parse() gives for the new text, while the nodes outside the edited block keep their identity.
 * Edits are random (typing, deleting, pasting words, braces, quotes, `#`, Lua bodies) and chained:
 * each result is the input of the next edit, as in an editor. Sources: the shared corpus when present,
 * else examples/ (the test names which).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, reparse, type Directive } from '../../server/src/parser';
import { corpusAvailable, CORPUS_DIR } from '../support/corpus';
import { seededRandom } from '../support/mutants';

const REPO_ROOT = resolve(__dirname, '../..');
const useCorpus = corpusAvailable();
const sourceDir = useCorpus ? CORPUS_DIR : join(REPO_ROOT, 'examples');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() && !/\.(tsv|jsonl|md)$/.test(entry.name) && statSync(full).size < 1 << 20 ? [full] : [];
  });
}

const sources = filesUnder(sourceDir).sort().map((path) => readFileSync(path, 'latin1'));

/** What editors insert: whole lines, words, and the characters that change nginx's reading. */
const INSERTS = [
  'x', ' ', '\n', ';', '{', '}', '"', "'", '\\', '#', '$', '${a}', 'listen 80;', 'proxy_pass http://b;\n',
  'location /a { return 200; }', 'content_by_lua_block { local s = "}" }', '# a comment {\n', '}\n}', '{{',
];

function randomEdit(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const kind = random();
  if (kind < 0.45) return text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(at);
  const end = Math.min(text.length, at + 1 + Math.floor(random() * (kind < 0.8 ? 3 : 80)));
  if (kind < 0.9) return text.slice(0, at) + text.slice(end);
  return text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(end);
}

test(`reparse() equals parse() after chains of random edits (${useCorpus ? 'the shared corpus' : 'examples/, no ../shared/corpus'})`, () => {
  assert.ok(sources.length > 0, `no sources under ${sourceDir}`);
  const random = seededRandom(17);
  let edits = 0;
  for (const source of sources) {
    let text = source;
    let tree = parse(text);
    for (let i = 0; i < 12; i++) {
      const next = randomEdit(text, random);
      tree = reparse(tree, text, next);
      text = next;
      assert.deepStrictEqual(tree, parse(text), `edit ${i} of a ${source.length}-char file`);
      edits++;
    }
  }
  assert.ok(edits >= 12 * sources.length);
});

const SITE = (name: string) => `    server {\n        server_name ${name};\n        location / {\n            proxy_pass http://app;\n        }\n    }\n`;
const CONFIG = `http {\n${SITE('a.test')}${SITE('b.test')}${SITE('c.test')}}\n`;

function serverNamed(root: ReturnType<typeof parse>['root'], name: string): Directive {
  const http = root.children[0] as Directive;
  return http.block!.children.find(
    (node): node is Directive => node.kind === 'directive' && (node.block!.children[0] as Directive).args[0].value === name,
  )!;
}

test('an edit inside one location keeps every other directive, moved by the edit', () => {
  const old = parse(CONFIG);
  const first = serverNamed(old.root, 'a.test');
  const last = serverNamed(old.root, 'c.test');
  const lastStart = last.start;
  const at = CONFIG.indexOf('proxy_pass', CONFIG.indexOf('b.test'));
  const text = CONFIG.slice(0, at) + 'proxy_http_version 1.1;\n            ' + CONFIG.slice(at);
  const tree = reparse(old, CONFIG, text);
  assert.deepStrictEqual(tree, parse(text));
  assert.equal(serverNamed(tree.root, 'a.test'), first, 'the server before the edit is the same node');
  assert.equal(serverNamed(tree.root, 'c.test'), last, 'the server after the edit is the same node');
  assert.equal(last.start, lastStart + 'proxy_http_version 1.1;\n            '.length);
});

test('an edit that unbalances braces re-reads the enclosing blocks, up to the whole file', () => {
  const at = CONFIG.indexOf('proxy_pass');
  for (const inserted of ['{', '}', 'location /x {', '"']) {
    const text = CONFIG.slice(0, at) + inserted + CONFIG.slice(at);
    assert.deepStrictEqual(reparse(parse(CONFIG), CONFIG, text), parse(text), `inserting ${inserted}`);
  }
});
