/**
 * Robustness (issue 7): whatever the text, the core and the server answer, in bounded time.
 *
 * (a) Core: byte-level mutations of real configurations, random token soup, binary data and
 *     pathological inputs (a 1 MB line, 5,000 nested blocks, a 10 MB file, 100k `}`, long lines of
 *     `$`, quotes and backslashes) go through parse, analyze, hover and completion: nothing throws,
 *     and each document takes less than MAX_MS_PER_MB per MB (with a floor for small documents).
 *     A 5 MB+ file gets syntax checking only, with an Information; findings are capped.
 * (b) Server: one spawned dist/server.js receives fuzzed documents, publishes diagnostics for each,
 *     answers requests on them, and still answers a hover afterwards.
 *
 * Everything is generated from fixed seeds, so a failure repeats. Figures (slowest document, time
 * per MB) are printed as test diagnostics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { analyze, LARGE_FILE_CHARS, MAX_FINDINGS } from '../../server/src/analysis/analyze';
import { LanguageService } from '../../server/src/features/service';
import { parse } from '../../server/src/parser';
import { corpusAvailable, CORPUS_DIR } from '../support/corpus';
import { LspClient } from '../support/lspClient';
import { memoryFs } from '../support/memoryFs';
import { seededRandom } from '../support/mutants';

/**
 * Per MB of document, for parse, the service's own parse, the analysis, 3 hovers and 3 completions:
 * about 1 s/MB on a 2-core machine under load. Generous, so that only a super-linear blow-up fails.
 */
const MAX_MS_PER_MB = 4000;
/** Small documents get this much whatever their size (GC pauses, a loaded CI machine). */
const MIN_BOUND_MS = 1500;
const boundMs = (chars: number) => Math.max(MIN_BOUND_MS, (MAX_MS_PER_MB * chars) / 2 ** 20);

interface Doc {
  name: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Sources

const REPO_ROOT = resolve(__dirname, '../..');
const useCorpus = corpusAvailable();
const SOURCE_LABEL = useCorpus ? 'the shared corpus' : 'examples/ (no ../shared/corpus)';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() && !/\.(tsv|jsonl|md)$/.test(entry.name) && statSync(full).size < 1 << 20 ? [full] : [];
  });
}

const sourceDir = useCorpus ? CORPUS_DIR : join(REPO_ROOT, 'examples');
const sources: Doc[] = filesUnder(sourceDir)
  .sort()
  .map((path) => ({ name: relative(sourceDir, path), text: readFileSync(path, 'latin1') }));

// ---------------------------------------------------------------------------------------------
// Generators

/** Bytes that break nginx's lexical rules: braces, quotes, comments, escapes, `${`, NUL, bad UTF-8. */
const SPECIAL = ['{', '}', '"', "'", '#', '\\', '${', '$', ';', '\0', '\xff', '\xc3', '\xe2\x82', '\n', '\r', '(', ')',
  'content_by_lua_block {', '--[[', '[==[', 'include *;', '~', '*'].map((s) => Buffer.from(s, 'latin1'));

/** 1 to 8 byte-level mutations: flip, insert, delete, duplicate a range, insert a special token, truncate. */
function mutate(source: Buffer, random: () => number): Buffer {
  let bytes = Buffer.from(source);
  const int = (n: number) => Math.floor(random() * n);
  const count = 1 + int(8);
  for (let m = 0; m < count; m++) {
    const at = int(bytes.length + 1);
    switch (int(6)) {
      case 0: // flip a bit
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] ^= 1 << int(8);
        break;
      case 1: // insert random bytes
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(8) }, () => int(256))), bytes.subarray(at)]);
        break;
      case 2: // delete a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + int(64))]);
        break;
      case 3: { // duplicate a range elsewhere
        const from = int(bytes.length + 1);
        const range = bytes.subarray(from, from + 1 + int(200));
        bytes = Buffer.concat([bytes.subarray(0, at), range, bytes.subarray(at)]);
        break;
      }
      case 4: // a special token
        bytes = Buffer.concat([bytes.subarray(0, at), SPECIAL[int(SPECIAL.length)], bytes.subarray(at)]);
        break;
      default: // cut off
        if (random() < 0.3) bytes = bytes.subarray(0, at);
    }
  }
  return bytes;
}

/** Byte-level mutants of the sources, decoded as UTF-8 (replacement characters) or Latin-1 (every byte kept). */
function mutants(perSource: number, seed: number): Doc[] {
  const random = seededRandom(seed);
  return sources.flatMap((source) =>
    Array.from({ length: perSource }, (_, i) => {
      const bytes = mutate(Buffer.from(source.text, 'latin1'), random);
      return { name: `${source.name} mutant ${i}`, text: bytes.toString(random() < 0.5 ? 'utf8' : 'latin1') };
    }),
  );
}

const WORDS = [
  'http', 'server', 'location', 'events', 'upstream', 'map', 'if', 'include', 'proxy_pass', 'proxy_set_header',
  'proxy_http_version', 'proxy_read_timeout', 'listen', 'server_name', 'return', 'set', 'types', 'geo', 'stream',
  'limit_except', 'content_by_lua_block', 'ssl_certificate', 'ssl_session_cache', 'root', 'alias', 'try_files',
  'Upgrade', 'Connection', '$http_upgrade', '$connection_upgrade', '"upgrade"', 'upgrade', '1.1', '443', 'ssl', '80',
  '/ws/', '/socket.io/', '~', '~*', '=', '^/(a+)+$', '*.conf', 'http://127.0.0.1:8080', 'http://$host', '${a}',
  '"', "'", '{', '}', ';', '#', '\\', '${', '$', '(', ')', '\n', '\t', ' ', '\r\n', '\0', 'é', '😀', '\ud800',
  'shared:MozSSL:10m', 'default', "''", 'close', 'proxy_set_header Connection $connection_upgrade;',
];

/** Random sequences of nginx words and punctuation: almost-configurations. */
function tokenSoup(count: number, seed: number): Doc[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const length = 50 + Math.floor(random() * 3000);
    const parts = Array.from({ length }, () => {
      const word = WORDS[Math.floor(random() * WORDS.length)];
      return random() < 0.6 ? word + ' ' : word;
    });
    return { name: `token soup ${i}`, text: parts.join('') };
  });
}

/** Random bytes (with NULs and high bytes), as Latin-1 or UTF-8 text. */
function binary(count: number, seed: number): Doc[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const bytes = Buffer.from(Array.from({ length: 1000 + Math.floor(random() * 200_000) }, () => Math.floor(random() * 256)));
    return { name: `binary ${i}`, text: bytes.toString(i % 2 === 0 ? 'latin1' : 'utf8') };
  });
}

const MB = 1 << 20;
const repeatTo = (unit: string, chars: number) => unit.repeat(Math.ceil(chars / unit.length));
const wsLocation = (body: string) =>
  `events {}\nhttp {\n  server {\n    listen 80;\n    location /ws/ {\n      proxy_pass http://127.0.0.1:8080;\n${body}\n    }\n  }\n}\n`;

/** Inputs that break naive tokenizers, recursive parsers and backtracking regular expressions. */
function pathological(): Doc[] {
  const big = sources.map((source) => source.text).join('\n');
  return [
    { name: '1 MB single line of words', text: repeatTo('a ', MB) },
    { name: '1 MB single word', text: 'a'.repeat(MB) },
    { name: '1 MB line of directives', text: repeatTo('proxy_set_header Upgrade $http_upgrade; ', MB) },
    { name: '5,000 nested locations', text: `http { server {\n${'location / {\n'.repeat(5000)}${'}\n'.repeat(5000)}} }\n` },
    { name: '5,000 nested unclosed blocks', text: 'a {'.repeat(5000) },
    { name: '10 MB file', text: repeatTo(big + '\n', 10 * MB) },
    { name: '100k }', text: '}'.repeat(100_000) },
    { name: '100k {', text: '{'.repeat(100_000) },
    { name: '1 MB of $', text: '$'.repeat(MB) },
    { name: '1 MB of ${', text: repeatTo('${', MB) },
    { name: '1 MB of "', text: '"'.repeat(MB) },
    { name: "1 MB of '", text: "'".repeat(MB) },
    { name: '1 MB of \\', text: '\\'.repeat(MB) },
    { name: '1 MB of \\"', text: repeatTo('\\"', MB) },
    { name: '1 MB of # on one line', text: '#'.repeat(MB) },
    { name: 'a long quoted argument of variables', text: `set $a "${repeatTo('$b${c}', MB)}";` },
    { name: 'a long quoted Connection value', text: wsLocation(`      proxy_set_header Connection "${repeatTo('upgrade, ', 3000)}";`) },
    { name: 'many quoted words on one line', text: wsLocation(`      proxy_set_header Connection ${repeatTo('"a" ', MB / 2)};`) },
    { name: 'a long regex location', text: `http { server { location ~ ${repeatTo('(a+)+', 4000)}$ { proxy_pass http://x; } } }` },
    { name: 'Lua long brackets', text: `content_by_lua_block {${repeatTo('[==[', MB / 2)}` },
    { name: 'Lua comments and strings', text: `content_by_lua_block {${repeatTo('--"\'[[', MB / 2)}` },
    { name: '1 MB of one-line WebSocket locations', text:
      `http { server { listen 80; ${repeatTo('location /ws/ { proxy_pass http://u; proxy_set_header Upgrade $http_upgrade; } ', MB)} } }` },
    { name: 'CRLF, BOM and lone surrogates', text: `\ufeffhttp {\r\n  server {\r\n ${repeatTo('listen \ud800 \udfff;\r\n', 100_000)} }\r\n}\r\n` },
  ];
}

// ---------------------------------------------------------------------------------------------
// (a) Core

interface Timing {
  name: string;
  chars: number;
  ms: number;
}

/** parse, analyze (as a main config and as an included fragment), hover and completion at random offsets. */
function exercise(doc: Doc, random: () => number): Timing {
  const start = performance.now();
  parse(doc.text);
  const path = random() < 0.5 ? '/etc/nginx/nginx.conf' : '/etc/nginx/conf.d/fuzz.conf';
  const service = new LanguageService(memoryFs({ [path]: doc.text }));
  service.setRoots(path.endsWith('/nginx.conf') ? [path] : []);
  const file = service.file(path)!;
  const findings = analyze(file, service.workspace);
  assert.ok(findings.length <= MAX_FINDINGS + 2, `${doc.name}: ${findings.length} findings`);
  for (let i = 0; i < 3; i++) {
    const offset = Math.floor(random() * (doc.text.length + 1));
    service.hover(path, offset);
    service.complete(path, offset);
  }
  return { name: doc.name, chars: doc.text.length, ms: performance.now() - start };
}

function check(docs: Doc[], seed: number, t: { diagnostic(message: string): void }): void {
  const random = seededRandom(seed);
  const timings = docs.map((doc) => {
    let timing: Timing;
    try {
      timing = exercise(doc, random);
    } catch (error) {
      assert.fail(`${doc.name} (${doc.text.length} chars) threw: ${error instanceof Error ? error.stack : error}`);
    }
    assert.ok(timing.ms < boundMs(timing.chars), `${doc.name}: ${timing.ms.toFixed(0)} ms for ${timing.chars} chars (bound ${boundMs(timing.chars).toFixed(0)} ms)`);
    return timing;
  });
  const slowest = timings.reduce((a, b) => (b.ms > a.ms ? b : a));
  const large = timings.filter((timing) => timing.chars >= 100_000);
  const perMb = large.map((timing) => timing.ms / (timing.chars / MB));
  t.diagnostic(
    `${docs.length} documents, ${(timings.reduce((sum, timing) => sum + timing.ms, 0) / 1000).toFixed(1)} s in all; ` +
      `slowest: ${slowest.name} (${slowest.ms.toFixed(0)} ms, ${(slowest.chars / 1024).toFixed(0)} KB)` +
      (perMb.length > 0 ? `; worst ${Math.max(...perMb).toFixed(0)} ms/MB over documents of 100 KB or more (bound ${MAX_MS_PER_MB})` : ''),
  );
}

test(`byte-level mutants of ${SOURCE_LABEL}: parse, analyze, hover and completion never throw, in bounded time`, (t) => {
  assert.ok(sources.length > 0, `no source files under ${sourceDir}`);
  check(mutants(useCorpus ? 2 : 40, 7), 1, t);
});

test('random token soup and binary data: never throw, bounded time', (t) => {
  check([...tokenSoup(60, 11), ...binary(10, 13)], 2, t);
});

test('pathological inputs: long lines, deep nesting, 10 MB, 100k braces, runs of $ and quotes', (t) => {
  check(pathological(), 3, t);
});

test('a file above the large-file limit gets syntax checking only, and an Information that says so', () => {
  const text = repeatTo('server { listen 80; sendfiel on; }\n', LARGE_FILE_CHARS + 1000);
  const service = new LanguageService(memoryFs({ '/etc/nginx/conf.d/big.conf': text }));
  const findings = service.diagnose('/etc/nginx/conf.d/big.conf');
  assert.ok(findings.some((finding) => finding.code === 'large-file' && finding.severity === 'information'), JSON.stringify(findings.slice(0, 3)));
  assert.ok(!findings.some((finding) => finding.code === 'unknown-directive'), 'directive rules ran on a large file');
});

test('findings are capped, with an Information counting the rest', () => {
  const service = new LanguageService(memoryFs({ '/etc/nginx/conf.d/x.conf': '}'.repeat(100_000) }));
  const findings = service.diagnose('/etc/nginx/conf.d/x.conf');
  assert.ok(findings.length <= MAX_FINDINGS + 1);
  assert.ok(findings.some((finding) => finding.code === 'too-many-problems'));
});

// ---------------------------------------------------------------------------------------------
// (b) Server

/** Rejects after `ms`, so that a silent server fails the test instead of hanging it. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

test('the server publishes diagnostics for ~50 fuzzed documents and keeps answering', async (t) => {
  const random = seededRandom(17);
  const patho = pathological().filter((doc) => doc.text.length <= 2 * MB);
  const docs: Doc[] = [
    ...mutants(1, 19).filter((_, i) => i % Math.max(1, Math.floor(sources.length / 25)) === 0).slice(0, 25),
    ...tokenSoup(8, 23),
    ...binary(4, 29),
    ...patho.filter((_, i) => i % 2 === 0).slice(0, 10),
    { name: '6 MB file', text: repeatTo('server { listen 80; location /ws/ { proxy_pass http://x; } }\n', 6 * MB) },
  ];
  const client = new LspClient();
  const failures: string[] = [];
  client.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
    if (params.type === 1) failures.push(params.message.split('\n')[0]);
  });
  try {
    await client.initialize();
    const BATCH = 10;
    let largeFileInfo = false;
    for (let from = 0; from < docs.length; from += BATCH) {
      const batch = docs.slice(from, from + BATCH).map((doc, i) => ({ ...doc, uri: `untitled:fuzz-${from + i}.conf` }));
      for (const doc of batch) await client.open(doc.uri, doc.text);
      for (const doc of batch) {
        const diagnostics = await within(boundMs(doc.text.length) + 5000, client.diagnosticsFor(doc.uri, 1), `diagnostics of ${doc.name}`);
        if (doc.text.length > LARGE_FILE_CHARS) largeFileInfo ||= diagnostics.some((d) => d.code === 'large-file' && d.severity === 3);
        const line = Math.floor(random() * (doc.text.split('\n', 2000).length));
        const position = { line, character: Math.floor(random() * 40) };
        await within(5000, client.request('textDocument/hover', { textDocument: { uri: doc.uri }, position }), `hover in ${doc.name}`);
        await within(5000, client.request('textDocument/completion', { textDocument: { uri: doc.uri }, position }), `completion in ${doc.name}`);
        await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: doc.uri } });
      }
    }
    assert.ok(largeFileInfo, 'no large-file Information on the 6 MB document');

    // Still alive, still answering.
    const uri = 'untitled:after-fuzz.conf';
    await client.open(uri, 'http {\n  server {\n    location / {\n      proxy_pass http://127.0.0.1:8080;\n    }\n  }\n}\n');
    await within(5000, client.diagnosticsFor(uri, 1), 'diagnostics after the fuzzing');
    const hover = await within(5000, client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri }, position: { line: 3, character: 8 },
    }), 'hover after the fuzzing');
    assert.match(hover?.contents.value ?? '', /proxy_pass/);
    assert.doesNotThrow(() => process.kill(client.pid!, 0), 'the server process is gone');
    t.diagnostic(`${docs.length} documents; handler failures logged by the server: ${failures.length}` +
      (failures.length > 0 ? ` (first: ${failures[0]})` : ''));
  } finally {
    await client.stop().catch(() => undefined);
  }
});
