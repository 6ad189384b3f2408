/**
 * Routing against the real nginx: a configuration reduced to what routes a request (servers, their
 * listens on loopback ports, names, merge_slashes, locations with `internal`), each location
 * answering `return 200 "<id>"` and each server naming itself in an `X-Route` header, served by a
 * real nginx on 127.0.0.1 / ::1 while bounded batches of requests are sent to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Configuration, Placed } from '../../server/src/analysis/rules/load/configuration';
import { listenAddress } from '../../server/src/analysis/rules/load/servers/listenAddress';

/** Locations get `L<n>`, servers `S<n>`, in reading order. */
export interface Skeleton {
  /** The http block's servers, one after the other. */
  text: string;
  ids: Map<Placed, string>;
  /** The loopback port that stands for each port of the configuration. */
  ports: Map<number, number>;
}

/** Directives that make a location's name with `/` redirect its name without it (auto_redirect): one stands for them all. */
const PASS_DIRECTIVES = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass', 'grpc_pass']);
/** Never connected: `return` answers in the rewrite phase, before any proxying. */
const UNUSED_UPSTREAM = 'http://127.0.0.1:9';

const raw = (placed: Placed) => placed.directive.args.map((arg) => placed.file.text.slice(arg.start, arg.end)).join(' ');

/**
 * The routing skeleton of a configuration's http servers, or why it cannot stand for it: a listen
 * on a host name or a specific address (loopback cannot stand for the wildcard then).
 */
export function routingSkeleton(configuration: Configuration, nextPort: () => number): Skeleton | string {
  const children = new Map<Placed | undefined, Placed[]>();
  for (const placed of configuration.directives) {
    const list = children.get(placed.parent) ?? [];
    list.push(placed);
    children.set(placed.parent, list);
  }
  const ids = new Map<Placed, string>();
  const ports = new Map<number, number>();
  const portFor = (port: number) => {
    if (!ports.has(port)) ports.set(port, nextPort());
    return ports.get(port)!;
  };
  const http = configuration.directives.find((placed) => placed.directive.name.value === 'http' && placed.directive.block);
  const httpMerge = (children.get(http) ?? []).find((placed) => placed.directive.name.value === 'merge_slashes');
  const lines: string[] = [];
  let servers = 0;
  let locations = 0;
  const location = (placed: Placed, indent: string): void => {
    const id = `L${++locations}`;
    ids.set(placed, id);
    lines.push(`${indent}location ${raw(placed)} {`, `${indent}  return 200 "${id}";`);
    for (const child of children.get(placed) ?? []) {
      const name = child.directive.name.value;
      if (name === 'internal') lines.push(`${indent}  internal;`);
      if (PASS_DIRECTIVES.has(name)) lines.push(`${indent}  proxy_pass ${UNUSED_UPSTREAM};`);
      if (name === 'location' && child.directive.block) location(child, `${indent}  `);
    }
    lines.push(`${indent}}`);
  };
  for (const server of configuration.directives) {
    if (server.directive.name.value !== 'server' || !server.directive.block || server.parent !== http || !http) continue;
    const id = `S${++servers}`;
    ids.set(server, id);
    lines.push('server {', `  add_header X-Route "${id}" always;`);
    const own = children.get(server) ?? [];
    let listens = 0;
    for (const child of own) {
      const name = child.directive.name.value;
      if (name === 'listen') {
        const [address, ...flags] = child.directive.args.map((arg) => arg.value);
        const text = listenAddress(address);
        if (!text) return `listen ${address}: not an address loopback can stand for`;
        const colon = text.lastIndexOf(':');
        const host = text.slice(0, colon);
        if (host !== '0.0.0.0' && host !== '[::]') return `listen ${address}: a specific address`;
        const loopback = host === '[::]' ? '[::1]' : '127.0.0.1';
        const kept = flags.filter((flag) => flag === 'default_server' || flag === 'default');
        lines.push(`  listen ${loopback}:${portFor(Number(text.slice(colon + 1)))} ${kept.join(' ')};`);
        listens++;
      } else if (name === 'server_name') {
        if (child.directive.args.some((arg) => arg.value === '$hostname')) return 'server_name $hostname';
        lines.push(`  server_name ${raw(child)};`);
      } else if (name === 'merge_slashes') lines.push(`  merge_slashes ${raw(child)};`);
      else if (name === 'location' && child.directive.block) location(child, '  ');
    }
    // ngx_http_core_merge_srv_conf(): no listen is *:80 (nginx runs as root in the tests).
    if (listens === 0) lines.push(`  listen 127.0.0.1:${portFor(80)};`);
    if (httpMerge && !own.some((child) => child.directive.name.value === 'merge_slashes')) lines.push(`  merge_slashes ${raw(httpMerge)};`);
    lines.push('}');
  }
  return { text: lines.join('\n'), ids, ports };
}

/** How long nginx may take to start listening, and a request to be answered. */
export const START_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 5_000;
/** Requests in flight at once. */
const CONCURRENCY = 8;

export interface RunningNginx {
  stop(): Promise<void>;
  /** nginx's error log so far (why it did not start). */
  log(): string;
}

/** Starts `binary` on `httpBody` (servers) in a fresh prefix, and resolves once `probePort` accepts connections. */
export async function startNginx(binary: string, httpBody: string, probePort: number): Promise<RunningNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'routing-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(prefix, kind)};`);
  const conf = [
    `pid ${join(prefix, 'nginx.pid')};`,
    `error_log ${join(prefix, 'logs/error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    ...temp,
    httpBody,
    '}',
  ].join('\n');
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(binary, ['-p', `${prefix}/`, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off; master_process off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => {
    try {
      return stderr + readFileSync(join(prefix, 'logs/error.log'), 'utf8');
    } catch {
      return stderr;
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await accepts(probePort)) return { stop, log };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const why = log();
  await stop();
  throw new Error(`nginx did not start: ${why}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Probe {
  port: number;
  /** The Host header (HTTP/1.1 requires one). */
  host: string;
  /** The request target as sent (ASCII). */
  path: string;
}

export interface Answer {
  status: number;
  body: string;
  server?: string;
}

/** Sends every probe (a few at a time) and collects the answers in order. */
export async function sendAll(probes: readonly Probe[]): Promise<Answer[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const answers: Answer[] = new Array(probes.length);
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const index = next++;
      answers[index] = await send(probes[index], agent);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
  return answers;
}

function send(probe: Probe, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1', port: probe.port, path: probe.path, agent, timeout: REQUEST_TIMEOUT_MS,
      headers: { Host: probe.host },
      setHost: false,
    }, (response) => {
      let body = '';
      response.setEncoding('latin1');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, server: response.headers['x-route'] as string | undefined }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms to ${probe.path}`)));
    request.on('error', reject);
    request.end();
  });
}
