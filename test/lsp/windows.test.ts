// The server as a Windows VS Code drives it: a workspace folder and documents named by Windows file
// URIs (`file:///c%3A/...`), an include written with `\`. Whatever the platform the server runs on,
// every URI it sends back must be a file: URI of that workspace, the documents' own URIs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, DocumentLink, Location, Position, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lspClient';

const fixtures = path.resolve(__dirname, '../fixtures/workspace');
const FOLDER = 'file:///c%3A/srv/nginx';
const uriOf = (relative: string) => `${FOLDER}/${relative}`;
/**
 * The fixture's text; nginx.conf includes its site with `\`, as a Windows user may write it (not by
 * a glob: the folder is not on this machine's disk, and open documents are not listed in folders).
 */
const textOf = (relative: string) => {
  const text = fs.readFileSync(path.join(fixtures, relative), 'utf8');
  return relative === 'nginx.conf' ? text.replace('sites-enabled/*.conf', 'sites-enabled\\app.conf') : text;
};
const MAIN = 'nginx.conf';
const APP = 'sites-enabled/app.conf';
const SNIPPET = 'snippets/websocket.conf';

function positionOf(relative: string, marker: string, at = 0): Position {
  const text = textOf(relative);
  return TextDocument.create('', 'nginx', 1, text).positionAt(text.indexOf(marker) + at);
}

/** Every URI in what the server sent: `uri`, `targetUri` and `target` values, and the keys of `changes`. */
function urisIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(urisIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(['uri', 'targetUri', 'target'].includes(key) && typeof inner === 'string' ? [inner] : []),
    ...(key === 'changes' && inner && typeof inner === 'object' ? Object.keys(inner) : []),
    ...urisIn(inner),
  ]);
}

let client: LspClient;
let appDiagnostics: Diagnostic[];
before(async () => {
  client = new LspClient();
  await client.request('initialize', {
    processId: process.pid,
    rootUri: FOLDER,
    workspaceFolders: [{ uri: FOLDER, name: 'nginx' }],
    capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } },
  });
  await client.connection.sendNotification('initialized', {});
  for (const file of [MAIN, SNIPPET, APP]) await client.open(uriOf(file), textOf(file));
  // The folder is not on this machine's disk: the main config is named (relative to the folder).
  appDiagnostics = await client.configure({ mainConfig: 'nginx.conf' }, uriOf(APP));
});
after(() => client.stop());

test('an included site is judged in the context of the main config, its includes resolved on Windows paths', () => {
  const chat = appDiagnostics.filter((d) => d.range.start.line === positionOf(APP, 'location /chat/').line);
  assert.deepEqual(chat.map((d) => d.code).sort(), ['ws-missing-connection', 'ws-no-tls', 'ws-upgrade-unrestricted']);
  // /ws/ takes everything from snippets/websocket.conf (relative to the conf root), as on Linux (test/lsp/workspace.test.ts).
  const ws = appDiagnostics.filter((d) => d.range.start.line === positionOf(APP, 'location /ws/').line);
  assert.deepEqual(ws.map((d) => d.code), ['ws-no-tls', 'ws-upgrade-unrestricted', 'upstream-keepalive-ineffective']);
  assert.ok(!appDiagnostics.some((d) => d.code === 'include-not-found' || d.code === 'unknown-variable'), JSON.stringify(appDiagnostics));
});

test('an absolute Windows path in nginx.mainConfig, any spelling of the drive, names the same main config', async () => {
  const diagnostics = await client.configure({ mainConfig: 'C:\\srv\\nginx\\nginx.conf' }, uriOf(APP));
  assert.deepEqual(diagnostics.map((d) => d.code).sort(), appDiagnostics.map((d) => d.code).sort());
});

test('a quick fix edits the document by its own URI', async () => {
  const missing = appDiagnostics.find((d) => d.code === 'ws-missing-connection')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: uriOf(APP) },
    range: missing.range,
    context: { diagnostics: [missing] },
  });
  // The diagnostic's own fixes edit the document; the file's fix-all may also edit the files it includes, by their URIs.
  const fixes = actions.filter((action) => !action.title.startsWith('Fix all'));
  assert.ok(fixes.length > 0);
  for (const action of fixes) assert.deepEqual(Object.keys((action.edit as WorkspaceEdit).changes!), [uriOf(APP)], action.title);
  const workspaceUris = [MAIN, SNIPPET, APP].map(uriOf);
  for (const action of actions) for (const uri of Object.keys((action.edit as WorkspaceEdit).changes!)) assert.ok(workspaceUris.includes(uri), `${action.title}: ${uri}`);
});

test('definition, references and rename answer with the documents\' URIs', async () => {
  const at = { textDocument: { uri: uriOf(APP) }, position: positionOf(APP, 'http://app_backend', 9) };
  const definition = await client.request<Location[]>('textDocument/definition', at);
  assert.deepEqual(definition.map((location) => location.uri), [uriOf(MAIN)]);
  const references = await client.request<Location[]>('textDocument/references', { ...at, context: { includeDeclaration: true } });
  assert.deepEqual([...new Set(references.map((location) => location.uri))].sort(), [uriOf(APP), uriOf(MAIN)].sort());
  const rename = await client.request<WorkspaceEdit>('textDocument/rename', { ...at, newName: 'backend' });
  assert.deepEqual(Object.keys(rename.changes!).sort(), [uriOf(APP), uriOf(MAIN)].sort());
});

test('include links and definitions lead to the included documents\' URIs', async () => {
  const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf(APP) } });
  assert.deepEqual(links.map((link) => link.target), [uriOf(SNIPPET)]);
  const mainLinks = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf(MAIN) } });
  assert.deepEqual(mainLinks.map((link) => link.target), [uriOf(APP)]);
  const sites = await client.request<Location[]>('textDocument/definition', {
    textDocument: { uri: uriOf(MAIN) },
    position: positionOf(MAIN, 'sites-enabled\\app.conf', 2),
  });
  assert.deepEqual(sites.map((location) => location.uri), [uriOf(APP)]);
});

test('every URI the server sent is a file: URI of the workspace', async () => {
  await client.request('workspace/symbol', { query: '' });
  const uris = urisIn(client.received);
  assert.ok(uris.length > 10, `${uris.length} URIs`);
  const foreign = uris.filter((uri) => !uri.startsWith(`${FOLDER}/`));
  assert.deepEqual(foreign, []);
});
