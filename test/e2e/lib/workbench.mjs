// Helpers that drive the VS Code workbench the way a person does: keyboard, mouse, what is on screen.
// Every wait is on a UI state (a selector, a text), never a fixed delay.

export const ACTIVE_EDITOR = '.editor-group-container.active .editor-instance .monaco-editor';

const DEBUG = !!process.env.E2E_DEBUG;
const t0 = Date.now();
export function step(msg) {
  if (DEBUG) process.stdout.write(`    [${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
}

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page, { timeout = 30_000 } = {}) {
    this.page = page;
    this.timeout = timeout;
  }

  async waitForReady() {
    const { page } = this;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer lists the workspace folder once the remote file system answers.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Opens a workspace file from the Explorer (expanding its folders), waits for its editor tab and its text. */
  async openFile(relPath) {
    const { page } = this;
    const parts = relPath.split('/');
    const name = parts[parts.length - 1];
    step(`open ${relPath}`);
    const row = (label) =>
      page
        .locator('.explorer-folders-view .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) })
        .first();
    for (const folder of parts.slice(0, -1)) {
      const r = row(folder);
      await r.waitFor();
      if ((await r.getAttribute('aria-expanded')) !== 'true') {
        await r.click();
        await page
          .locator('.explorer-folders-view .monaco-list-row[aria-expanded="true"]')
          .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(folder)}$`) }) })
          .waitFor();
      }
    }
    const file = row(name);
    await file.waitFor();
    await file.click();
    await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor();
    await page.locator(`${ACTIVE_EDITOR} .view-lines .view-line`).first().waitFor();
    step('editor shown');
    await this.focusEditor();
  }

  async focusEditor() {
    // Clicking into the text would move the cursor; focusing the hidden textarea (or native edit context) does not.
    await this.page.evaluate((sel) => {
      const ed = document.querySelector(sel);
      const target = ed?.querySelector('.native-edit-context, textarea.inputarea');
      target?.focus();
    }, ACTIVE_EDITOR);
  }

  /** Runs a command from the Command Palette (F1), picked by its exact label. */
  async runCommand(label) {
    const { page } = this;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${label}`);
    const row = page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: label }) })
      .first();
    await row.waitFor();
    await row.click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Text of the active editor's rendered lines, as {lines: [{n, text}], text} (sorted by line number). */
  async editorLines() {
    return this.page.evaluate((sel) => {
      const ed = document.querySelector(sel);
      if (!ed) return { lines: [], text: '' };
      const top = (el) => parseFloat(el.style.top || '0');
      const nums = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')]
        .map((el) => ({ top: top(el.parentElement), n: parseInt(el.textContent, 10) }))
        .filter((x) => Number.isFinite(x.n));
      const byTop = new Map(nums.map((x) => [Math.round(x.top), x.n]));
      const lines = [...ed.querySelectorAll('.lines-content .view-lines .view-line')]
        .map((el) => ({ top: top(el), text: el.textContent.replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => ({ n: byTop.get(Math.round(l.top)), text: l.text }));
      return { lines, text: lines.map((l) => l.text).join('\n') };
    }, ACTIVE_EDITOR);
  }

  async editorText() {
    return (await this.editorLines()).text;
  }

  /** Waits until the active editor's text satisfies `predicate(text)`; returns that text. */
  async waitForEditorText(predicate, what, timeout = this.timeout) {
    const deadline = Date.now() + timeout;
    let text = '';
    // Polls on animation frames inside the page (an event, not a sleep) until the text matches.
    while (Date.now() < deadline) {
      text = await this.editorText();
      if (predicate(text)) return text;
      await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    }
    throw new Error(`timed out waiting for the editor text: ${what}\n--- editor text ---\n${text}`);
  }

  /** Moves the cursor to a 1-based line (Ctrl+G). */
  async goToLine(line) {
    const { page } = this;
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await page.locator('#status\\.editor\\.selection', { hasText: `Ln ${line},` }).waitFor();
  }

  /** Types `text` on a new line where the empty 1-based `line` is: End of the line above, Enter (VS Code indents it), the text. */
  async typeOnNewLine(line, text) {
    const { page } = this;
    await this.goToLine(line - 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(text);
  }

  /**
   * Waits for the suggest list's row labelled exactly `label` and returns it. Quick suggestions or a
   * trigger character usually open the list while typing; else Ctrl+Space asks for it.
   */
  async suggestion(label) {
    const { page } = this;
    const row = page
      .locator('.suggest-widget.visible .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) })
      .first();
    try {
      await row.waitFor({ timeout: 5000 });
    } catch {
      await page.keyboard.press('Control+Space');
      await row.waitFor();
    }
    return row;
  }

  /** The rendered token (span) in the active editor whose text is exactly `word`. */
  token(word) {
    return this.page.locator(`${ACTIVE_EDITOR} .lines-content .view-line span > span`, { hasText: new RegExp(`^${escapeRe(word)}$`) }).first();
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns its locator. */
  async openProblems() {
    const { page } = this;
    const panel = page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await page.keyboard.press('Control+Shift+M');
      await panel.waitFor();
    }
    return panel;
  }

  /**
   * Shows only the Problems rows that mention `text`, with the panel's filter box: the list is
   * virtualised, and a row below its fold is never visible to wait for.
   */
  async filterProblems(text) {
    const input = this.page.locator('.part.panel .viewpane-filter input, .part.panel .viewpane-filter textarea').first();
    await input.waitFor();
    await input.fill(text);
  }

  /** Locator of the Problems rows that mention `code` (e.g. nginx(ws-missing-upgrade)), and `text` when given. */
  problemRows(code, text) {
    const rows = this.page.locator('.markers-panel .monaco-list-row', { hasText: code });
    return text ? rows.filter({ hasText: text }) : rows;
  }
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
