// LSP-level tests on a small multi-file workspace: nginx.conf including sites-enabled/*.conf,
// which includes snippets/websocket.conf.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InsertTextFormat, type CodeAction, type CompletionItem, type CompletionList, type DocumentLink, type DocumentSymbol, type FoldingRange, type Hover, type Location, type Position, type Range, type SymbolInformation, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lspClient';

const root = path.resolve(__dirname, '../fixtures/workspace');
const uriOf = (relative: string) => pathToFileURL(path.join(root, relative)).href;
const textOf = (relative: string) => fs.readFileSync(path.join(root, relative), 'utf8');
const app = 'sites-enabled/app.conf';

/** The position of the `at`-th character of the first `marker` in a fixture. */
function positionOf(relative: string, marker: string, at = 0): Position {
  const text = textOf(relative);
  return TextDocument.create('', 'nginx', 1, text).positionAt(text.indexOf(marker) + at);
}

let client: LspClient;
before(async () => {
  client = new LspClient();
  await client.initialize(root);
  await client.open(uriOf(app), textOf(app));
});
after(() => client.stop());

test('an included site file gets WebSocket diagnostics with the http-level map in view', async () => {
  const diagnostics = await client.diagnosticsFor(uriOf(app));
  const chat = diagnostics.filter((d) => d.range.start.line === positionOf(app, 'location /chat/').line);
  // Judged for the newest stable release by default, whose proxy_http_version defaults to 1.1.
  // /chat/ is no socket path by its last segment: no read-timeout hint; its Upgrade passes any protocol.
  assert.deepEqual(chat.map((d) => d.code).sort(), ['ws-missing-connection', 'ws-no-tls', 'ws-upgrade-unrestricted']);
  // /ws/ takes everything from snippets/websocket.conf: the TLS advice, the h2c one (its $http_upgrade),
  // and the keepalive of app_backend, which its plain requests lose to the map's "close", remain.
  const ws = diagnostics.filter((d) => d.range.start.line === positionOf(app, 'location /ws/').line);
  assert.deepEqual(ws.map((d) => d.code), ['ws-no-tls', 'ws-upgrade-unrestricted', 'upstream-keepalive-ineffective']);
  assert.ok(diagnostics.every((d) => d.source === 'nginx'));
  assert.ok(chat.every((d) => d.codeDescription?.href === (d.code === 'ws-upgrade-unrestricted'
    ? 'https://github.com/nginx/nginx/issues/1472' : 'https://nginx.org/en/docs/http/websocket.html')));
  assert.equal(chat.find((d) => d.code === 'ws-missing-connection')!.severity, 2);
  assert.equal(chat.find((d) => d.code === 'ws-upgrade-unrestricted')!.severity, 3);
});

test('quick fixes insert the missing line with the block indentation, using the existing map', async () => {
  const diagnostics = await client.diagnosticsFor(uriOf(app));
  const missing = diagnostics.find((d) => d.code === 'ws-missing-connection')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: uriOf(app) },
    range: missing.range,
    context: { diagnostics: [missing] },
  });
  // The fix-all actions of the file come after the fixes of the diagnostic.
  const fixes = actions.filter((a) => !a.title.startsWith('Fix all'));
  const titles = fixes.map((a) => a.title);
  assert.ok(titles.includes('Add "proxy_set_header Connection $connection_upgrade;" (map from $http_upgrade)'), titles.join('\n'));
  // Only the fixes of the diagnostic asked about, not those of the others on its line.
  assert.ok(diagnostics.some((d) => d.code !== missing.code && d.range.start.line === missing.range.start.line), 'other findings share the line');
  assert.deepEqual([...new Set(fixes.map((a) => a.diagnostics![0].code))], ['ws-missing-connection']);
  const action = actions.find((a) => a.title.includes('$connection_upgrade'))!;
  assert.equal(action.kind, 'quickfix');
  assert.equal(action.isPreferred, true, 'the configuration has the map: using it is the preferred fix');
  assert.ok(!actions.find((a) => a.title.includes('"upgrade"'))!.isPreferred);
  assert.equal(action.diagnostics![0].code, 'ws-missing-connection');
  const edits = (action.edit as WorkspaceEdit).changes![uriOf(app)];
  const fixed = TextDocument.applyEdits(TextDocument.create(uriOf(app), 'nginx', 1, textOf(app)), edits);
  assert.match(fixed, /proxy_set_header Upgrade \$http_upgrade;\n {8}proxy_set_header Connection \$connection_upgrade;\n/);
});

test('asked for source.fixAll only, the server answers the one fix-all of the safe fixes', async () => {
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: uriOf(app) },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  });
  assert.deepEqual(actions.map((a) => [a.kind, a.title]), [['source.fixAll.nginx', 'Fix all safe nginx problems in this file']]);
  const codes = new Set(actions[0].diagnostics!.map((d) => d.code));
  assert.ok(codes.has('ws-missing-connection') && !codes.has('ws-no-tls'), [...codes].join());
  const fixed = TextDocument.applyEdits(TextDocument.create(uriOf(app), 'nginx', 1, textOf(app)), (actions[0].edit as WorkspaceEdit).changes![uriOf(app)]);
  assert.match(fixed, /proxy_set_header Connection \$connection_upgrade;/);
  assert.doesNotMatch(fixed, /listen 443/);
});

test('the TLS fix is offered on the listen line too', async () => {
  const listen = positionOf(app, 'listen 80;', 2);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: uriOf(app) },
    range: { start: listen, end: listen },
    context: { diagnostics: [] },
  });
  assert.ok(actions.some((a) => /^Add TLS: listen 443 ssl/.test(a.title)));
  assert.ok(actions.some((a) => /redirect http:\/\/ to https:\/\//.test(a.title)));
});

test('completion by context', async () => {
  const items = await client.request<CompletionItem[]>('textDocument/completion', {
    textDocument: { uri: uriOf(app) },
    position: positionOf(app, '        proxy_set_header Upgrade', 8),
  });
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('proxy_read_timeout'));
  assert.ok(!labels.includes('worker_processes'));
  // Docs come on resolve, so that the list stays small.
  const timeout = items.find((i) => i.label === 'proxy_read_timeout')!;
  assert.equal(timeout.documentation, undefined);
  const resolved = await client.request<CompletionItem>('completionItem/resolve', timeout);
  assert.match((resolved.documentation as { value: string }).value, /proxy_read_timeout time;/);
});

test('completion for a client that takes item defaults and resolves details (as VS Code does): one edit range, format and data for the list, the same edits, details on resolve', async () => {
  const withDefaults = new LspClient();
  try {
    await withDefaults.initialize(root, undefined, process.pid, {
      completion: {
        completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
        completionItem: { resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
      },
    });
    await withDefaults.open(uriOf(app), textOf(app));
    const params = { textDocument: { uri: uriOf(app) }, position: positionOf(app, '        proxy_set_header Upgrade', 11) };
    const list = await withDefaults.request<CompletionList>('textDocument/completion', params);
    const items = await client.request<CompletionItem[]>('textDocument/completion', params);
    const editRange = list.itemDefaults!.editRange as Range;
    // Each item's edit, the default filled in as the protocol says: the range, and textEditText or the label.
    const edits = (item: CompletionItem) => (item.textEdit ? [item.textEdit] : [{ range: editRange, newText: item.textEditText ?? item.label }]);
    assert.deepEqual(list.items.flatMap(edits), items.flatMap(edits));
    assert.ok(list.items.every((item) => item.data === undefined && item.textEdit === undefined), 'no item repeats what the defaults say');
    // Directive names are snippets: that is the list's format, and an item says only another.
    assert.equal(list.itemDefaults!.insertTextFormat, InsertTextFormat.Snippet);
    const format = (item: CompletionItem, byDefault: InsertTextFormat) => [item.label, item.insertTextFormat ?? byDefault];
    assert.deepEqual(list.items.map((item) => format(item, InsertTextFormat.Snippet)), items.map((item) => format(item, InsertTextFormat.PlainText)));
    assert.ok(list.items.every((item) => item.detail === undefined) && items.some((item) => item.detail !== undefined), 'details come on resolve');
    // The client puts the default data on the item it resolves.
    const timeout = list.items.find((item) => item.label === 'proxy_read_timeout')!;
    const resolved = await withDefaults.request<CompletionItem>('completionItem/resolve', { ...timeout, data: list.itemDefaults!.data });
    assert.match((resolved.documentation as { value: string }).value, /proxy_read_timeout time;/);
    assert.equal(resolved.detail, items.find((item) => item.label === 'proxy_read_timeout')!.detail);
  } finally {
    await withDefaults.stop();
  }
});

test('completion of arguments: upstream names after proxy_pass http://, with their servers', async () => {
  const position = positionOf(app, 'http://app_backend', 'http://'.length);
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uriOf(app) }, position });
  assert.deepEqual(items.map((i) => [i.label, i.kind, i.detail]), [['app_backend', 18 /* Reference */, '1 server: 127.0.0.1:3000 · keepalive 16']]);
  assert.deepEqual((items[0].textEdit as TextEdit).range, { start: position, end: position });
});

test('completion of directive names: ranked by use in the context, removed ones tagged deprecated', async () => {
  const items = await client.request<CompletionItem[]>('textDocument/completion', {
    textDocument: { uri: uriOf(app) },
    position: positionOf(app, 'server_name app', 2),
  });
  // What the editor shows after `se`: equal matches in sortText order.
  const se = items.filter((i) => i.label.startsWith('se')).sort((a, b) => a.sortText!.localeCompare(b.sortText!));
  assert.equal(se[0].label, 'server_name');
  assert.deepEqual(items.find((i) => i.label === 'ssl')!.tags, [1 /* Deprecated */], 'ssl was removed in nginx 1.25.1');
  assert.equal(items.find((i) => i.label === 'listen')!.tags, undefined);
  assert.ok(items.some((i) => i.label === 'ws-location' && i.kind === 15 /* Snippet */), 'snippets where a location may stand');
});

test('hover on an upstream name: its servers and a link to the line that defines it', async () => {
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uriOf(app) }, position: positionOf(app, 'app_backend', 3) });
  const value = (hover.contents as { value: string }).value;
  const line = positionOf('nginx.conf', 'upstream app_backend').line + 1;
  assert.ok(value.includes(`(${uriOf('nginx.conf')}#L${line})`), value);
  assert.match(value, /- `server 127\.0\.0\.1:3000;`\n- `keepalive 16;`/);
  assert.match(value, /Used by 3 `\*_pass` directives/);
});

test('go to definition: upstream in nginx.conf, include targets', async () => {
  const [upstream] = await client.request<Location[]>('textDocument/definition', {
    textDocument: { uri: uriOf(app) },
    position: positionOf(app, 'app_backend', 3),
  });
  assert.equal(upstream.uri, uriOf('nginx.conf'));
  assert.equal(upstream.range.start.line, positionOf('nginx.conf', 'upstream app_backend').line);
  const [snippet] = await client.request<Location[]>('textDocument/definition', {
    textDocument: { uri: uriOf(app) },
    position: positionOf(app, 'snippets/websocket.conf', 3),
  });
  assert.equal(snippet.uri, uriOf('snippets/websocket.conf'));
});

test('references and rename of a user variable', async () => {
  const position = positionOf(app, '$app_root;', 2);
  const refs = await client.request<Location[]>('textDocument/references', {
    textDocument: { uri: uriOf(app) },
    position,
    context: { includeDeclaration: true },
  });
  assert.equal(refs.length, 2);
  const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uriOf(app) }, position, newName: 'site_root' });
  assert.deepEqual(edit.changes![uriOf(app)].map((e) => e.newText), ['$site_root', '$site_root']);
});

test('include paths are document links', async () => {
  const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf(app) } });
  assert.deepEqual(links.map((l) => l.target), [uriOf('snippets/websocket.conf')]);
});

test('outline: server named by server_name, listen as detail, locations inside', async () => {
  const [server] = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uriOf(app) } });
  assert.equal(server.name, 'app.example.com');
  assert.equal(server.detail, '80');
  assert.deepEqual(server.children!.map((c) => c.name), ['/', '@backend', '/ws/', '/chat/']);
});

test('workspace symbols: servers and upstreams across files', async () => {
  const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'app' });
  const names = symbols.map((s) => `${s.name}@${path.relative(root, new URL(s.location.uri).pathname)}`);
  assert.ok(names.includes('app_backend@nginx.conf'), names.join(' '));
  assert.ok(names.includes('app.example.com@sites-enabled/app.conf'), names.join(' '));
});

test('folding ranges for blocks', async () => {
  const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: uriOf(app) } });
  const server = positionOf(app, 'server {').line;
  assert.ok(ranges.some((r) => r.startLine === server && r.endLine === textOf(app).trimEnd().split('\n').length - 2));
});

test('formatting re-indents with the editor options and changes only whitespace', async () => {
  const uri = 'untitled:format.conf';
  await client.open(uri, 'http {\nserver {\n  listen 80;   location / { return 200 "a  b"; }\n}\n}\n');
  const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  const formatted = TextDocument.applyEdits(TextDocument.create(uri, 'nginx', 1, 'http {\nserver {\n  listen 80;   location / { return 200 "a  b"; }\n}\n}\n'), edits);
  assert.equal(formatted, 'http {\n  server {\n    listen 80;\n    location / {\n      return 200 "a  b";\n    }\n  }\n}\n');
});

test('nginx.version: the same location judged for 1.24 also lacks HTTP/1.1, and the message says why', async () => {
  try {
    const diagnostics = await client.configure({ version: '1.24' }, uriOf(app));
    const chat = diagnostics.filter((d) => d.range.start.line === positionOf(app, 'location /chat/').line);
    assert.deepEqual(chat.map((d) => d.code).sort(), ['upstream-keepalive-ineffective', 'upstream-keepalive-ineffective', 'ws-missing-connection', 'ws-missing-http-version', 'ws-no-tls', 'ws-upgrade-unrestricted']);
    assert.match(chat.find((d) => d.code === 'ws-missing-http-version')!.message, /nginx 1\.24 talks HTTP\/1\.0 to the upstream by default \(HTTP\/1\.1 is the default from nginx 1\.29\.7\)/);
  } finally {
    await client.configure({}, uriOf(app));
  }
});

test('a client that resolves edits gets fix-alls without their edit, and the same edit on resolve', async () => {
  const resolving = new LspClient();
  try {
    await resolving.initialize(root, undefined, process.pid, { codeAction: { resolveSupport: { properties: ['edit'] } } });
    await resolving.open(uriOf(app), textOf(app));
    await resolving.diagnosticsFor(uriOf(app));
    const ask = (through: LspClient) => through.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(app) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    const [lazy] = await ask(resolving);
    assert.equal(lazy.title, 'Fix all safe nginx problems in this file');
    assert.equal(lazy.edit, undefined);
    const resolved = await resolving.request<CodeAction>('codeAction/resolve', lazy);
    const [eager] = await ask(client);
    assert.deepEqual(resolved.edit, eager.edit);
  } finally {
    await resolving.stop();
  }
});
