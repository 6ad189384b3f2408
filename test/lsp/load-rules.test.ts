// The load-time checks through the LSP server: a site file included by nginx.conf gets nginx's
// messages for its unknown variable and its duplicate location (with the first one as related
// information), and the quick fix for $connection_upgrade edits nginx.conf's http block.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lspClient';

const files: Record<string, string> = {
  'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
  'conf.d/app.conf': [
    'server {',
    '    location /ws {',
    '        proxy_pass http://127.0.0.1:3000;',
    '        proxy_set_header Upgrade $http_upgrade;',
    '        proxy_set_header Connection $connection_upgrade;',
    '    }',
    '    location ^~ /ws {',
    '    }',
    '}',
    '',
  ].join('\n'),
};

let root: string;
let client: LspClient;
const uriOf = (relative: string) => pathToFileURL(path.join(root, relative)).href;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-load-rules-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  client = new LspClient();
  await client.initialize(root);
  await client.open(uriOf('conf.d/app.conf'), files['conf.d/app.conf']);
});
after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('an included file gets the unknown variable and the duplicate location, the first one as related information', async () => {
  const diagnostics = await client.diagnosticsFor(uriOf('conf.d/app.conf'));
  const unknown = diagnostics.find((d) => d.code === 'unknown-variable');
  assert.equal(unknown?.message, 'unknown "connection_upgrade" variable');
  assert.deepEqual(unknown.range, { start: { line: 4, character: 36 }, end: { line: 4, character: 55 } });
  const duplicate = diagnostics.find((d) => d.code === 'duplicate-location');
  assert.equal(duplicate?.message, 'duplicate location "/ws"');
  assert.equal(duplicate.range.start.line, 6);
  assert.deepEqual(duplicate.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
    [[uriOf('conf.d/app.conf'), 1, 'defined first here']]);
});

test('the quick fix adds the map to the http block of nginx.conf', async () => {
  const diagnostics = await client.diagnosticsFor(uriOf('conf.d/app.conf'));
  const unknown = diagnostics.find((d) => d.code === 'unknown-variable')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: uriOf('conf.d/app.conf') },
    range: unknown.range,
    context: { diagnostics: [unknown] },
  });
  const action = actions.find((a) => a.title === 'Add the map $http_upgrade $connection_upgrade at http level');
  assert.ok(action, actions.map((a) => a.title).join('\n'));
  const edits = (action.edit as WorkspaceEdit).changes![uriOf('nginx.conf')];
  const fixed = TextDocument.applyEdits(TextDocument.create(uriOf('nginx.conf'), 'nginx', 1, files['nginx.conf']), edits);
  assert.equal(fixed, "events {}\nhttp {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      close;\n    }\n    include conf.d/*.conf;\n}\n");
});
