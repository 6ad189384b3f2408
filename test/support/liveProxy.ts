// A real nginx proxying to a loopback backend that records what it receives: the live checks of
// the WebSocket rules. Everything listens on 127.0.0.1; nginx runs in the foreground with its pid,
// logs and temp files inside a temporary prefix, and is stopped by the test.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nginxBinaries, type NginxBinary } from './nginxBuilds';

/** The end of an HTTP head. */
const HEAD_END = '\r\n\r\n';
/** RFC 6455, 1.3: the GUID appended to Sec-WebSocket-Key for Sec-WebSocket-Accept. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Tries to connect to nginx before giving up on its start: 100 tries, READY_POLL_MS apart. */
const READY_TRIES = 100;
const READY_POLL_MS = 50;
/** A request answered by nothing is given up after this long (the test then fails on its status). */
const RESPONSE_TIMEOUT_MS = 5000;

/** One request as the backend received it: method and path, header names lowercase. */
export interface Received {
  requestLine: string;
  headers: Record<string, string>;
}

/**
 * A strict upgrade-capable backend: 101 for a valid WebSocket handshake (HTTP/1.1, Upgrade:
 * websocket, Connection with the upgrade token, a Sec-WebSocket-Key) and for an h2c request (as an HTTP/2
 * server with h2c would answer); 200 with Connection: close otherwise.
 */
export class RecordingBackend {
  readonly received: Received[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  /** `responseDelayMs`: how long the backend stays silent before it answers (for read timeouts). */
  private constructor(private readonly responseDelayMs: number) {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      let head = '';
      socket.on('data', (chunk) => {
        if (head.includes(HEAD_END)) return;
        head += chunk.toString('latin1');
        if (!head.includes(HEAD_END)) return;
        const answer = this.answer(parseHead(head));
        if (this.responseDelayMs > 0) setTimeout(() => socket.end(answer), this.responseDelayMs);
        else socket.end(answer);
      });
    });
  }

  static async start(responseDelayMs = 0): Promise<RecordingBackend> {
    const backend = new RecordingBackend(responseDelayMs);
    await new Promise<void>((resolve) => backend.server.listen(0, '127.0.0.1', resolve));
    return backend;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  private answer(request: Received): string {
    this.received.push(request);
    const upgrade = request.headers.upgrade?.toLowerCase();
    const connectionUpgrades = /(?:^|,)\s*upgrade\s*(?:,|$)/i.test(request.headers.connection ?? '');
    // RFC 6455, 4.1: the handshake is an HTTP/1.1 (or later) GET.
    const http11 = / HTTP\/1\.1$/.test(request.requestLine);
    if (http11 && upgrade === 'websocket' && connectionUpgrades && request.headers['sec-websocket-key']) {
      const accept = createHash('sha1').update(request.headers['sec-websocket-key'] + WEBSOCKET_GUID).digest('base64');
      return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}${HEAD_END}`;
    }
    if (upgrade === 'h2c' && connectionUpgrades) return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade${HEAD_END}`;
    return `HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close${HEAD_END}ok`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function parseHead(head: string): Received {
  const [requestLine, ...lines] = head.slice(0, head.indexOf(HEAD_END)).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    // Repeated headers are joined as HTTP does (RFC 9110, 5.3).
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { requestLine, headers };
}

/** A port free on 127.0.0.1 right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The status code nginx answers `request` with (the connection is closed after the head). */
export function statusOf(port: number, request: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let head = '';
    const done = (status: number | undefined) => {
      socket.destroy();
      resolve(status);
    };
    socket.setTimeout(RESPONSE_TIMEOUT_MS, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n')) done(Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]) || undefined);
    });
  });
}

/** A WebSocket opening handshake (RFC 6455, 4.1) for `path`. */
export const webSocketHandshake = (path: string, host = 'localhost') =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13${HEAD_END}`;

/** An HTTP/1.1 request that asks for HTTP/2 over cleartext (RFC 7540, 3.2): the h2c smuggling request. */
export const h2cUpgradeRequest = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA${HEAD_END}`;

/** A running nginx: its `files` written into a temp prefix, `nginx.conf` the main one. */
export class LiveNginx {
  private constructor(private readonly process: ChildProcess, private readonly prefix: string, readonly output: () => string) {}

  /**
   * Starts `binary` on the files (relative names); the main config must have `pid`, `error_log`
   * and the temp paths relative to the prefix (liveMain() writes them). Rejects with nginx's
   * output when it does not come up on `port`.
   */
  static async start(binary: string, files: Record<string, string>, port: number): Promise<LiveNginx> {
    const prefix = mkdtempSync(join(tmpdir(), 'nginx-live-'));
    // nginx creates each temp path's last folder only (ngx_create_paths()).
    mkdirSync(join(prefix, 'temp'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(prefix, name)), { recursive: true });
      writeFileSync(join(prefix, name), text);
    }
    // -e: the error log before the configuration is read, inside the prefix (nginx 1.19.5+).
    const child = spawn(binary, ['-p', `${prefix}/`, '-e', 'error.log', '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const nginx = new LiveNginx(child, prefix, () => output);
    for (let tries = 0; tries < READY_TRIES; tries++) {
      if (child.exitCode !== null) break;
      if (await accepts(port)) return nginx;
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    await nginx.stop();
    throw new Error(`nginx did not start on 127.0.0.1:${port}:\n${output}`);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGTERM');
      await exited;
    }
    rmSync(this.prefix, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * A main config for a live run: `http` body lines inside, and the pid, logs and temp paths in the
 * prefix (relative paths resolve there), one worker.
 */
export function liveMain(httpBody: readonly string[]): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `    ${name}_temp_path temp/${name};`);
  return [
    'worker_processes 1;', 'pid nginx.pid;', 'error_log error.log;',
    'events { worker_connections 64; }',
    'http {', '    access_log off;', ...temp, ...httpBody, '}', '',
  ].join('\n');
}

/** Debian's nginx and the newest source build: the two releases the live checks run on, or why one is skipped. */
export function liveJudges(): Array<{ binary?: NginxBinary; version: string; skip: string | false }> {
  const { binaries } = nginxBinaries();
  const debian = binaries.find((binary) => binary.debian);
  const built = binaries.filter((binary) => !binary.debian).at(-1);
  return [
    { binary: debian, version: debian?.version ?? '1.22.1', skip: debian ? false : 'Debian nginx not installed' },
    { binary: built, version: built?.version ?? 'source build', skip: built ? false : 'no nginx built from ../shared/nginx-src (node scripts/build-nginx.mjs)' },
  ];
}

/** Written in the analysed configs; replaced by the real ports for a run. */
export const BACKEND_ADDRESS = '127.0.0.1:3000';
export const LISTEN_ADDRESS = '127.0.0.1:8080';

/**
 * Runs `config` (a main config with BACKEND_ADDRESS and LISTEN_ADDRESS) on `binary`, sends one
 * request, stops nginx, and returns nginx's status and what the backend received.
 */
export async function exchange(binary: NginxBinary, config: string, backend: RecordingBackend, request: string) {
  const port = await freePort();
  const text = config.replaceAll(BACKEND_ADDRESS, `127.0.0.1:${backend.port}`).replaceAll(LISTEN_ADDRESS, `127.0.0.1:${port}`);
  const nginx = await LiveNginx.start(binary.path, { 'nginx.conf': text }, port);
  try {
    backend.received.length = 0;
    const status = await statusOf(port, request);
    return { status, received: [...backend.received] };
  } finally {
    await nginx.stop();
  }
}

/** `nginx -t` by `binary` on `files` (relative names, `nginx.conf` the main one) in a temp prefix. */
export function configTest(binary: NginxBinary, files: Record<string, string>): { ok: boolean; output: string } {
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-t-'));
  // A source build's compiled-in pid file is logs/nginx.pid in the prefix.
  mkdirSync(join(prefix, 'logs'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(prefix, name)), { recursive: true });
      writeFileSync(join(prefix, name), text);
    }
    const run = spawnSync(binary.path, ['-t', '-q', '-p', `${prefix}/`, '-e', 'stderr', '-c', join(prefix, 'nginx.conf')], { encoding: 'utf8' });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}
