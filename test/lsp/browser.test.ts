// The browser build of the server (dist/browser/server.js) in a web worker of headless Chromium,
// spoken to over LSP by a page that plays VS Code's part: documents by didOpen/didChange, the
// workspace (the example configs, under a github.dev URI) answered from memory to the server's
// nginx/readFile, nginx/readDirectory and nginx/findMainConfigs requests. Its answers must be those
// of the Node language service on the same files. Screenshots go to test-results/browser/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { CodeAction, CompletionItem, Diagnostic, Hover, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageService } from '../../server/src/features/service';
import { findMainConfigs, nodeFileSystem } from '../../server/src/nodeFileSystem';
import { Chromium, CHROMIUM } from '../support/chromium';

const repo = path.resolve(__dirname, '../..');
const examples = path.join(repo, 'examples');
const screenshots = path.join(repo, 'test-results/browser');
const ROOT = 'vscode-vfs://github/example/configs';
const skip = fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)`;
/** A guard against a hang only: the scenarios wait for the server's messages, never for a time. */
const HANG_GUARD_MS = 120_000;

/** The example files by path relative to examples/. */
function exampleFiles(dir = examples): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? Object.entries(exampleFiles(full)) : [[path.relative(examples, full), fs.readFileSync(full, 'utf8')]];
  }));
}

// The page's LSP client: requests and notifications to the worker, the server's requests answered.
const PAGE = `<!doctype html><meta charset="utf-8"><title>nginx language server in a web worker</title>
<style>body{font:13px monospace;margin:12px}h3{margin:10px 0 2px}pre{background:#f3f3f3;padding:6px;white-space:pre-wrap;margin:0}</style>
<h2>dist/browser/server.js in a web worker</h2><div id="log"></div>
<script>
const ROOT = ${JSON.stringify(ROOT)};
const worker = new Worker('/server.js');
const pending = new Map(), published = new Map(), waiters = [], sent = [];
let nextId = 1, files = {};
const relative = (uri) => uri === ROOT ? '' : uri.startsWith(ROOT + '/') ? decodeURIComponent(uri.slice(ROOT.length + 1)) : undefined;
function answer(method, params) {
  if (method === 'nginx/readFile') { const file = relative(params.uri); return file in files ? { text: files[file] } : null; }
  if (method === 'nginx/readDirectory') {
    const dir = relative(params.uri);
    if (dir === undefined) return null;
    const prefix = dir === '' ? '' : dir + '/';
    const names = Object.keys(files).filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length).split('/')[0]);
    return names.length > 0 ? [...new Set(names)] : null;
  }
  if (method === 'nginx/findMainConfigs') return Object.keys(files).filter((file) => file.split('/').pop() === 'nginx.conf').map((file) => ROOT + '/' + file);
  if (method === 'workspace/configuration') return params.items.map(() => null);
  return null;
}
worker.onmessage = ({ data }) => {
  sent.push(data);
  if (data.method === undefined) { pending.get(data.id)?.(data); pending.delete(data.id); }
  else if (data.method === 'textDocument/publishDiagnostics') { published.set(data.params.uri, data.params); waiters.splice(0).forEach((wake) => wake()); }
  else if (data.method === 'window/logMessage') console.log(data.params.message);
  else if (data.id !== undefined) worker.postMessage({ jsonrpc: '2.0', id: data.id, result: answer(data.method, data.params) });
};
window.lsp = {
  sent,
  setFiles: (all) => { files = all; },
  request: (method, params) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, (reply) => (reply.error ? reject(new Error(reply.error.message)) : resolve(reply.result)));
    worker.postMessage({ jsonrpc: '2.0', id, method, params });
  }),
  notify: (method, params) => worker.postMessage({ jsonrpc: '2.0', method, params }),
  /** The diagnostics of uri at version, once their codes and lines are the expected ones. */
  until: async (uri, version, expected) => {
    for (;;) {
      const last = published.get(uri);
      const shown = last && JSON.stringify(last.diagnostics.map((d) => [d.code, d.range.start.line]));
      if (last && last.version === version && shown === JSON.stringify(expected)) return last.diagnostics;
      await new Promise((wake) => waiters.push(wake));
    }
  },
  show: (title, value) => {
    const log = document.getElementById('log');
    log.insertAdjacentHTML('beforeend', '<h3></h3><pre></pre>');
    log.lastElementChild.previousElementSibling.textContent = title;
    log.lastElementChild.textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  },
};
</script>`;

const files = exampleFiles();
const uriOf = (relative: string) => `${ROOT}/${relative}`;
/** The Node language service over the same examples, read from disk: what the browser build must answer. */
const node = new LanguageService(nodeFileSystem);
node.setRoots(findMainConfigs(examples));
const diskPath = (relative: string) => path.join(examples, relative);
/** A finding's code and LSP line, as the page compares them. */
const expectedDiagnostics = (relative: string, service = node) =>
  service.diagnose(diskPath(relative)).filter((finding) => finding.file === diskPath(relative))
    .map((finding) => [finding.code, service.file(diskPath(relative))!.lines.positionAt(finding.span.start).line]);

let chromium: Chromium;
let server: http.Server;
let page: string;
const evaluate = <T>(expression: string) => chromium.evaluate<T>(page, expression);

before(async () => {
  if (skip) return;
  server = http.createServer((request, response) => {
    if (request.url === '/server.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(path.join(repo, 'dist/browser/server.js')));
    else response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  chromium = new Chromium();
  page = await chromium.open(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await evaluate(`lsp.setFiles(${JSON.stringify(files)})`);
  await evaluate(`lsp.request('initialize', { processId: null, rootUri: ROOT, workspaceFolders: [{ uri: ROOT, name: 'configs' }], capabilities: {} })
    .then(() => lsp.notify('initialized', {}))`);
});

after(async () => {
  try {
    await chromium?.close();
  } finally {
    server?.close();
  }
});

async function openAndWait(relative: string): Promise<Diagnostic[]> {
  await evaluate(`lsp.notify('textDocument/didOpen', { textDocument: { uri: '${uriOf(relative)}', languageId: 'nginx', version: 1, text: ${JSON.stringify(files[relative])} } })`);
  return evaluate<Diagnostic[]>(`lsp.until('${uriOf(relative)}', 1, ${JSON.stringify(expectedDiagnostics(relative))})`);
}

test('diagnostics with include-aware context: a site read with the main config and snippet the server asked the page for', { skip, timeout: HANG_GUARD_MS }, async () => {
  // On its own, the site's snippet include is not found: the context is what makes it clean.
  const alone = new LanguageService(nodeFileSystem).diagnose(diskPath('sites-enabled/chat.conf')).map((finding) => finding.code);
  assert.ok(alone.includes('include-not-found'), alone.join());
  // openAndWait() waits for the diagnostics of the Node build: the same findings, with the context the page gave.
  const chat = await openAndWait('sites-enabled/chat.conf');
  assert.deepEqual(chat.filter((d) => d.code === 'include-not-found' || d.severity === 1 || d.severity === 2), []);
  const legacy = await openAndWait('sites-enabled/legacy-app.conf');
  assert.ok(legacy.some((d) => d.code === 'ws-headers-not-inherited'), legacy.map((d) => d.code).join());
  await evaluate(`lsp.show('diagnostics of sites-enabled/legacy-app.conf', ${JSON.stringify(legacy.map((d) => `${d.range.start.line + 1}: ${d.code}: ${d.message}`).join('\n'))})`);
  await chromium.screenshot(page, path.join(screenshots, '1-diagnostics.png'));
});

test('hover and completion answer as the Node build does', { skip, timeout: HANG_GUARD_MS }, async () => {
  const relative = 'sites-enabled/legacy-app.conf';
  const text = files[relative];
  const document = TextDocument.create(uriOf(relative), 'nginx', 1, text);
  const hoverAt = text.indexOf('proxy_set_header Host') + 3;
  const hover = await evaluate<Hover>(`lsp.request('textDocument/hover', { textDocument: { uri: '${uriOf(relative)}' }, position: ${JSON.stringify(document.positionAt(hoverAt))} })`);
  assert.equal((hover.contents as { value: string }).value, node.hover(diskPath(relative), hoverAt)!.markdown);
  const completeAt = text.indexOf('proxy_pass http') + 6;
  const items = await evaluate<CompletionItem[]>(`lsp.request('textDocument/completion', { textDocument: { uri: '${uriOf(relative)}' }, position: ${JSON.stringify(document.positionAt(completeAt))} })`);
  assert.deepEqual(items.map((item) => item.label), node.complete(diskPath(relative), completeAt).map((entry) => entry.label));
  assert.ok(items.some((item) => item.label === 'proxy_read_timeout'));
  await evaluate(`lsp.show('hover on proxy_set_header', ${JSON.stringify((hover.contents as { value: string }).value)}); lsp.show('completion after "proxy_"', ${JSON.stringify(items.slice(0, 12).map((item) => item.label).join('  '))})`);
  await chromium.screenshot(page, path.join(screenshots, '2-hover-completion.png'));
});

test('a quick fix edits the document by its URI, and the problem goes away', { skip, timeout: HANG_GUARD_MS }, async () => {
  const relative = 'sites-enabled/legacy-app.conf';
  const diagnostics = await evaluate<Diagnostic[]>(`lsp.until('${uriOf(relative)}', 1, ${JSON.stringify(expectedDiagnostics(relative))})`);
  const lost = diagnostics.find((d) => d.code === 'ws-headers-not-inherited')!;
  const actions = await evaluate<CodeAction[]>(`lsp.request('textDocument/codeAction', { textDocument: { uri: '${uriOf(relative)}' }, range: ${JSON.stringify(lost.range)}, context: { diagnostics: [${JSON.stringify(lost)}] } })`);
  const offsets = node.file(diskPath(relative))!.lines;
  const span = { start: offsets.offsetAt(lost.range.start), end: offsets.offsetAt(lost.range.end) };
  const nodeTitles = node.quickFixes(diskPath(relative), span, [{ code: lost.code, span }]).map(({ fix }) => fix.title);
  // The fix-all actions of the file come after the fixes of the diagnostic.
  assert.deepEqual(actions.filter((action) => !action.title.startsWith('Fix all')).map((action) => action.title), nodeTitles);
  assert.equal(actions[0].title, 'Re-declare Upgrade and Connection in this location');
  const edits = (actions[0].edit as WorkspaceEdit).changes!;
  assert.deepEqual(Object.keys(edits), [uriOf(relative)]);
  const fixed = TextDocument.applyEdits(TextDocument.create(uriOf(relative), 'nginx', 1, files[relative]), edits[uriOf(relative)]);
  // What the Node build says of the fixed file, with the rest of the examples from disk.
  const withFix = new LanguageService({ ...nodeFileSystem, readFile: (file) => (file === diskPath(relative) ? fixed : nodeFileSystem.readFile(file)) });
  withFix.setRoots(findMainConfigs(examples));
  const expected = expectedDiagnostics(relative, withFix);
  assert.ok(!expected.some(([code]) => code === 'ws-headers-not-inherited'));
  await evaluate(`lsp.notify('textDocument/didChange', { textDocument: { uri: '${uriOf(relative)}', version: 2 }, contentChanges: [{ text: ${JSON.stringify(fixed)} }] })`);
  const remaining = await evaluate<Diagnostic[]>(`lsp.until('${uriOf(relative)}', 2, ${JSON.stringify(expected)})`);
  await evaluate(`lsp.show('quick fix applied: ${actions[0].title.replace(/'/g, '')}', ${JSON.stringify(fixed)}); lsp.show('diagnostics after the fix', ${JSON.stringify(remaining.map((d) => d.code).join('\n'))})`);
  await chromium.screenshot(page, path.join(screenshots, '3-quick-fix.png'));
});

test('every URI the browser server sent is one of the workspace', { skip, timeout: HANG_GUARD_MS }, async () => {
  const uris = await evaluate<string[]>(`(() => {
    const found = [];
    const visit = (value) => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (!value || typeof value !== 'object') return;
      for (const [key, inner] of Object.entries(value)) {
        if (['uri', 'targetUri', 'target', 'folderUri'].includes(key) && typeof inner === 'string') found.push(inner);
        if (key === 'changes' && inner && typeof inner === 'object') found.push(...Object.keys(inner));
        visit(inner);
      }
    };
    visit(lsp.sent);
    return found;
  })()`);
  assert.ok(uris.length > 5, `${uris.length} URIs`);
  assert.deepEqual(uris.filter((uri) => uri !== ROOT && !uri.startsWith(`${ROOT}/`)), []);
});
