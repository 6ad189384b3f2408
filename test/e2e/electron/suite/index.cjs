'use strict';
// Extension-host suite: the scenarios of ../../scenarios.cjs checked through the VS Code extension API.
// Loaded as `extensionTestsPath` by
//   - electron/run.mjs (@vscode/test-electron, a desktop VS Code), and
//   - run.mjs (code-server's remote extension host, the same API on the VS Code server), see lib/apiSuite.mjs.
// It exports run(): resolves when every test passed, rejects otherwise (the host then exits non-zero).
// When E2E_API_RESULTS names a file, the results are written there as JSON too.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { language, scenarios: S, firstUnmatched, containsLines, snippetIndentError } = require('../../scenarios.cjs');

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const WAIT_MS = 60_000;

function log(msg) {
  // Desktop: the launcher's stdout. code-server: the browser console ([Extension Host] lines).
  console.log(`[api] ${msg}`);
}

function docUri(rel) {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

async function open(rel) {
  const doc = await vscode.workspace.openTextDocument(docUri(rel));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

/** Types `text` where the empty 1-based `line` is, as a person does: End of the line above, Enter (auto-indent), the text. Returns the cursor. */
async function typeOnNewLine(editor, line, text) {
  const above = editor.document.lineAt(line - 2);
  editor.selection = new vscode.Selection(above.range.end, above.range.end);
  await vscode.commands.executeCommand('type', { text: '\n' });
  await vscode.commands.executeCommand('type', { text });
  return editor.selection.active;
}

function positionOf(doc, word) {
  const i = doc.getText().indexOf(word);
  assert.ok(i >= 0, `"${word}" not in ${doc.uri.path}`);
  return doc.positionAt(i + 1);
}

function delay(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Calls `probe` until it returns a truthy value (the language server may still be starting). */
async function eventually(what, probe, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out: ${what}${last ? ` (${last.message})` : ''}`);
    await delay(250);
  }
}

/** Resolves with the diagnostics of `uri` once `pred(diags)` holds, listening to onDidChangeDiagnostics. */
function waitForDiagnostics(uri, pred, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const diags = vscode.languages.getDiagnostics(uri);
      if (pred(diags)) {
        sub.dispose();
        clearTimeout(timer);
        resolve(diags);
        return true;
      }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      const now = vscode.languages.getDiagnostics(uri).map((d) => `${d.code}: ${d.message}`);
      reject(new Error(`timed out waiting for diagnostics: ${what}; now: ${JSON.stringify(now)}`));
    }, WAIT_MS);
    check();
  });
}

function codeOf(d) {
  return typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code);
}

function hoverText(hovers) {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

async function quickFix(sc, severity, fixed) {
  const { doc } = await open(sc.file);
  const has = (ds) => ds.some((d) => codeOf(d) === sc.code);
  const diags = await waitForDiagnostics(doc.uri, has, `${sc.code} on ${sc.file}`);
  const diag = diags.find((d) => codeOf(d) === sc.code);
  assert.equal(diag.source, 'nginx');
  assert.equal(diag.severity, severity, `${sc.code} severity`);
  // Asked again while the answer is empty: VS Code cancels a code action request, and answers it with
  // none, when the code action providers of the document change meanwhile (an extension starting).
  let actions = [];
  const ask = async () => {
    actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    if (actions.length === 0) log(`no code actions on ${sc.file} yet: asked again`);
    return actions.length > 0;
  };
  await eventually('code actions', ask, 10_000).catch(() => {});
  const action = actions.find((a) => sc.fixTitle.test(a.title));
  assert.ok(action, `no quick fix matching ${sc.fixTitle} among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(!action.kind || vscode.CodeActionKind.QuickFix.contains(action.kind), `kind ${action.kind?.value}`);
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), 'applyEdit failed');
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  assert.ok(fixed(doc.getText()), `text after the fix:\n${doc.getText()}`);
  await waitForDiagnostics(doc.uri, (ds) => !has(ds), `${sc.code} gone from ${sc.file}`);
}

const tests = [
  [
    '1. workspace config opens as nginx; the grammar is contributed',
    async () => {
      const { doc } = await open(S.language.file);
      assert.equal(doc.languageId, language.languageId);
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `extension ${EXTENSION_ID} not found`);
      await ext.activate();
      const grammars = ext.packageJSON.contributes?.grammars ?? [];
      const g = grammars.find((x) => x.scopeName === language.grammarScope);
      assert.ok(g, `no grammar for ${language.grammarScope}`);
      assert.ok(fs.existsSync(path.join(ext.extensionPath, g.path)), `grammar file ${g.path} missing`);
    },
  ],
  [
    '2. hover on proxy_read_timeout shows syntax and default',
    async () => {
      const { doc } = await open(S.hover.file);
      const pos = positionOf(doc, S.hover.word);
      const text = await eventually('a hover with its default', async () => {
        const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos));
        return /Default/.test(t) && t;
      });
      const miss = firstUnmatched(S.hover.expect, text);
      assert.ok(!miss, `hover does not match ${miss}:\n${text}`);
    },
  ],
  [
    '3. incomplete WebSocket location: warning and quick fix',
    () =>
      quickFix(S.wsQuickFix, vscode.DiagnosticSeverity.Warning, (t) => t.split('\n').some((l) => S.wsQuickFix.expectLine.test(l))),
  ],
  [
    '4. plain-HTTP WebSocket server: TLS quick fix',
    () =>
      quickFix(S.tlsQuickFix, vscode.DiagnosticSeverity.Information, (t) => {
        const lines = t.split('\n');
        return S.tlsQuickFix.expectLines.every((re) => lines.some((l) => re.test(l)));
      }),
  ],
  [
    '5. snippet ws-location is offered and expands with its placeholders',
    async () => {
      const sc = S.snippet;
      const { doc, editor } = await open(sc.file);
      const pos = await typeOnNewLine(editor, sc.line, sc.prefix);
      const list = await eventually('completion items', () =>
        vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, pos),
      );
      const label = (i) => (typeof i.label === 'string' ? i.label : i.label.label);
      const item = list.items.find((i) => label(i) === sc.prefix && i.kind === vscode.CompletionItemKind.Snippet);
      assert.ok(item, `no snippet "${sc.prefix}" among ${list.items.length} completions`);
      const range = new vscode.Range(pos.translate(0, -sc.prefix.length), pos);
      const body = item.insertText instanceof vscode.SnippetString ? item.insertText : new vscode.SnippetString(String(item.insertText));
      assert.ok(await editor.insertSnippet(body, range), 'insertSnippet failed');
      for (const value of sc.placeholders) {
        await vscode.commands.executeCommand('type', { text: value });
        await vscode.commands.executeCommand('jumpToNextSnippetPlaceholder');
      }
      await vscode.commands.executeCommand('leaveSnippet');
      const text = doc.getText();
      assert.ok(containsLines(text, sc.expectLines), `snippet text:\n${text}`);
      assert.ok(!text.includes(sc.prefix), 'the prefix is still in the text');
      const indentError = snippetIndentError(text);
      assert.ok(!indentError, `${indentError}:\n${text}`);
    },
  ],
  [
    '6. Upgrade passing any protocol under access control: h2c warning and quick fix',
    () =>
      quickFix(S.h2cQuickFix, vscode.DiagnosticSeverity.Warning, (t) => {
        const lines = t.split('\n');
        return S.h2cQuickFix.expectLines.every((re) => lines.some((l) => re.test(l)));
      }),
  ],
  [
    '7. hover on a location shows the headers it sends',
    async () => {
      const { doc } = await open(S.headersHover.file);
      const pos = positionOf(doc, S.headersHover.word);
      const text = await eventually('a hover with the headers in force', async () => {
        const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos));
        return /Headers sent/.test(t) && t;
      });
      const miss = firstUnmatched(S.headersHover.expect, text);
      assert.ok(!miss, `hover does not match ${miss}:\n${text}`);
    },
  ],
  [
    '10. after proxy_pass http:// completion offers the upstreams, with their servers',
    async () => {
      const sc = S.upstreamCompletion;
      const { doc, editor } = await open(sc.file);
      const pos = await typeOnNewLine(editor, sc.line, sc.typed);
      const label = (i) => (typeof i.label === 'string' ? i.label : i.label.label);
      const item = await eventually('the upstream among the completions', async () => {
        // Resolved as the suggest widget resolves the items it shows: the detail comes on resolve.
        const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, pos, undefined, 10);
        return list.items.find((i) => label(i) === sc.label);
      });
      assert.match(item.detail ?? '', sc.detail);
    },
  ],
  [
    '11. hover on an upstream name shows its servers, where it is defined and its uses',
    async () => {
      const sc = S.upstreamHover;
      const { doc } = await open(sc.file);
      // On the name after http://.
      const pos = positionOf(doc, sc.token).translate(0, sc.token.length - 2);
      const text = await eventually('a hover on the upstream', async () => {
        const t = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos));
        return /Defined in/.test(t) && t;
      });
      const miss = firstUnmatched(sc.expect, text);
      assert.ok(!miss, `hover does not match ${miss}:\n${text}`);
    },
  ],
  [
    '13. the language server runs with the environment the client gives it (MALLOC_ARENA_MAX=2, MALLOC_MMAP_THRESHOLD_=131072)',
    async () => {
      await open(S.language.file);
      const server = path.join(vscode.extensions.getExtension(EXTENSION_ID).extensionPath, 'dist', 'server.js');
      const pid = await eventually('the language server process', () => childRunning(server));
      // client/src/extension.ts starts it with server/src/node/serverEnvironment.ts's variables.
      const environment = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      for (const variable of ['MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072']) {
        assert.ok(environment.includes(variable), `the server's environment lacks ${variable}: ${environment.filter((line) => line.startsWith('MALLOC_')).join(' ') || 'no MALLOC_ variable'}`);
      }
    },
  ],
];

/** The pid of a child of this extension host that runs `script`, if there is one (Linux's /proc). */
function childRunning(script) {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = /^PPid:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (Number(parent) === process.pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(script)) return Number(entry);
    } catch {
      // The process ended while it was read.
    }
  }
  return undefined;
}

/** Reverts the documents a test changed and closes every editor, so no save prompt can block the host. */
async function revertAndCloseAll() {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty) continue;
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function run() {
  const only = process.env.E2E_API_ONLY ? new RegExp(process.env.E2E_API_ONLY) : undefined;
  const results = [];
  for (const [title, fn] of tests) {
    if (only && !only.test(title)) continue;
    const t = Date.now();
    try {
      await fn();
      results.push({ title, ok: true, ms: Date.now() - t });
      log(`✔ ${title} (${Date.now() - t} ms)`);
    } catch (e) {
      results.push({ title, ok: false, ms: Date.now() - t, error: String(e && e.stack ? e.stack : e) });
      log(`✖ ${title}\n${e && e.stack ? e.stack : e}`);
    }
    await revertAndCloseAll();
  }
  const failed = results.filter((r) => !r.ok).length;
  log(`${results.length - failed} passed, ${failed} failed`);
  if (process.env.E2E_API_RESULTS) fs.writeFileSync(process.env.E2E_API_RESULTS, JSON.stringify(results, null, 2));
  if (failed) throw new Error(`${failed} extension-host test(s) failed`);
}

module.exports = { run };
