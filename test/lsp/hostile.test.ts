/**
 * Inputs a workspace can hold that used to kill or stall the server (issue 17): each case starts its
 * own dist/server.js on a generated workspace, opens, edits and queries a document, and checks that
 * every request is answered, that the server is still alive, and that its peak memory (VmHWM in
 * /proc/PID/status) stayed under MAX_RSS_BYTES. Times are printed; the guards are generous hang
 * guards, not speed targets (`npm run bench` measures speed).
 */
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DocumentSymbol, FoldingRange } from 'vscode-languageserver';
import { LspClient } from '../support/lspClient';

/** The memory the server may reach on any of these inputs. */
const MAX_RSS_BYTES = 1024 * 1024 * 1024;
/** Each request or diagnostics wait fails after this long instead of hanging the suite. */
const HANG_MS = 60_000;
const MB = 1024 * 1024;

const workspaces: string[] = [];
after(() => workspaces.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function workspace(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-hostile-'));
  workspaces.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

function within<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms: ${what}`)), HANG_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Peak resident memory of a process, from /proc (Linux). */
function peakRss(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))!;
  return Number(line.split(/\s+/)[1]) * 1024;
}

/** `text` repeated up to `chars` characters. */
const repeatTo = (text: string, chars: number) => text.repeat(Math.ceil(chars / text.length));

interface Session {
  client: LspClient;
  uri: string;
  /** Waits for the diagnostics of the document at `version`. */
  diagnostics(version?: number): Promise<Diagnostic[]>;
  /** Replaces the first character of the document (an incremental edit) and waits for its diagnostics. */
  edit(version: number, newText: string): Promise<Diagnostic[]>;
  /** Hover, outline and folding on the document, each answered. */
  query(position?: { line: number; character: number }): Promise<{ symbols: DocumentSymbol[]; folds: FoldingRange[] }>;
}

/**
 * Starts a server on `root` (settings sent when given), opens `file` (its text, or the one on disk),
 * runs `body`, then checks that the server is alive and under MAX_RSS_BYTES.
 */
async function withServer(
  t: TestContext,
  options: { root?: string; file: string; text?: string; settings?: unknown },
  body: (session: Session) => Promise<void>,
): Promise<void> {
  const client = new LspClient();
  const started = performance.now();
  try {
    await client.initialize(options.root);
    if (options.settings) await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { nginx: options.settings } });
    const uri = options.file.startsWith('untitled:') ? options.file : pathToFileURL(options.file).href;
    await client.open(uri, options.text ?? fs.readFileSync(options.file, 'utf8'));
    const session: Session = {
      client,
      uri,
      diagnostics: (version = 1) => within(`diagnostics of version ${version}`, client.diagnosticsFor(uri, version)),
      async edit(version, newText) {
        await client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: newText }],
        });
        return session.diagnostics(version);
      },
      async query(position = { line: 0, character: 0 }) {
        const textDocument = { uri };
        await within('hover', client.request('textDocument/hover', { textDocument, position }));
        const symbols = await within('outline', client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument }));
        const folds = await within('folding', client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument }));
        return { symbols, folds };
      },
    };
    await body(session);
    const pid = client.pid!;
    assert.doesNotThrow(() => process.kill(pid, 0), 'the server process is gone');
    const peak = peakRss(pid);
    t.diagnostic(`${(performance.now() - started).toFixed(0)} ms in all, server peak RSS ${(peak / MB).toFixed(0)} MB`);
    assert.ok(peak < MAX_RSS_BYTES, `server peak RSS ${(peak / MB).toFixed(0)} MB`);
  } finally {
    await client.stop().catch(() => undefined);
  }
}

const codes = (diagnostics: Diagnostic[]) => new Set(diagnostics.map((d) => d.code));

test('a 50 MB configuration: syntax checked, edited, queried', async (t) => {
  // A syntax error near the end proves the whole file is read.
  const text = `${repeatTo('server { listen 80; location /ws/ { proxy_pass http://x; } }\n', 50 * MB)}server {\n`;
  await withServer(t, { file: 'untitled:big.conf', text }, async (session) => {
    const opened = await session.diagnostics();
    assert.ok(codes(opened).has('large-file'), JSON.stringify(opened.slice(0, 3)));
    assert.ok(opened.some((d) => d.code === 'syntax' && /expecting "}"/.test(d.message)), 'the unclosed block at the end is reported');
    const edited = await session.edit(2, '}');
    assert.ok(edited.some((d) => d.code === 'syntax' && d.range.start.line === 0), 'the `}` put at the start is reported');
    await session.query({ line: 100, character: 12 });
    const options = { tabSize: 2, insertSpaces: true };
    assert.deepEqual(await within('formatting', session.client.request('textDocument/formatting', { textDocument: { uri: session.uri }, options })), []);
  });
});

test('the outline of a 4.9 MB file of 40,000 servers (just under the large-file size)', async (t) => {
  // Three times the blocks per byte of `npm run bench`'s configuration.
  const server = 'server {\n  listen 80;\n  server_name a.example.com;\n  location / {\n    proxy_pass http://x;\n    proxy_set_header Host $host;\n  }\n}\n';
  const count = Math.floor((4.9 * MB) / server.length);
  await withServer(t, { file: 'untitled:servers.conf', text: server.repeat(count) }, async (session) => {
    await session.diagnostics();
    const { symbols, folds } = await session.query({ line: 1000, character: 12 });
    assert.equal(symbols.length, count);
    assert.equal(folds.length, 2 * count);
    assert.deepEqual(symbols[count - 1].children!.map((c) => c.name), ['/']);
  });
});

test('include of /proc/self/pagemap, and nginx.mainConfig pointing at it: not read, and said so', async (t) => {
  const root = workspace({ 'nginx.conf': 'events {}\nhttp {\n  include /proc/self/pagemap;\n  include /dev/zero;\n}\n' });
  const file = path.join(root, 'nginx.conf');
  await withServer(t, { root, file, settings: { mainConfig: '/proc/self/pagemap' } }, async (session) => {
    const budget = (await session.diagnostics()).filter((d) => d.code === 'include-budget');
    assert.deepEqual(budget.map((d) => d.message), [
      '"/proc/self/pagemap" is not followed: /proc/self/pagemap is not read: it is under /proc',
      '"/dev/zero" is not followed: /dev/zero is not read: it is under /dev',
    ]);
    assert.ok(budget.every((d) => d.severity === 3));
    await session.query({ line: 2, character: 4 });
  });
});

test('include big*.conf over eight 15 MB files: the configuration budget stops it', async (t) => {
  const big = repeatTo('server { listen 80; location / { return 200; } }\n', 15 * MB);
  const files: Record<string, string> = { 'nginx.conf': 'events {}\nhttp {\n  include big*.conf;\n}\n' };
  for (let i = 0; i < 8; i++) files[`big${i}.conf`] = big;
  const root = workspace(files);
  await withServer(t, { root, file: path.join(root, 'nginx.conf') }, async (session) => {
    const budget = (await session.diagnostics()).filter((d) => d.code === 'include-budget');
    assert.equal(budget.length, 1, JSON.stringify(budget));
    assert.match(budget[0].message, /^"big\*\.conf" is not followed in full: .*big2\.conf would take the configuration over 32 MB$/);
    await session.query({ line: 2, character: 4 });
    await session.edit(2, ' ');
  });
});

test('a thousand includes of broad globs, and a 256×256 glob fan-out: globs on a budget', async (t) => {
  const fanOut: Record<string, string> = {};
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) fanOut[`d${a}/e${b}/.keep`] = '';
  const globs = Array.from({ length: 1000 }, (_, i) => `  include /usr/*/*/*[a]*${i};\n`).join('');
  const root = workspace({ ...fanOut, 'nginx.conf': `events {}\nhttp {\n  include */*/*.conf;\n${globs}}\n` });
  await withServer(t, { root, file: path.join(root, 'nginx.conf') }, async (session) => {
    const budget = (await session.diagnostics()).filter((d) => d.code === 'include-budget');
    assert.match(budget[0]?.message ?? '', /^"\*\/\*\/\*\.conf" is not followed: its glob was stopped after 10000 directory entries$/);
    assert.ok(budget.length > 1, 'the /usr globs hit the workspace budget');
    await session.query({ line: 3, character: 4 });
    await session.edit(2, ' ');
    await session.query({ line: 3, character: 4 });
  });
});

test('a million lines of `a;`: opened, edited, queried', async (t) => {
  await withServer(t, { file: 'untitled:lines.conf', text: 'a;\n'.repeat(1_000_000) }, async (session) => {
    assert.ok(codes(await session.diagnostics()).has('large-file'), 'a million statements: syntax only');
    assert.ok((await session.edit(2, '}')).some((d) => d.code === 'syntax' && d.range.start.line === 0));
    await session.query({ line: 500_000, character: 0 });
  });
});

test('2 MB of binary junk: opened, edited, queried', async (t) => {
  let seed = 1;
  const junk = Array.from({ length: 2 * MB }, () => String.fromCharCode(((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff)).join('');
  await withServer(t, { file: 'untitled:junk.conf', text: junk }, async (session) => {
    await session.diagnostics();
    await session.edit(2, 'x');
    await session.query({ line: 10, character: 3 });
  });
});

test('100,000 nested locations: outline and folding answered', async (t) => {
  const depth = 100_000;
  const text = `${'location / {\n'.repeat(depth)}${'}\n'.repeat(depth)}`;
  await withServer(t, { file: 'untitled:deep.conf', text }, async (session) => {
    await session.diagnostics();
    const { symbols, folds } = await session.query({ line: depth / 2, character: 2 });
    assert.equal(symbols.length, 1);
    // Every block but the innermost, whose `}` stands on the next line, folds.
    assert.equal(folds.length, depth - 1);
  });
});

test('5,000 nginx.conf files in the workspace: main-config discovery bounded, hover answered', async (t) => {
  const files: Record<string, string> = {};
  for (let a = 0; a < 50; a++) for (let b = 0; b < 100; b++) files[`d${a}/e${b}/nginx.conf`] = 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n';
  const root = workspace(files);
  await withServer(t, { root, file: path.join(root, 'd0/e0/nginx.conf') }, async (session) => {
    await session.diagnostics();
    for (let i = 0; i < 20; i++) await session.query({ line: 2, character: 4 });
  });
});
