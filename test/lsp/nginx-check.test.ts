// nginx -t on save, through the server: never in an untrusted workspace nor with the setting off;
// in a trusted one, nginx's error at the file and line it names, published with the analysis's
// diagnostics and cleared by the next successful check. Also checks the manifest's settings.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { detectConfinement } from '../../server/src/node/confinement';
import { LineIndex } from '../../server/src/parser';
import { LspClient } from '../support/lspClient';
import { nginxAvailable } from '../support/nginx';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const skip = nginxAvailable() ? false : 'nginx not installed';
/** A server that never publishes what a test waits for fails the test instead of hanging the run. */
const timeout = 30_000;

const scratch = fs.mkdtempSync(path.join(tmpdir(), 'ngxchk-lsp-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
let folders = 0;

const appText = [
  'server {',
  '    listen 8080;',
  '    location /chat/ {',
  '        proxy_pass http://127.0.0.1:3000;',
  '        proxy_set_header Upgrade $http_upgrade;',
  '    }',
  '    access_log /var/log/nginx/app.log nope;',
  '}',
  '',
].join('\n');
const fixedText = appText.replace(' nope;', ';');

/** A workspace whose site file nginx rejects at line 7 (unknown log format), and an nginx wrapper that records its runs. */
function setUp(): { root: string; app: string; uri: string; nginx: string; calls: string } {
  const root = path.join(scratch, `ws${folders++}`);
  fs.mkdirSync(path.join(root, 'sites-enabled'), { recursive: true });
  fs.writeFileSync(path.join(root, 'nginx.conf'), 'events {}\nhttp {\n    include sites-enabled/*.conf;\n}\n');
  const app = path.join(root, 'sites-enabled/app.conf');
  fs.writeFileSync(app, appText);
  const calls = path.join(root, 'nginx-calls.log');
  const nginx = path.join(root, 'recording-nginx');
  fs.writeFileSync(nginx, `#!/bin/sh\necho "$@" >> ${calls}\nexec ${NGINX} "$@"\n`, { mode: 0o755 });
  return { root, app, uri: pathToFileURL(app).href, nginx, calls };
}

/**
 * A server whose published diagnostics are all recorded, to wait for one that passes a test
 * (the analysis and nginx -t publish for the same document version, in either order).
 */
async function start(root: string, initializationOptions?: unknown, editorPid?: number) {
  const client = new LspClient();
  await client.initialize(root, initializationOptions, editorPid);
  const { published } = client;
  const waitFor = (uri: string, accept: (diagnostics: Diagnostic[]) => boolean) => client.waitForPublished(uri, accept);
  // Our unknown-log-format finding says what nginx says at the same line, and then nginx's is not
  // shown (withoutRepeats): off here, so that nginx's own diagnostic is what the tests see.
  const configure = (nginx: Record<string, unknown>) =>
    client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { nginx: { rules: { 'unknown-log-format': 'off' }, ...nginx } } });
  const save = (uri: string) => client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  /** A request answered after every earlier notification was handled. */
  const roundTrip = (uri: string) => client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  return { client, published, waitFor, configure, save, roundTrip };
}

const isNginxT = (d: Diagnostic) => d.code === 'nginx-t';

test('the manifest: opt-in setting, machine-scoped executable path, limited support in untrusted workspaces', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  const properties = manifest.contributes.configuration.properties;
  assert.equal(properties['nginx.validateOnSave.enabled'].type, 'boolean');
  assert.equal(properties['nginx.validateOnSave.enabled'].default, false);
  assert.equal(properties['nginx.executablePath'].type, 'string');
  assert.equal(properties['nginx.executablePath'].default, '/usr/sbin/nginx');
  assert.equal(properties['nginx.executablePath'].scope, 'machine', 'workspace settings must not choose the binary');
  const untrusted = manifest.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  assert.deepEqual([...untrusted.restrictedConfigurations].sort(), ['nginx.executablePath', 'nginx.validateOnSave.enabled']);
});

test('in an untrusted workspace (or one the client says nothing about) a save runs nothing', { skip, timeout }, async () => {
  for (const options of [{ workspaceTrusted: false }, undefined]) {
    const { root, uri, nginx, calls } = setUp();
    const server = await start(root, options);
    try {
      await server.configure({ validateOnSave: { enabled: true }, executablePath: nginx });
      await server.client.open(uri, appText);
      await server.waitFor(uri, () => true);
      await server.save(uri);
      await server.roundTrip(uri);
      assert.equal(fs.existsSync(calls), false, `nginx was run (initializationOptions ${JSON.stringify(options)})`);
      assert.ok(!server.published.some((params) => params.diagnostics.some(isNginxT)));
    } finally {
      await server.client.stop();
    }
  }
});

test('in a trusted workspace with the setting off a save runs nothing but `nginx -v` (the default target version)', { skip, timeout }, async () => {
  const { root, uri, nginx, calls } = setUp();
  const server = await start(root, { workspaceTrusted: true });
  try {
    await server.configure({ validateOnSave: { enabled: false }, executablePath: nginx });
    await server.client.open(uri, appText);
    await server.waitFor(uri, () => true);
    await server.save(uri);
    await server.roundTrip(uri);
    assert.deepEqual(fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean), ['-v']);
  } finally {
    await server.client.stop();
  }
});

test('once trust is granted, a save shows nginx -t’s error at its line next to the analysis, and a fixed save clears it', { skip, timeout }, async () => {
  const { root, app, uri, nginx, calls } = setUp();
  const server = await start(root, { workspaceTrusted: false });
  try {
    await server.configure({ validateOnSave: { enabled: true }, executablePath: nginx });
    await server.client.open(uri, appText);
    await server.waitFor(uri, (diagnostics) => diagnostics.length > 0);
    await server.client.connection.sendNotification('nginx/workspaceTrust', { trusted: true });
    await server.save(uri);

    const diagnostics = await server.waitFor(uri, (all) => all.some(isNginxT));
    const nginxT = diagnostics.filter(isNginxT);
    assert.equal(nginxT.length, 1);
    assert.equal(nginxT[0].message, 'unknown log format "nope"');
    assert.equal(nginxT[0].source, 'nginx -t');
    assert.equal(nginxT[0].severity, 1 /* Error */);
    assert.equal(nginxT[0].range.start.line, 6, 'line 7 as nginx counts');
    assert.ok(diagnostics.some((d) => d.source === 'nginx' && String(d.code).startsWith('ws-')), 'the analysis diagnostics are still there');
    // -t runs confined (where it cannot write the calls log); -V, outside, was recorded.
    assert.match(fs.readFileSync(calls, 'utf8'), /^-V$/m);

    fs.writeFileSync(app, fixedText);
    await server.client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: fixedText }],
    });
    await server.save(uri);
    const after = await server.waitFor(uri, (all) => !all.some(isNginxT) && all.length > 0);
    assert.ok(after.some((d) => String(d.code).startsWith('ws-')));
  } finally {
    await server.client.stop();
  }
});

// A server stopped during a check leaves no nginx and no sandbox folder behind, however it stops.
const confinement = detectConfinement();

/** The processes whose working directory or command line is `folder` (the confined nginx and its wrapper). */
function processesIn(folder: string): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/cwd`) === folder || fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
    } catch {
      return false; // gone meanwhile, or not ours to read
    }
  });
}

/** Waits, a tick of the event loop at a time, until `condition` holds; fails the test after `tries` ticks. */
async function eventually(condition: () => boolean, what: string, tries = 400): Promise<void> {
  for (let i = 0; i < tries && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(condition(), what);
}

/** A server whose nginx -t hangs (after an honest -V): returns it once the check runs, with its sandbox folder. */
async function serverMidCheck(editorPid?: number) {
  const { root, app, uri } = setUp();
  const hanging = path.join(root, 'hanging-nginx');
  fs.writeFileSync(hanging, `#!/bin/sh\nif [ "$1" = -V ]; then exec ${NGINX} -V; fi\nexec sleep 60\n`, { mode: 0o755 });
  const server = await start(root, { workspaceTrusted: true }, editorPid);
  await server.configure({ validateOnSave: { enabled: true }, executablePath: hanging });
  await server.client.open(uri, fs.readFileSync(app, 'utf8'));
  await server.save(uri);
  const prefix = `nginx-check-${server.client.pid}-`;
  const sandbox = () => fs.readdirSync(tmpdir()).filter((name) => name.startsWith(prefix)).map((name) => path.join(tmpdir(), name))[0];
  // Once the hanging command itself runs, the confinement is set up (bwrap's --die-with-parent included).
  const hangs = (pid: number) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep\0');
    } catch {
      return false; // gone meanwhile
    }
  };
  await eventually(() => sandbox() !== undefined && processesIn(sandbox()).some(hangs), 'the check started');
  return { server, folder: sandbox() };
}

const stops: Array<[string, (client: LspClient) => Promise<void> | void]> = [
  ['shutdown and exit', async (client) => {
    await client.request('shutdown', null);
    await client.connection.sendNotification('exit');
  }],
  ['SIGTERM', (client) => client.kill('SIGTERM')],
  ['SIGINT', (client) => client.kill('SIGINT')],
  ['its standard input closed (the editor died)', (client) => client.closeInput()],
];
for (const [how, stop] of stops) {
  test(`a server stopped by ${how} during a check kills its nginx and removes its sandbox`, { skip, timeout }, async () => {
    const { server, folder } = await serverMidCheck();
    await stop(server.client);
    await server.client.exited;
    assert.equal(fs.existsSync(folder), false, 'the sandbox folder is removed');
    await eventually(() => processesIn(folder).length === 0, 'no process of the check is left');
    server.client.connection.dispose();
  });
}

test('a server whose editor process dies during a check (LSP processId) kills its nginx and removes its sandbox', { skip, timeout }, async () => {
  const editor = spawn('sleep', ['600'], { stdio: 'ignore' });
  const editorGone = new Promise((resolve) => editor.on('exit', resolve));
  const { server, folder } = await serverMidCheck(editor.pid);
  editor.kill('SIGKILL');
  await editorGone;
  // vscode-languageserver looks for the editor's process every 3 s, then exits.
  await server.client.exited;
  assert.equal(fs.existsSync(folder), false, 'the sandbox folder is removed');
  await eventually(() => processesIn(folder).length === 0, 'no process of the check is left');
  server.client.connection.dispose();
});

test('a server killed outright (SIGKILL) during a confined check: its nginx dies with it, its folder goes at the next check', { skip: skip || ('unavailable' in confinement && confinement.unavailable), timeout }, async () => {
  const { server, folder } = await serverMidCheck();
  server.client.kill('SIGKILL');
  await server.client.exited;
  server.client.connection.dispose();
  await eventually(() => processesIn(folder).length === 0, 'the confined nginx died with the server');
  assert.equal(fs.existsSync(folder), true, 'a killed server cannot clean up');

  const { root, uri, nginx } = setUp();
  const next = await start(root, { workspaceTrusted: true });
  try {
    await next.configure({ validateOnSave: { enabled: true }, executablePath: nginx });
    await next.client.open(uri, appText);
    await next.save(uri);
    await next.waitFor(uri, (all) => all.some(isNginxT));
    assert.equal(fs.existsSync(folder), false, 'the next check swept the orphaned folder');
  } finally {
    await next.client.stop();
  }
});

test('an nginx.conf outside the workspace folders is not checked on save, and the Output channel says what nginx -t runs in', { skip, timeout }, async () => {
  const { root, nginx, calls } = setUp();
  const elsewhere = fs.mkdtempSync(path.join(scratch, 'elsewhere-'));
  fs.writeFileSync(path.join(elsewhere, 'nginx.conf'), 'events {}\n');
  const outsideUri = pathToFileURL(path.join(elsewhere, 'nginx.conf')).href;
  const server = await start(root, { workspaceTrusted: true });
  const logged: string[] = [];
  server.client.connection.onNotification('window/logMessage', (params: { message: string }) => logged.push(params.message));
  try {
    await server.configure({ validateOnSave: { enabled: true }, executablePath: nginx });
    await server.client.open(outsideUri, 'events {}\n');
    await server.save(outsideUri);
    await server.roundTrip(outsideUri);
    // Only `nginx -v`, for the target version.
    assert.deepEqual(fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean), ['-v'], 'nginx -t was not run');
    assert.ok(logged.some((message) => message.includes(`not run for ${path.join(elsewhere, 'nginx.conf')}`)), logged.join('\n'));

    const uri = pathToFileURL(path.join(root, 'sites-enabled/app.conf')).href;
    await server.client.open(uri, appText);
    await server.save(uri);
    await server.waitFor(uri, (all) => all.some(isNginxT));
    const expected = 'unavailable' in confinement ? /is not confined by the operating system here/ : new RegExp(`runs confined by ${confinement.kind}`);
    assert.ok(logged.some((message) => expected.test(message)), logged.join('\n'));
  } finally {
    await server.client.stop();
  }
});

test('nginx’s line (line feeds only) lands where the editor shows it, with lone carriage returns and CRLF before it', { skip, timeout }, async () => {
  const { root, app, uri, nginx } = setUp();
  const text = appText.replace('server {\n', 'server {\r# a comment after a lone CR\r\n');
  fs.writeFileSync(app, text);
  const server = await start(root, { workspaceTrusted: true });
  try {
    await server.configure({ validateOnSave: { enabled: true }, executablePath: nginx });
    await server.client.open(uri, text);
    await server.save(uri);
    const [diagnostic] = (await server.waitFor(uri, (all) => all.some(isNginxT))).filter(isNginxT);
    assert.equal(diagnostic.message, 'unknown log format "nope"');
    // nginx's line 7 (line feeds only) is found in the text, then converted as every position is
    // (parser/positions.ts, which counts line breaks as LSP does): never nginx's number taken as the editor's line.
    assert.equal(text.split('\n')[6].trim(), 'access_log /var/log/nginx/app.log nope;');
    assert.deepEqual(diagnostic.range.start, new LineIndex(text).positionAt(text.indexOf('access_log')));
  } finally {
    await server.client.stop();
  }
});
