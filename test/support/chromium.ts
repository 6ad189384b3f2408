// Headless Chromium (Debian's `chromium`, as the e2e suite uses) driven over the DevTools protocol
// through --remote-debugging-pipe: JSON messages ended by NUL on file descriptors 3 (in) and 4 (out).
// Only what the browser tests need: open a page, evaluate in it, take a screenshot.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

interface Reply {
  id?: number;
  method?: string;
  sessionId?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export class Chromium {
  private readonly process: ChildProcess;
  private readonly profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-browser-test-'));
  private readonly pending = new Map<number, { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  private readonly eventWaiters: Array<{ method: string; wake: () => void }> = [];
  private nextId = 1;
  private buffered = '';
  /** What the page printed to its console, for failure messages. */
  readonly console: string[] = [];

  constructor() {
    this.process = spawn(CHROMIUM, [
      '--headless', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu', '--no-first-run',
      // No connections of its own (this machine refuses them) and no helpers left writing to the profile.
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${this.profile}`, 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    (this.process.stdio[4] as Readable).on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8')));
  }

  private receive(text: string): void {
    const parts = (this.buffered + text).split('\0');
    this.buffered = parts.pop()!;
    for (const part of parts) {
      const message = JSON.parse(part) as Reply;
      const waiter = message.id !== undefined ? this.pending.get(message.id) : undefined;
      if (waiter) {
        this.pending.delete(message.id!);
        if (message.error) waiter.reject(new Error(message.error.message));
        else waiter.resolve(message.result ?? {});
      } else if (message.method === 'Runtime.consoleAPICalled') {
        const params = (message as { params?: { args?: Array<{ value?: unknown }> } }).params;
        this.console.push((params?.args ?? []).map((arg) => String(arg.value)).join(' '));
      } else if (message.method) {
        for (const [index, waiting] of this.eventWaiters.entries()) {
          if (waiting.method === message.method) {
            this.eventWaiters.splice(index, 1);
            waiting.wake();
            break;
          }
        }
      }
    }
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    (this.process.stdio[3] as Writable).write(JSON.stringify({ id, method, params, sessionId }) + '\0');
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private nextEvent(method: string): Promise<void> {
    return new Promise((wake) => this.eventWaiters.push({ method, wake }));
  }

  /** Opens `url` in a new page and waits for its load event; the session id of the page. */
  async open(url: string): Promise<string> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    await this.send('Page.enable', {}, sessionId);
    await this.send('Runtime.enable', {}, sessionId);
    const loaded = this.nextEvent('Page.loadEventFired');
    await this.send('Page.navigate', { url }, sessionId);
    await loaded;
    return sessionId;
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const { result, exceptionDetails } = (await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId)) as {
      result: { value: T };
      exceptionDetails?: { exception?: { description?: string }; text: string };
    };
    if (exceptionDetails) throw new Error(`${exceptionDetails.exception?.description ?? exceptionDetails.text}\n${this.console.join('\n')}`);
    return result.value;
  }

  async screenshot(sessionId: string, file: string): Promise<void> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, sessionId)) as { data: string };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(data, 'base64'));
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    // Asked to close, Chromium stops its helper processes and finishes with its profile; killed, it may not.
    void this.send('Browser.close').catch(() => undefined);
    const killer = setTimeout(() => this.process.kill(), 5_000);
    await exited;
    clearTimeout(killer);
    // Chromium's helper processes may still write into the profile for a while after it exits: a
    // profile left in the temp folder is no failure of the test.
    try {
      fs.rmSync(this.profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    } catch (error) {
      console.warn(`Chromium's profile ${this.profile} not removed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
