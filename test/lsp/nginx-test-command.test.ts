// "nginx: Test Configuration" through the server: the request runs nginx -t (setting on or off) in
// a trusted workspace only, announces the result for the status bar, logs the run in the Output
// channel, and an error ours and nginx's both report is shown once.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TEST_CONFIGURATION_REQUEST, TEST_RESULT_NOTIFICATION, type TestResult } from '../../server/src/nginxTestCommand';
import { LspClient } from '../support/lspClient';
import { nginxAvailable } from '../support/nginx';

const skip = nginxAvailable() ? false : 'nginx not installed';
/** A server that never answers what a test waits for fails the test instead of hanging the run. */
const timeout = 30_000;

const scratch = fs.mkdtempSync(path.join(tmpdir(), 'ngx-test-command-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
let folders = 0;

const appText = 'server {\n    listen 8080;\n    access_log /var/log/nginx/app.log nope;\n}\n';

async function start(trusted: boolean) {
  const root = path.join(scratch, `ws${folders++}`);
  fs.mkdirSync(path.join(root, 'sites-enabled'), { recursive: true });
  fs.writeFileSync(path.join(root, 'nginx.conf'), 'events {}\nhttp {\n    include sites-enabled/*.conf;\n}\n');
  const app = path.join(root, 'sites-enabled/app.conf');
  fs.writeFileSync(app, appText);
  const client = new LspClient();
  const logged: string[] = [];
  const results: TestResult[] = [];
  client.connection.onNotification('window/logMessage', (params: { message: string }) => logged.push(params.message));
  client.connection.onNotification(TEST_RESULT_NOTIFICATION, (result: TestResult) => results.push(result));
  await client.initialize(root, { workspaceTrusted: trusted });
  const uri = pathToFileURL(app).href;
  await client.open(uri, appText);
  await client.diagnosticsFor(uri);
  const test = () => client.request<TestResult>(TEST_CONFIGURATION_REQUEST, { uri });
  return { root, app, uri, client, logged, results, test };
}

test('in an untrusted workspace the command runs nothing and says why', { skip, timeout }, async () => {
  const server = await start(false);
  try {
    assert.deepEqual(await server.test(), { mainConfigs: [], ok: false, summary: 'the workspace is not trusted' });
    assert.deepEqual(server.results, []);
    assert.ok(server.logged.some((line) => line === 'nginx -t: not run: the workspace is not trusted'), server.logged.join('\n'));
  } finally {
    await server.client.stop();
  }
});

test('the command runs nginx -t with the setting off, logs the run, announces the result, and shows an error ours repeats once', { skip, timeout }, async () => {
  const server = await start(true);
  try {
    const failed = await server.test();
    const main = path.join(server.root, 'nginx.conf');
    assert.deepEqual(failed, { mainConfigs: [main], ok: false, summary: `unknown log format "nope" (${server.app}:3)` });
    assert.deepEqual(server.results, [failed]);
    const log = server.logged.find((line) => line.startsWith(`nginx -t for ${main}:`)) ?? '';
    assert.match(log, /\n {2}\$ \S+.* -t -q /, log);
    assert.match(log, /\n {2}exit status 1\n/, log);
    assert.match(log, /\n {2}\| nginx: \[emerg\] unknown log format "nope" in /, log);
    // Ours says it at line 3 as nginx does: the Problems panel lists it once.
    const shown = await server.client.diagnosticsFor(server.uri);
    assert.deepEqual(shown.filter((d) => d.message.startsWith('unknown log format')).map((d) => [d.source, d.range.start.line]), [['nginx', 2]]);

    const fixed = appText.replace(' nope;', ';');
    fs.writeFileSync(server.app, fixed);
    await server.client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: server.uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const passed = await server.test();
    assert.deepEqual(passed, { mainConfigs: [main], ok: true, summary: 'the configuration is ok' });
    assert.match(server.logged.filter((line) => line.startsWith('nginx -t for')).pop()!, /exit status 0/);
  } finally {
    await server.client.stop();
  }
});
