// Spawns the built server (dist/server.js --stdio) and speaks JSON-RPC to it, as any editor would.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver';
import { SERVER_ENVIRONMENT } from '../../server/src/node/serverEnvironment';

export const serverPath = path.resolve(__dirname, '../../dist/server.js');

export class LspClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcess;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics notification, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** When each of `published` arrived (performance.now()), to time staged or repeated publications. */
  readonly publishedAt: number[] = [];
  private readonly waiters: Array<() => void> = [];
  stderr = '';
  /** Every diagnostics notification and request result the server sent, to check the URIs in them. */
  readonly received: unknown[] = [];
  /** Settles when the server process has exited. */
  readonly exited: Promise<void>;

  /** `environment`: the server's; by default this process's with what the VS Code client adds (client/src/extension.ts). */
  constructor(environment: NodeJS.ProcessEnv = { ...process.env, ...SERVER_ENVIRONMENT }) {
    this.process = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe', env: environment });
    this.process.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.process.on('exit', () => resolve()));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      this.published.push(params);
      this.publishedAt.push(performance.now());
      this.received.push(params);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.connection.onRequest('workspace/configuration', () => []);
    this.connection.listen();
  }

  /** The server process's id (to read its memory from /proc, say). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /**
   * `initializationOptions` as an editor's client sends them (VS Code's: `{ workspaceTrusted }`);
   * `processId`: the editor's process, whose death stops the server (this test process by default);
   * `textDocument`: client capabilities besides diagnostics' related information.
   */
  async initialize(rootPath?: string, initializationOptions?: unknown, processId = process.pid, textDocument: Record<string, unknown> = {}): Promise<InitializeResult> {
    const rootUri = rootPath ? pathToFileURL(rootPath).href : null;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'test' }] : null,
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true }, ...textDocument } },
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'nginx', version, text },
    });
  }

  /** Waits for the diagnostics of `uri` at `version` (the server publishes versioned results). */
  async diagnosticsFor(uri: string, version = 1): Promise<Diagnostic[]> {
    for (;;) {
      const published = this.diagnostics.get(uri);
      if (published && published.version === version) return published.diagnostics;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits for a publication of `uri` whose diagnostics pass `accept` (any document version), and returns them. */
  async waitForPublished(uri: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    for (;;) {
      const latest = this.published.filter((params) => params.uri === uri).pop();
      if (latest && accept(latest.diagnostics)) return latest.diagnostics;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The URIs diagnostics were published for, with what was published last. */
  get allPublished(): ReadonlyMap<string, PublishDiagnosticsParams> {
    return this.diagnostics;
  }

  /** Sends `nginx` settings and waits for the diagnostics of `uri` published after them. */
  async configure(settings: Record<string, unknown>, uri: string, version = 1): Promise<Diagnostic[]> {
    this.diagnostics.delete(uri);
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { nginx: settings } });
    return this.diagnosticsFor(uri, version);
  }

  async request<R>(method: string, params: unknown): Promise<R> {
    const result = await this.connection.sendRequest<R>(method, params);
    this.received.push(result);
    return result;
  }

  /** Sends `signal` to the server process. */
  kill(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }

  /** Closes the server's standard input, as an editor that dies does. */
  closeInput(): void {
    this.process.stdin!.end();
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.process.kill();
    }
  }
}
