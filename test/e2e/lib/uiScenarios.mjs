// The scenarios of issues 5, 11 and 16, driven through the workbench UI. Data comes from ../scenarios.cjs,
// which the extension-host suite (electron/suite) shares.
import { createRequire } from 'node:module';
import { ACTIVE_EDITOR, escapeRe, step } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { language, scenarios: S, firstUnmatched, containsLines, snippetIndentError } = require('../scenarios.cjs');

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Retries `attempt` (which waits on UI events with a short timeout) until it succeeds or `timeout` passes. */
async function retry(what, timeout, attempt) {
  const deadline = Date.now() + timeout;
  let last;
  for (let i = 0; Date.now() < deadline; i++) {
    try {
      return await attempt(i);
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`${what}: ${last?.message ?? 'timed out'}`);
}

/**
 * Each scenario: { id, title, run(ctx) } with ctx = { wb, page, shot(name) }.
 * shot() writes test-results/e2e/<name>.png.
 */
export const uiScenarios = [
  {
    id: 'language',
    title: '1. workspace config opens in nginx mode, grammar colours tokens',
    async run({ wb, page, shot }) {
      await wb.openFile(S.language.file);
      const mode = page.locator('#status\\.editor\\.mode');
      await mode.waitFor();
      await page.waitForFunction(
        ([re, flags]) => new RegExp(re, flags).test(document.querySelector('#status\\.editor\\.mode')?.textContent.trim() ?? ''),
        [language.languageLabel.source, language.languageLabel.flags],
      );
      // Grammar: the directive token is its own span with a colour other than the plain-text foreground.
      const tok = wb.token(S.language.token);
      await tok.waitFor();
      const colours = await page.evaluate((sel) => {
        const spans = [...document.querySelectorAll(`${sel} .lines-content .view-line span > span`)];
        const plain = document.querySelector(`${sel} .mtk1`);
        return {
          distinct: [...new Set(spans.map((s) => getComputedStyle(s).color))],
          plain: plain ? getComputedStyle(plain).color : undefined,
        };
      }, ACTIVE_EDITOR);
      step('language mode shown, token rendered');
      const tokColour = await tok.evaluate((el) => getComputedStyle(el).color);
      assert(colours.distinct.length >= 4, `expected several token colours, got ${colours.distinct.join(', ')}`);
      assert(tokColour !== colours.plain, `"${S.language.token}" has the plain-text colour ${tokColour}`);
      // The scope comes from this extension's grammar: Developer: Inspect Editor Tokens and Scopes.
      await tok.click();
      await wb.runCommand('Developer: Inspect Editor Tokens and Scopes');
      const inspect = page.locator('.token-inspect-widget');
      await inspect.waitFor();
      await page.locator('.token-inspect-widget', { hasText: language.grammarScope }).waitFor();
      const inspected = await inspect.innerText();
      const scopes = inspected.split('\n').filter((l) => /\.nginx\b/.test(l));
      assert(
        scopes.some((l) => l.trim() !== language.grammarScope),
        `"${S.language.token}" has no scope of its own beyond ${language.grammarScope}:\n${inspected}`,
      );
      step('inspect widget shows the scopes');
      await shot('1-language-mode');
      await page.keyboard.press('Escape');
      await inspect.waitFor({ state: 'hidden' });
    },
  },

  {
    id: 'workspace-problems',
    title: '1b. only nginx.conf open: Problems lists the problem of a file it includes',
    async run({ wb, page, shot }) {
      const sc = S.workspaceProblems;
      await wb.runCommand('View: Close All Editors');
      await wb.openFile(sc.file);
      await wb.openProblems();
      await wb.filterProblems(sc.code);
      await wb.problemRows(sc.code).first().waitFor({ timeout: 60_000 });
      await page.locator('.markers-panel .monaco-list-row', { hasText: sc.inFile }).first().waitFor();
      const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
      assert(!tabs.some((t) => t.includes(sc.inFile)), `${sc.inFile} is open: ${tabs.join(', ')}`);
      await shot('1b-workspace-problems');
      // The next scenarios need the editor's full height: Ctrl+J toggles the panel.
      await page.keyboard.press('Control+J');
      await page.locator('.markers-panel').waitFor({ state: 'hidden' });
    },
  },

  {
    id: 'hover',
    title: '2. hover on proxy_read_timeout shows syntax and default',
    async run({ wb, page, shot }) {
      await wb.openFile(S.hover.file);
      const tok = wb.token(S.hover.word);
      await tok.waitFor();
      // The hover that holds the language server's answer (VS Code may show an empty or "Loading…" one first).
      const hover = page.locator('.monaco-hover-content:visible', { hasText: /Default/ }).first();
      // The language server may still be starting: move away and hover again until its answer shows.
      const text = await retry('hover with syntax and default', 60_000, async (i) => {
        await page.mouse.move(5, 5);
        await tok.hover({ position: { x: 4 + (i % 3), y: 5 } });
        await hover.waitFor({ timeout: 10_000 });
        return hover.innerText();
      });
      const miss = firstUnmatched(S.hover.expect, text);
      assert(!miss, `hover text does not match ${miss}:\n${text}`);
      await shot('2-hover');
    },
  },

  {
    id: 'ws-quick-fix',
    title: '3. incomplete WebSocket location: warning in Problems, quick fix adds the line',
    async run({ wb, page, shot }) {
      await quickFixScenario({ wb, page, shot }, S.wsQuickFix, '3', (text) =>
        text.split('\n').some((l) => S.wsQuickFix.expectLine.test(l)),
      );
    },
  },

  {
    id: 'tls-quick-fix',
    title: '4. plain-HTTP WebSocket server: TLS quick fix',
    async run({ wb, page, shot }) {
      await quickFixScenario({ wb, page, shot }, S.tlsQuickFix, '4', (text) => {
        const lines = text.split('\n');
        return S.tlsQuickFix.expectLines.every((re) => lines.some((l) => re.test(l)));
      });
    },
  },

  {
    id: 'snippet',
    title: '5. snippet prefix ws-location expands with its placeholders',
    async run({ wb, page, shot }) {
      const sc = S.snippet;
      await wb.openFile(sc.file);
      await wb.typeOnNewLine(sc.line, sc.prefix);
      const widget = page.locator('.editor-widget.suggest-widget.visible');
      await wb.suggestion(sc.prefix);
      // Move the selection to exactly this prefix (longer ones such as ws-location-map also match).
      const focused = page.locator('.suggest-widget.visible .monaco-list-row.focused');
      for (let i = 0; i < 20; i++) {
        const label = (await focused.locator('.label-name').innerText()).trim();
        if (label === sc.prefix) break;
        await page.keyboard.press('ArrowDown');
      }
      await page
        .locator('.suggest-widget.visible .monaco-list-row.focused')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(sc.prefix)}$`) }) })
        .waitFor();
      await shot('5a-snippet-suggest');
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
      // Tab stops: type over each placeholder, Tab to the next.
      for (const value of sc.placeholders) {
        await page.keyboard.type(value);
        await page.keyboard.press('Tab');
      }
      await page.keyboard.press('Escape');
      const text = await wb.waitForEditorText((t) => containsLines(t, sc.expectLines), 'the expanded ws-location snippet');
      assert(!text.includes(sc.prefix), `the prefix "${sc.prefix}" is still in the text`);
      const indentError = snippetIndentError(text);
      assert(!indentError, `${indentError}:\n${text}`);
      // While the prefix was typed the server flagged it (unknown directive "ws-location"); the expansion is valid
      // nginx, so that problem must go.
      await wb.openProblems();
      await wb.filterProblems(sc.prefix);
      await page.locator('.markers-panel .monaco-list-row', { hasText: `"${sc.prefix}"` }).first().waitFor({ state: 'detached' });
      await shot('5b-snippet-inserted');
    },
  },

  {
    id: 'h2c-quick-fix',
    title: '6. Upgrade passing any protocol under access control: h2c warning, quick fix passes only websocket',
    async run({ wb, page, shot }) {
      await quickFixScenario({ wb, page, shot }, S.h2cQuickFix, '6', (text) => {
        const lines = text.split('\n');
        return S.h2cQuickFix.expectLines.every((re) => lines.some((l) => re.test(l)));
      });
    },
  },

  {
    id: 'headers-hover',
    title: '7. hover on a location shows the headers it sends and where they come from',
    async run({ wb, page, shot }) {
      await wb.openFile(S.headersHover.file);
      const tok = wb.token(S.headersHover.word);
      await tok.waitFor();
      const hover = page.locator('.monaco-hover-content:visible', { hasText: /Headers sent/ }).first();
      const text = await retry('hover with the headers in force', 60_000, async (i) => {
        await page.mouse.move(5, 5);
        await tok.hover({ position: { x: 4 + (i % 3), y: 5 } });
        await hover.waitFor({ timeout: 10_000 });
        return hover.innerText();
      });
      const miss = firstUnmatched(S.headersHover.expect, text);
      assert(!miss, `hover text does not match ${miss}:\n${text}`);
      await shot('7-headers-hover');
    },
  },

  {
    id: 'nginx-test',
    title: '8. nginx: Test Configuration runs nginx -t, the status bar shows the result, the Output channel the run',
    async run({ wb, page, shot }) {
      const sc = S.nginxTest;
      await wb.openFile(S.workspaceProblems.file);
      await wb.runCommand(sc.command);
      const item = page.locator('.statusbar-item', { hasText: sc.statusText }).first();
      await item.locator(sc.resultIcons.map((icon) => `.${icon}`).join(', ')).first().waitFor({ timeout: 60_000 });
      await shot('8a-nginx-test-status');
      await wb.runCommand(sc.showOutput);
      await page.locator('.part.panel .view-lines', { hasText: sc.logged }).first().waitFor({ timeout: 30_000 });
      await shot('8b-nginx-test-output');
    },
  },

  {
    id: 'typo-quick-fix',
    title: '9. unknown directive "proxy_pas": the preferred quick fix is "Change to proxy_pass"',
    async run({ wb, page, shot }) {
      await quickFixScenario({ wb, page, shot }, S.typoQuickFix, '9', (text) =>
        text.split('\n').some((l) => S.typoQuickFix.expectLine.test(l)),
      );
    },
  },

  {
    id: 'upstream-completion',
    title: '10. after proxy_pass http:// completion offers the upstreams of the configuration, with their servers',
    async run({ wb, page, shot }) {
      const sc = S.upstreamCompletion;
      await wb.openFile(sc.file);
      // "/" is a trigger character: the list opens as the URL is typed.
      await wb.typeOnNewLine(sc.line, sc.typed);
      await wb.suggestion(sc.label);
      // The only entry is focused, and a focused entry shows its detail.
      await page.locator('.suggest-widget.visible .monaco-list-row.focused', { hasText: sc.detail }).waitFor();
      await shot('10-upstream-completion');
      await page.keyboard.press('Enter');
      await page.keyboard.type(';');
      await wb.waitForEditorText((text) => text.split('\n').filter((l) => sc.expectLine.test(l)).length === 2, 'the completed proxy_pass line');
    },
  },

  {
    id: 'upstream-hover',
    title: '11. hover on an upstream name shows its servers, where it is defined and its uses',
    async run({ wb, page, shot }) {
      const sc = S.upstreamHover;
      await wb.openFile(sc.file);
      const tok = wb.token(sc.token);
      await tok.waitFor();
      const box = await tok.boundingBox();
      assert(box, `no box for "${sc.token}"`);
      const hover = page.locator('.monaco-hover-content:visible', { hasText: /Defined in/ }).first();
      const text = await retry('hover on the upstream name', 60_000, async (i) => {
        await page.mouse.move(5, 5);
        // On the last characters of the token: the name after http://.
        await tok.hover({ position: { x: box.width - 3 - (i % 3), y: box.height / 2 } });
        await hover.waitFor({ timeout: 10_000 });
        return hover.innerText();
      });
      const miss = firstUnmatched(sc.expect, text);
      assert(!miss, `hover text does not match ${miss}:\n${text}`);
      await shot('11-upstream-hover');
    },
  },

  {
    id: 'which-location',
    title: '12. nginx: Which location serves a URL… jumps to the location and shows what the upstream receives',
    async run({ wb, page, shot }) {
      const sc = S.whichLocation;
      await wb.openFile(sc.file);
      // runCommand() waits for the palette to close; here the command's input box opens in its place at once.
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.fill(`>${sc.command}`);
      await page
        .locator('.quick-input-widget .quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: sc.command }) })
        .first()
        .click();
      await page.locator('.quick-input-widget', { hasText: 'Which location serves this URL?' }).waitFor();
      await input.fill(sc.url);
      await page.keyboard.press('Enter');
      // The editor jumps to the location first (the status bar shows its line), then says what serves the URL.
      await page.locator('#status\\.editor\\.selection', { hasText: new RegExp(`Ln ${sc.locationLine},`) }).waitFor({ timeout: 60_000 });
      // The notification center, whether or not the workbench showed the message as a toast.
      await wb.runCommand('Notifications: Show Notifications');
      const item = page.locator('.notifications-center .notification-list-item', { hasText: sc.url }).first();
      await item.waitFor();
      const text = await item.innerText();
      const miss = firstUnmatched(sc.expect, text);
      assert(!miss, `the answer does not match ${miss}:\n${text}`);
      // Expanded, the whole message shows (collapsed, one line ending in "…").
      await item.locator('.codicon-notifications-expand').click();
      await page.locator('.notifications-center .notification-list-item.expanded', { hasText: sc.url }).waitFor();
      await shot('12-which-location');
    },
  },
];

/** Scenarios 3, 4, 6 and 9: Problems lists the diagnostic, Ctrl+. offers the fix, the fix edits the text, the problem goes. */
async function quickFixScenario({ wb, page, shot }, sc, n, fixed) {
  await wb.openFile(sc.file);
  await wb.openProblems();
  await wb.filterProblems(sc.code);
  const rows = wb.problemRows(sc.code, sc.problemText);
  await rows.first().waitFor({ timeout: 60_000 });
  const rowLabel = (await rows.first().getAttribute('aria-label')) ?? (await rows.first().innerText());
  const sev = await rows.first().locator('.marker-icon').getAttribute('class');
  const severityClass = { error: 'error', warning: 'warning', information: 'info' }[sc.severity];
  assert(new RegExp(severityClass, 'i').test(sev ?? ''), `"${sc.code}" is not shown as ${sc.severity}: ${sev}`);
  assert(/nginx/.test(rowLabel + (await rows.first().innerText())), `the problem does not name the source nginx: ${rowLabel}`);
  await shot(`${n}a-problems`);
  // Selecting the problem puts the cursor on it in the editor; Ctrl+. lists its fixes.
  await rows.first().click();
  await page.keyboard.press('Enter');
  await wb.focusEditor();
  const item = page.locator('.action-widget .monaco-list-row.action', { hasText: sc.fixTitle }).first();
  await retry('quick fix menu', 30_000, async () => {
    await page.keyboard.press('Escape');
    await wb.focusEditor();
    await page.keyboard.press('Control+.');
    await item.waitFor({ timeout: 5000 });
  });
  await shot(`${n}b-quick-fix-menu`);
  await item.click();
  await item.waitFor({ state: 'hidden' });
  await wb.waitForEditorText(fixed, `the text after the fix for ${sc.code}`);
  await rows.first().waitFor({ state: 'detached', timeout: 30_000 });
  await shot(`${n}c-fixed`);
}
