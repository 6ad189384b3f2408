// The real nginx serving a configuration on loopback, for tests that check what a request gets
// (not only what `nginx -t` accepts). Requests are written as raw bytes, so that a path such as
// `/static../x` or `%0A` reaches nginx as written.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
/** How long nginx may take to start listening before the test gives up. */
const START_TIMEOUT_MS = 10_000;
const POLL_MS = 25;

export interface LiveNginx {
  /** The temporary prefix: the configuration and `files` live under it. */
  prefix: string;
  /** Sends a raw HTTP/1.0 request for `target` (with extra header lines) and returns the raw response. */
  request(target: string, headers?: string[]): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function rawRequest(port: number, target: string, headers: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    socket.on('connect', () => socket.write([`GET ${target} HTTP/1.0`, 'Host: localhost', ...headers, '', ''].join('\r\n')));
    socket.on('data', (chunk) => (response += chunk.toString('latin1')));
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
  });
}

/**
 * Starts nginx on a free loopback port with `config` (its `PORT` and `PREFIX` replaced by the port
 * and the temporary prefix), after writing `files` (relative paths) under the prefix.
 */
export async function startNginx(config: string, files: Record<string, string> = {}): Promise<LiveNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'live-nginx-'));
  const port = await freePort();
  for (const [name, text] of Object.entries({ ...files, 'logs/.keep': '' })) {
    mkdirSync(dirname(join(prefix, name)), { recursive: true });
    writeFileSync(join(prefix, name), text);
  }
  writeFileSync(join(prefix, 'nginx.conf'), config.replaceAll('PORT', String(port)).replaceAll('PREFIX', prefix));
  const global = `daemon off; master_process off; pid ${prefix}/nginx.pid;`;
  const child: ChildProcess = spawn(NGINX, ['-p', `${prefix}/`, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr', '-g', global], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`nginx exited: ${stderr}`);
    }
    const listening = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (listening) break;
    if (Date.now() - started > START_TIMEOUT_MS) {
      await stop();
      throw new Error(`nginx did not listen on ${port}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { prefix, request: (target, headers = []) => rawRequest(port, target, headers), stop };
}

/** The status code of a raw response. */
export const statusOf = (response: string) => Number(/^HTTP\/1\.\d (\d{3})/.exec(response)?.[1]);
/** The body of a raw response. */
export const bodyOf = (response: string) => response.slice(response.indexOf('\r\n\r\n') + 4);
