/**
 * Benchmark (issues 7 and 13): `npm run bench`. Figures are printed, never asserted.
 *
 * Two generated configurations of the same size (2,000 servers × 12 locations, upstreams, maps,
 * WebSocket locations; about 128k lines / 4 MB, the same on every run):
 *   - "regex + TLS": a TLS listener with a certificate on every 4th server, regex locations, regex maps
 *     and rewrites: work `nginx -t` does (certificates loaded, PCRE compiled) that our analysis never does;
 *   - "plain": the same lines and about the same bytes with none of that (prefix locations, plain maps).
 * For each, the real `nginx -t` (median of 3, wall and CPU), then the built server (dist/server.js
 * --stdio, in the environment the VS Code client starts it with) driven as an editor would, each
 * figure printed as a latency and as a ratio to that configuration's `nginx -t`, with its goal (issue 13): didOpen → diagnostics, one-line edits → the
 * diagnostics of their version, a hover sent while an edit's analysis runs, hovers, completions and
 * code actions at rest, the server's peak memory. The largest size is run once more with the server
 * started as another editor starts it (without the client's environment), for its peak memory. The
 * same at 1/100 and 1/10 of the size gives the scaling table. Last, the CLI over the whole shared corpus.
 *
 *   BENCH_SERVERS=N   only that size (default: 20, 200 and 2,000 servers)
 *   --json FILE       also write every figure to FILE, as one JSON line
 *   --write DIR       only write the generated configurations to DIR/tls and DIR/plain, for profiling
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { analyze } from '../../server/src/analysis/analyze';
import { Workspace } from '../../server/src/analysis/workspace';
import { parse, walk, LineIndex, type Position, type Range } from '../../server/src/parser';
import { nodeFileSystem } from '../../server/src/nodeFileSystem';
import { SERVER_ENVIRONMENT } from '../../server/src/node/serverEnvironment';
import { CORPUS_DIR } from '../support/corpus';
import { LspClient } from '../support/lspClient';
import { nginxAvailable, testCertificates } from '../support/nginx';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const REPO_ROOT = resolve(__dirname, '../..');
const FULL_SIZE = 2000;
const SIZES = process.env.BENCH_SERVERS ? [Number(process.env.BENCH_SERVERS)] : [FULL_SIZE / 100, FULL_SIZE / 10, FULL_SIZE];
/** The server's debounce before it validates (server.ts DEBOUNCE_MS): part of every diagnostics latency. */
const DEBOUNCE_MS = 150;
/** A hover sent this long after an edit arrives while the edit's analysis runs (just past the debounce). */
const HOVER_AFTER_EDIT_MS = DEBOUNCE_MS + 10;
// Open, EDITS edits, then HOVERS + COMPLETIONS + CODE_ACTIONS = 400 requests: the issue's memory scenario.
const EDITS = 10;
/**
 * What each edit changes: a value in a WebSocket location; a one-line server (ADDED_SERVER) added at
 * the http level or removed again, outside every server; or the http level's keepalive_timeout, which
 * every server inherits.
 */
const EDIT_KINDS: readonly EditKind[] = ['location', 'server', 'location', 'server', 'http', 'location', 'server', 'location', 'server', 'http'];
type EditKind = 'location' | 'server' | 'http';
const EDIT_KIND_NAMES: Record<EditKind, string> = {
  location: 'a value in a WebSocket location',
  server: 'a server added or removed at the http level',
  http: 'a value at the http level that every server inherits',
};
const ADDED_SERVER = '    server { listen 127.0.0.1:19999; server_name added.bench.test; }\n';
const HTTP_LEVEL_VALUE = '    keepalive_timeout ';
const HOVERS = 150;
const COMPLETIONS = 150;
const CODE_ACTIONS = 100;
/**
 * While a code action costs an analysis (seconds at full size), fewer are sent: as many as fit in this
 * budget by the time of a first one, at least MIN_CODE_ACTIONS; the bench stays within minutes.
 */
const CODE_ACTION_BUDGET_MS = 10_000;
const MIN_CODE_ACTIONS = 10;
const NGINX_RUNS = 3;
/**
 * The server is done with a version when it has gone this long without publishing and with under
 * IDLE_CPU_MS of CPU (all its threads): longer than the debounce, so that a later stage of the same
 * version, computing or debounced, would have shown. Capped, so that a busy server cannot hang the bench.
 */
const IDLE_WINDOW_MS = DEBOUNCE_MS + 100;
const IDLE_CPU_MS = 20;
const IDLE_POLL_MS = 50;
const IDLE_CAP_MS = 60_000;

type Goal = { timesNginx: number } | { atMost: number; unit: 'ms' | 'MB' };
const GOALS = {
  open: { timesNginx: 0.5 },
  edit: { timesNginx: 0.6 },
  hoverWhileAnalysing: { atMost: 50, unit: 'ms' },
  hover: { atMost: 10, unit: 'ms' },
  completion: { atMost: 20, unit: 'ms' },
  codeAction: { atMost: 10, unit: 'ms' },
  rssMb: { atMost: 300, unit: 'MB' },
} satisfies Record<string, Goal>;

// ---------------------------------------------------------------------------------------------
// The generated configurations

type Kind = 'tls' | 'plain';
const KINDS: Kind[] = ['tls', 'plain'];
const KIND_NAMES: Record<Kind, string> = { tls: 'regex + TLS', plain: 'plain' };

interface Certificates {
  cert: string;
  key: string;
}

/**
 * One site: an upstream, a server with 12 locations (3 of them WebSocket), every 10th a map. Written
 * as a careful operator writes them (Upgrade passed for "websocket" only, keep-alive to the upstreams,
 * dotfiles denied), with deliberate mistakes in a few sites: the findings stay under the cap of 500, so
 * that every rule runs on the whole file, as on a user's config that has few problems. In the
 * plain kind, each line that makes nginx load a certificate or compile a regex is replaced by a line
 * of about the same length that does neither, so both kinds have the same lines and about the same bytes.
 */
/** The security header of the servers that listen on a second port (with TLS: HSTS). */
const SECURITY_HEADER: Record<Kind, string> = {
  tls: 'add_header Strict-Transport-Security "max-age=63072000" always;',
  plain: 'add_header X-Content-Type-Options "nosniff" always;',
};

function site(i: number, kind: Kind, certs: Certificates): string[] {
  const either = (tls: string, plain: string) => (kind === 'tls' ? tls : plain);
  const app = `app_${i}`;
  const port = 9000 + (i % 1000);
  const name = `s${i}.bench.test`;
  const lines = [
    `    # site ${i}`,
    `    upstream ${app} {`,
    `        server 127.0.0.1:${port} max_fails=3 fail_timeout=10s;`,
    `        keepalive 16;`,
    `    }`,
  ];
  if (i % 10 === 0) {
    lines.push(
      `    map $http_x_tenant $tenant_${i} {`,
      `        default "";`,
      either(`        ~^(?<t>[a-z]+)-prod$ $t;`, `        acme-prod acme-tenant;`),
      `        beta beta;`,
      `    }`,
    );
  }
  lines.push(
    `    server {`,
    `        listen 127.0.0.1:${20000 + i};`,
    ...(i % 4 === 0
      ? kind === 'tls'
        ? [`        listen 127.0.0.1:${40000 + i} ssl;`, `        ssl_certificate ${certs.cert};`, `        ssl_certificate_key ${certs.key};`, `        ssl_protocols TLSv1.2 TLSv1.3;`, `        ${SECURITY_HEADER.tls}`]
        : [`        listen 127.0.0.1:${40000 + i};`, `        error_page 502 503 504 /50x.html;`, `        add_header X-Served-By ${name} always;`, `        keepalive_requests 1000;`, `        ${SECURITY_HEADER.plain}`]
      : []),
    `        server_name ${name} www.${name};`,
    `        root html/s${i};`,
    `        index index.html index.htm;`,
    `        access_log off;`,
    `        client_max_body_size ${1 + (i % 50)}m;`,
    `        location / {`,
    `            try_files $uri $uri/ /index.html;`,
    `        }`,
    either(`        location ~ /\\.(?!well-known/) { deny all; }`, `        location /. { deny all; }`),
    `        location /api/ {`,
    `            proxy_pass http://${app};`,
    `            proxy_http_version 1.1;`,
    // Every 25th site's API requests close the upstream connection: its keep-alive does nothing.
    ...(i % 25 === 0 ? [] : [`            proxy_set_header Connection "";`]),
    `            proxy_set_header Host $host;`,
    `            proxy_set_header X-Real-IP $remote_addr;`,
    `            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`,
    `        }`,
    `        location /ws/ {`,
    `            proxy_pass http://${app};`,
    `            proxy_http_version 1.1;`,
    `            proxy_set_header Upgrade $websocket_upgrade;`,
    `            proxy_set_header Connection $websocket_connection;`,
    `            proxy_set_header Host $host;`,
    `            proxy_read_timeout 3600s;`,
    `        }`,
    `        location /socket.io/ {`,
    `            proxy_pass http://127.0.0.1:${port};`,
    `            proxy_http_version 1.1;`,
    `            proxy_set_header Upgrade $websocket_upgrade;`,
    // Every 7th site forgets the Connection header: the server has something to report.
    ...(i % 7 === 0 ? [] : [`            proxy_set_header Connection $websocket_connection;`]),
    `            proxy_read_timeout 600s;`,
    `        }`,
    either(`        location ~ ^/live/(?<channel>[a-z0-9]+)$ {`, `        location /live/channels/by-name/ {`),
    either(`            proxy_pass http://${app}/stream/$channel;`, `            proxy_pass http://${app}/stream/;`),
    `            proxy_http_version 1.1;`,
    `            proxy_set_header Upgrade $websocket_upgrade;`,
    `            proxy_set_header Connection $websocket_connection;`,
    `            proxy_read_timeout 1h;`,
    `        }`,
    either(`        location ~* \\.(?:css|js|png|jpe?g|gif|svg|woff2?)$ {`, `        location ^~ /assets/css-js-png-jpeg-gif-svg-woff/ {`),
    `            expires 7d;`,
    `            add_header Cache-Control "public, max-age=604800";`,
    // A location with headers of its own inherits none: the server's security header is repeated.
    ...(i % 4 === 0 ? [`            ${SECURITY_HEADER[kind]}`] : []),
    `        }`,
    `        location = /health { access_log off; return 200 "ok\\n"; }`,
    `        location /static/ { alias html/static/; autoindex off; }`,
    `        location /admin/ { allow 127.0.0.1; deny all; proxy_pass http://${app}; }`,
    either(`        location /old/ { rewrite ^/old/(.*)$ /new/$1 permanent; }`, `        location /old/ { return 301 /new/$is_args$args; }`),
    `        location /download/ {`,
    `            limit_rate 1m;`,
    `            if ($arg_token = "") {`,
    `                return 403;`,
    `            }`,
    `        }`,
    `    }`,
  );
  return lines;
}

export function generateConfig(servers: number, kind: Kind, certs: Certificates): string {
  const lines = [
    `# Generated by test/bench/bench.ts: a large configuration for the benchmark (${KIND_NAMES[kind]}).`,
    'worker_processes 1;',
    'error_log logs/error.log;',
    'pid logs/nginx.pid;',
    '',
    'events {',
    '    worker_connections 8192;',
    '}',
    '',
    'http {',
    '    include mime.types;',
    '    default_type application/octet-stream;',
    '    sendfile on;',
    '    keepalive_timeout 65;',
    '    server_names_hash_max_size 65536;',
    '    server_names_hash_bucket_size 128;',
    '    variables_hash_max_size 4096;',
    '    client_body_temp_path tmp/body;',
    '    proxy_temp_path tmp/proxy;',
    '    fastcgi_temp_path tmp/fastcgi;',
    '    uwsgi_temp_path tmp/uwsgi;',
    '    scgi_temp_path tmp/scgi;',
    '',
    // HTTP/1.1 and no Connection header to the upstreams, whose keep-alive then works; Upgrade and
    // Connection passed for the WebSocket protocol only.
    '    proxy_http_version 1.1;',
    "    proxy_set_header Connection '';",
    '    map $http_upgrade $websocket_upgrade {',
    '        default   "";',
    '        websocket $http_upgrade;',
    '    }',
    '    map $http_upgrade $websocket_connection {',
    '        default   "";',
    '        websocket upgrade;',
    '    }',
    '',
  ];
  for (let i = 0; i < servers; i++) lines.push(...site(i, kind, certs), '');
  lines.push('}', '');
  return lines.join('\n');
}

const MIME_TYPES = 'types {\n    text/html html htm;\n    text/css css;\n    application/javascript js;\n    image/png png;\n}\n';

/** Writes nginx.conf, mime.types and a copy of the test certificate into `dir`; returns nginx.conf's path. */
function writeConfig(dir: string, servers: number, kind: Kind, certificates: Certificates): string {
  for (const sub of ['logs', 'tmp', 'certs']) mkdirSync(join(dir, sub), { recursive: true });
  const certs = { cert: join(dir, 'certs/cert.pem'), key: join(dir, 'certs/key.pem') };
  copyFileSync(certificates.cert, certs.cert);
  copyFileSync(certificates.key, certs.key);
  const main = join(dir, 'nginx.conf');
  writeFileSync(main, generateConfig(servers, kind, certs));
  writeFileSync(join(dir, 'mime.types'), MIME_TYPES);
  return main;
}

// ---------------------------------------------------------------------------------------------
// Measuring

const now = () => performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const median = (samples: number[]) => percentile(samples, 50);

/** A /proc file's text, or '' when its process is gone. */
function readProc(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The ids of the processes `pid` started, and theirs (from /proc/PID/stat's parent field). */
function descendants(pid: number): number[] {
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      const stat = readProc(`/proc/${entry}/stat`);
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    })
    .map(Number);
  return [...children, ...children.flatMap(descendants)];
}

/**
 * Peak resident memory so far (VmHWM), in MB, of the server process (worker threads included: they
 * share its memory) and of any live child process it started.
 */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/status`)) return undefined;
  const kb = [pid, ...descendants(pid)].map((id) => Number(/^VmHWM:\s+(\d+) kB/m.exec(readProc(`/proc/${id}/status`))?.[1] ?? 0));
  return kb.reduce((a, b) => a + b, 0) / 1024;
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux). */
const TICKS = 100;

/**
 * CPU time in ms from /proc/PID/stat (all threads): the process's own (utime + stime), or that of
 * its reaped children (cutime + cstime) - for this process, the children spawnSync waited for. On a
 * busy machine wall times stretch; CPU times show the work done.
 */
function cpuMs(pid: number | undefined, children = false): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), from field 3 on.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  const [utime, stime, cutime, cstime] = fields.slice(11, 15);
  return ((children ? cutime + cstime : utime + stime) * 1000) / TICKS;
}

const cpuDelta = (before: number | undefined, after: number | undefined) =>
  before === undefined || after === undefined ? undefined : after - before;

function machine(): { cpu: string; cores: number; ramGiB: number; node: string; nginx: string } {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nginx = nginxAvailable() ? spawnSync(NGINX, ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: /, '') : 'not installed';
  return { cpu: model, cores: cpus().length, ramGiB: Number((totalmem() / 2 ** 30).toFixed(1)), node: process.version, nginx: `${nginx} (${NGINX})` };
}

interface NginxTimes {
  wallMs: number;
  cpuMs?: number;
  runsMs: number[];
  ok: boolean;
  output: string;
}

function timeNginx(prefix: string, main: string): NginxTimes {
  const runsMs: number[] = [];
  const cpu: number[] = [];
  let ok = true;
  let output = '';
  for (let run = 0; run < NGINX_RUNS; run++) {
    const cpuBefore = cpuMs(process.pid, true);
    const start = now();
    const result = spawnSync(NGINX, ['-t', '-q', '-p', `${prefix}/`, '-c', main], { encoding: 'utf8' });
    runsMs.push(now() - start);
    const used = cpuDelta(cpuBefore, cpuMs(process.pid, true));
    if (used !== undefined) cpu.push(used);
    ok &&= result.status === 0;
    output = (result.stdout + result.stderr).trim();
  }
  return { wallMs: median(runsMs), cpuMs: cpu.length > 0 ? median(cpu) : undefined, runsMs, ok, output };
}

/** `count` of `offsets`, spread evenly over them, as positions. */
function spread(text: string, offsets: number[], count: number): Position[] {
  const lines = new LineIndex(text);
  const step = offsets.length / count;
  return Array.from({ length: count }, (_, i) => lines.positionAt(offsets[Math.floor(i * step + step / 2)]));
}

/** Positions to hover: directive names and `$variables`, spread evenly over the file. */
function hoverPositions(text: string, count: number): Position[] {
  const offsets: number[] = [];
  walk(parse(text).root, (directive) => {
    offsets.push(directive.name.start + 1);
    for (const arg of directive.args) {
      const dollar = text.indexOf('$', arg.start);
      if (dollar >= 0 && dollar < arg.end) offsets.push(dollar + 2);
    }
  });
  return spread(text, offsets, count);
}

/** Positions to complete at: in the middle of directive names inside locations (`proxy_|pass`). */
function completionPositions(text: string, count: number): Position[] {
  const offsets: number[] = [];
  walk(parse(text).root, (directive, ancestors) => {
    if (ancestors[ancestors.length - 1]?.name.value === 'location') {
      offsets.push(directive.name.start + Math.min(3, directive.name.value.length));
    }
  });
  return spread(text, offsets, count);
}

/**
 * Cursor positions as VS Code asks code actions for them: at directive names spread over the file,
 * every 4th at the start of a published diagnostic (so that quick fixes are computed too).
 */
function codeActionPositions(text: string, diagnostics: Diagnostic[], count: number): Position[] {
  const offsets: number[] = [];
  walk(parse(text).root, (directive) => void offsets.push(directive.name.start));
  const atDiagnostics = Math.min(diagnostics.length, Math.floor(count / 4));
  const step = diagnostics.length / Math.max(1, atDiagnostics);
  const atProblems = Array.from({ length: atDiagnostics }, (_, i) => diagnostics[Math.floor(i * step)].range.start);
  return [...spread(text, offsets, count - atDiagnostics), ...atProblems];
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const contains = (range: Range, position: Position) => before(range.start, position) && before(position, range.end);

/** The value of `proxy_read_timeout` in the `/ws/` location of site `i` (up to its `;`). */
function timeoutValueRange(text: string, i: number): Range {
  const siteStart = text.indexOf(`    # site ${i}\n`);
  const start = text.indexOf('proxy_read_timeout ', text.indexOf('location /ws/', siteStart)) + 'proxy_read_timeout '.length;
  const lines = new LineIndex(text);
  return { start: lines.positionAt(start), end: lines.positionAt(text.indexOf(';', start)) };
}

function applyChange(text: string, range: Range, newText: string): string {
  const lines = new LineIndex(text);
  return text.slice(0, lines.offsetAt(range.start)) + newText + text.slice(lines.offsetAt(range.end));
}

/** Arrival times of the publications of `uri` at `version` so far. */
function arrivals(client: LspClient, uri: string, version: number): number[] {
  return client.published.flatMap((params, i) => (params.uri === uri && params.version === version ? [client.publishedAt[i]] : []));
}

/** Waits until the server has settled (IDLE_WINDOW_MS): every stage of the last version it was sent is in. */
async function serverIdle(client: LspClient): Promise<void> {
  const deadline = now() + IDLE_CAP_MS;
  let windowStart = now();
  let publications = client.published.length;
  let cpu = cpuMs(client.pid);
  while (now() < deadline) {
    await sleep(IDLE_POLL_MS);
    if (client.published.length !== publications || (cpuDelta(cpu, cpuMs(client.pid)) ?? 0) > IDLE_CPU_MS) {
      windowStart = now();
      publications = client.published.length;
      cpu = cpuMs(client.pid);
    } else if (now() - windowStart >= IDLE_WINDOW_MS) {
      return;
    }
  }
}

/** What one configuration measured; latencies in ms, wall times seen by the client over stdio. */
interface Run {
  kind: Kind;
  servers: number;
  lines: number;
  bytes: number;
  nginx?: NginxTimes;
  /** Re-parse and analysis of an edit in this process, without the server (best of 2). */
  core: { parseMs: number; analyzeMs: number };
  /** The CLI (dist/cli.js) run on the config, as CI runs it: wall ms. */
  cliMs: number;
  /** Diagnostics on open (the generated config has a few deliberate WebSocket findings). */
  findings: number;
  /** From didOpen to the first and to the last publication for version 1. */
  open: { firstMs: number; lastMs: number; publications: number; cpuMs?: number };
  /** From each didChange to the first and to the last publication for its version. */
  edits: { firstMs: number[]; lastMs: number[]; publications: number[]; cpuMsPerEdit?: number; lastMsByKind: Record<EditKind, number[]> };
  /** Hovers sent HOVER_AFTER_EDIT_MS after an edit; how many of them before its diagnostics were in. */
  hoverWhileAnalysing: { ms: number[]; beforeDiagnostics: number };
  hover: { ms: number[]; answered: number };
  completion: { ms: number[] };
  codeAction: { ms: number[]; withDiagnostics: number; actions: number };
  /** Peak RSS after open, after the edits, after open + edits + the requests at rest (the goal), at the end. */
  rssMb: { afterOpen?: number; afterEdits?: number; scenario?: number; end?: number };
  /** The same scenario's peak RSS with the server started as other editors start it: without SERVER_ENVIRONMENT (largest size only). */
  rssWithoutClientEnvironmentMb?: number;
}

/** What `fn` gives for the generated configuration of this kind and size, written to a folder removed after. */
async function withConfig<T>(kind: Kind, servers: number, certificates: Certificates, fn: (dir: string, mainPath: string, text: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `nginx-bench-${kind}-`));
  try {
    const mainPath = writeConfig(dir, servers, kind, certificates);
    return await fn(dir, mainPath, readFileSync(mainPath, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every figure of one configuration: `nginx -t` and the core timed on it, then the server driven over it. */
function measure(kind: Kind, servers: number, certificates: Certificates): Promise<Run> {
  return withConfig(kind, servers, certificates, async (dir, mainPath, text) => {
    const nginx = nginxAvailable() ? timeNginx(dir, mainPath) : undefined;
    if (nginx && !nginx.ok) console.log(`nginx -t rejected the ${KIND_NAMES[kind]} config:\n${nginx.output}\n`);
    const core = coreTimes(mainPath, text);
    const cliMs = runCli(mainPath).wallMs;
    const lines = text.split('\n').length - 1;
    return { kind, servers, lines, bytes: Buffer.byteLength(text), nginx, core, cliMs, ...(await driveServer(dir, mainPath, text, servers)) };
  });
}

type ServerFigures = Pick<Run, 'findings' | 'open' | 'edits' | 'hoverWhileAnalysing' | 'hover' | 'completion' | 'codeAction' | 'rssMb'>;

/** The server (started with `environment`, by default as the VS Code client starts it) driven over the configuration as an editor would. */
async function driveServer(dir: string, mainPath: string, text: string, servers: number, environment?: NodeJS.ProcessEnv): Promise<ServerFigures> {
  // Every edit writes a value as long as the one it replaces, and a server added is removed again:
  // positions found in the text stay valid for the requests after the edits.
  const hovers = hoverPositions(text, HOVERS);
  const completions = completionPositions(text, COMPLETIONS);

  const client = new LspClient(environment);
  const uri = pathToFileURL(mainPath).href;
  try {
    // As VS Code does: code actions' edits are resolved when one is chosen, completion lists share item
    // defaults, and an item's detail and docs are resolved when it is shown.
    await client.initialize(dir, undefined, process.pid, {
      codeAction: { resolveSupport: { properties: ['edit'] } },
      completion: {
        completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
        completionItem: { resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
      },
    });
    const pid = client.pid;

    let cpuBefore = cpuMs(pid);
    const openSent = now();
    await client.open(uri, text, 1);
    await client.diagnosticsFor(uri, 1);
    await serverIdle(client);
    const opened = arrivals(client, uri, 1);
    const open = { firstMs: opened[0] - openSent, lastMs: opened[opened.length - 1] - openSent, publications: opened.length, cpuMs: cpuDelta(cpuBefore, cpuMs(pid)) };
    const findings = client.allPublished.get(uri)!.diagnostics.length;
    const rssAfterOpen = peakRssMb(pid);

    // One-line edits of the EDIT_KINDS: the /ws/ timeout of a site spread over the file, each a new
    // value; a server of one line added at the http level, then removed; the http level's keep-alive timeout.
    let version = 1;
    let current = text;
    const change = async (range: Range, newText: string): Promise<{ version: number; sent: number }> => {
      version++;
      const sent = now();
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: newText }] });
      current = applyChange(current, range, newText);
      return { version, sent };
    };
    const edit = (site: number) => change(timeoutValueRange(current, site), `${3600 + version + 1}s`);
    const addOrRemoveServer = (site: number) => {
      const lines = new LineIndex(current);
      const at = current.indexOf(ADDED_SERVER);
      if (at >= 0) return change({ start: lines.positionAt(at), end: lines.positionAt(at + ADDED_SERVER.length) }, '');
      const before = lines.positionAt(current.indexOf(`    # site ${site}\n`));
      return change({ start: before, end: before }, ADDED_SERVER);
    };
    const changeHttpValue = () => {
      const lines = new LineIndex(current);
      const start = current.indexOf(HTTP_LEVEL_VALUE) + HTTP_LEVEL_VALUE.length;
      return change({ start: lines.positionAt(start), end: lines.positionAt(start + 2) }, current.slice(start, start + 2) === '65' ? '66' : '65');
    };
    const edits: Run['edits'] = { firstMs: [], lastMs: [], publications: [], lastMsByKind: { location: [], server: [], http: [] } };
    cpuBefore = cpuMs(pid);
    for (let e = 0; e < EDITS; e++) {
      const site = Math.floor(((e + 0.5) * servers) / EDITS);
      const kind = EDIT_KINDS[e];
      const { version, sent } = await (kind === 'server' ? addOrRemoveServer(site) : kind === 'http' ? changeHttpValue() : edit(site));
      await client.diagnosticsFor(uri, version);
      await serverIdle(client);
      const times = arrivals(client, uri, version);
      edits.firstMs.push(times[0] - sent);
      edits.lastMs.push(times[times.length - 1] - sent);
      edits.publications.push(times.length);
      edits.lastMsByKind[kind].push(times[times.length - 1] - sent);
    }
    const editCpu = cpuDelta(cpuBefore, cpuMs(pid));
    edits.cpuMsPerEdit = editCpu === undefined ? undefined : editCpu / EDITS;
    const rssAfterEdits = peakRssMb(pid);

    const hover: Run['hover'] = { ms: [], answered: 0 };
    for (const position of hovers) {
      const start = now();
      const answer = await client.request<unknown>('textDocument/hover', { textDocument: { uri }, position });
      hover.ms.push(now() - start);
      if (answer) hover.answered++;
    }

    const completion: Run['completion'] = { ms: [] };
    for (const position of completions) {
      const start = now();
      await client.request<unknown>('textDocument/completion', { textDocument: { uri }, position });
      completion.ms.push(now() - start);
    }

    // Code actions as VS Code asks them on a cursor move: an empty range, the diagnostics there as context.
    const diagnostics = client.allPublished.get(uri)!.diagnostics;
    const codeActionAt = async (position: Position): Promise<{ ms: number; withDiagnostics: boolean; actions: number }> => {
      const context = { diagnostics: diagnostics.filter((diagnostic) => contains(diagnostic.range, position)), triggerKind: 2 /* Automatic */ };
      const start = now();
      const actions = await client.request<unknown[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context });
      return { ms: now() - start, withDiagnostics: context.diagnostics.length > 0, actions: actions.length };
    };
    const probe = await codeActionAt(hovers[0]);
    const codeActions = Math.max(MIN_CODE_ACTIONS, Math.min(CODE_ACTIONS, Math.floor(CODE_ACTION_BUDGET_MS / probe.ms)));
    const codeAction: Run['codeAction'] = { ms: [], withDiagnostics: 0, actions: 0 };
    for (const position of codeActionPositions(current, diagnostics, codeActions)) {
      const asked = await codeActionAt(position);
      codeAction.ms.push(asked.ms);
      if (asked.withDiagnostics) codeAction.withDiagnostics++;
      codeAction.actions += asked.actions;
    }
    const rssScenario = peakRssMb(pid);

    // A hover while each edit's analysis runs: sent just past the debounce.
    const hoverWhileAnalysing: Run['hoverWhileAnalysing'] = { ms: [], beforeDiagnostics: 0 };
    for (let e = 0; e < EDITS; e++) {
      const { version, sent } = await edit(Math.floor((e * servers) / EDITS));
      await sleep(sent + HOVER_AFTER_EDIT_MS - now());
      if (arrivals(client, uri, version).length === 0) hoverWhileAnalysing.beforeDiagnostics++;
      const start = now();
      await client.request<unknown>('textDocument/hover', { textDocument: { uri }, position: hovers[Math.floor((e * HOVERS) / EDITS)] });
      hoverWhileAnalysing.ms.push(now() - start);
      await client.diagnosticsFor(uri, version);
      await serverIdle(client);
    }

    return {
      findings,
      open,
      edits,
      hoverWhileAnalysing,
      hover,
      completion,
      codeAction,
      rssMb: { afterOpen: rssAfterOpen, afterEdits: rssAfterEdits, scenario: rssScenario, end: peakRssMb(pid) },
    };
  } finally {
    await client.stop().catch(() => undefined);
  }
}

/** Parse and analysis of the file in this process, as the server runs them after an edit (best of 2). */
function coreTimes(mainPath: string, text: string): { parseMs: number; analyzeMs: number } {
  let parseMs = Infinity;
  let analyzeMs = Infinity;
  let current = text;
  // Told when the text changes, as the server's DocumentFiles tells: results kept over the
  // configuration's files are then reused, not checked against every file read from disk again.
  let textsVersion = 0;
  const workspace = new Workspace({ readFile: (path) => (path === mainPath ? current : nodeFileSystem.readFile(path)), readDir: nodeFileSystem.readDir, textsVersion: () => textsVersion });
  workspace.roots = [mainPath];
  workspace.file(mainPath);
  for (let run = 0; run < 2; run++) {
    // A one-character change, so that the workspace re-parses as after an edit.
    current = run % 2 === 0 ? text.replace('proxy_read_timeout 3600s;', 'proxy_read_timeout 3601s;') : text;
    textsVersion++;
    let start = now();
    const file = workspace.file(mainPath)!;
    parseMs = Math.min(parseMs, now() - start);
    start = now();
    analyze(file, workspace);
    analyzeMs = Math.min(analyzeMs, now() - start);
  }
  return { parseMs, analyzeMs };
}

/** The CLI (dist/cli.js) run on `target`, its findings printed to a pipe as CI reads them, and its wall ms. */
function runCli(target: string): { run: SpawnSyncReturns<string>; wallMs: number } {
  const start = now();
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/cli.js'), target], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return { run, wallMs: now() - start };
}

function cliTimes(): { files: number; wallMs: number; failed: boolean } | undefined {
  if (!existsSync(CORPUS_DIR)) return undefined;
  const { run, wallMs } = runCli(CORPUS_DIR);
  return { files: Number(/(\d+) file\(s\) checked/.exec(run.stderr)?.[1] ?? NaN), wallMs, failed: run.status === 2 };
}

// ---------------------------------------------------------------------------------------------
// Reporting

/** One figure of the issue's table, for one run. */
interface Figure {
  id: keyof typeof GOALS | 'openFirst' | 'editFirst' | 'editLocation' | 'editServer' | 'editHttp' | 'rssWithoutClientEnvironment' | 'serverCpu' | 'core' | 'cli';
  label: string;
  /** The value judged: ms (MB for memory). */
  value: number | undefined;
  /** What the cell shows (p50 / p95, counts). */
  shown: string;
  /** value ÷ the config's `nginx -t` wall time (CPU time for CPU times). */
  ratio?: number;
  goal?: Goal;
  verdict?: 'PASS' | 'MISS';
}

/** A figure with the digits that mean something: 1234, 12.3, 0.12. */
const digits = (value: number) => value.toFixed(value >= 100 ? 0 : value >= 1 ? 1 : 2);
const fmt = (ms: number) => `${digits(ms)} ms`;
const fmtRatio = (ratio: number) => `${ratio < 0.1 ? ratio.toPrecision(2) : ratio.toFixed(2)}×`;
const goalText = (goal: Goal | undefined) => (!goal ? '' : 'timesNginx' in goal ? `≤ ${goal.timesNginx}× nginx -t` : `≤ ${goal.atMost} ${goal.unit}`);

function figures(run: Run): Figure[] {
  /** `ratioTo`: what of `nginx -t` the value is divided by (none for memory). */
  const figure = (id: Figure['id'], label: string, value: number | undefined, shown: string, goal?: Goal, ratioTo: 'wall' | 'cpu' | 'none' = 'wall'): Figure => {
    const nginxMs = ratioTo === 'none' ? undefined : ratioTo === 'cpu' ? run.nginx?.cpuMs : run.nginx?.wallMs;
    const ratio = value !== undefined && nginxMs ? value / nginxMs : undefined;
    const judged = goal && ('timesNginx' in goal ? ratio !== undefined && ratio <= goal.timesNginx : value !== undefined && value <= goal.atMost);
    const measurable = goal && ('timesNginx' in goal ? ratio !== undefined : value !== undefined);
    return { id, label, value, shown, ratio, goal, verdict: measurable ? (judged ? 'PASS' : 'MISS') : undefined };
  };
  const p50p95 = (ms: number[]) => `${fmt(percentile(ms, 50))} / ${fmt(percentile(ms, 95))}`;
  const { open, edits, hoverWhileAnalysing, hover, completion, codeAction, rssMb, core, cliMs } = run;
  const mb = (value: number | undefined) => (value === undefined ? '?' : `${value.toFixed(0)} MB`);
  const cpu = (ms: number | undefined) => (ms === undefined ? '?' : fmt(ms));
  return [
    figure('openFirst', 'didOpen → first diagnostics of v1', open.firstMs, fmt(open.firstMs), GOALS.open),
    figure('open', 'didOpen → last diagnostics of v1 (publications)', open.lastMs, `${fmt(open.lastMs)} (${open.publications})`, GOALS.open),
    figure('editFirst', `edit → first diagnostics of its version, median of ${EDITS}`, median(edits.firstMs), `${fmt(median(edits.firstMs))} (max ${fmt(Math.max(...edits.firstMs))})`, GOALS.edit),
    figure('edit', `edit → last diagnostics of its version, median of ${EDITS} (publications)`, median(edits.lastMs), `${fmt(median(edits.lastMs))} (${edits.publications.reduce((a, b) => a + b, 0)})`, GOALS.edit),
    ...(['location', 'server', 'http'] as const).map((kind) => {
      const ms = edits.lastMsByKind[kind];
      const id = ({ location: 'editLocation', server: 'editServer', http: 'editHttp' } as const)[kind];
      return figure(id, `of which ${EDIT_KIND_NAMES[kind]}, median of ${ms.length}`, median(ms), `${fmt(median(ms))} (max ${fmt(Math.max(...ms))})`, GOALS.edit);
    }),
    figure(
      'hoverWhileAnalysing',
      `hover ${HOVER_AFTER_EDIT_MS} ms after an edit, p50 / p95 of ${EDITS} (sent before its diagnostics)`,
      percentile(hoverWhileAnalysing.ms, 95),
      `${p50p95(hoverWhileAnalysing.ms)} (${hoverWhileAnalysing.beforeDiagnostics})`,
      GOALS.hoverWhileAnalysing,
    ),
    figure('hover', `hover at rest, p50 / p95 of ${HOVERS} (with docs)`, percentile(hover.ms, 95), `${p50p95(hover.ms)} (${hover.answered})`, GOALS.hover),
    figure('completion', `completion at rest, p50 / p95 of ${COMPLETIONS}`, percentile(completion.ms, 95), p50p95(completion.ms), GOALS.completion),
    figure(
      'codeAction',
      `code action at rest, p50 / p95 (requests of ${CODE_ACTIONS}, with diagnostics)`,
      percentile(codeAction.ms, 95),
      `${p50p95(codeAction.ms)} (${codeAction.ms.length}, ${codeAction.withDiagnostics})`,
      GOALS.codeAction,
    ),
    figure(
      'rssMb',
      `server peak RSS after open, ${EDITS} edits and the requests above (at the end)`,
      rssMb.scenario,
      `${mb(rssMb.scenario)} (${mb(rssMb.end)})`,
      GOALS.rssMb,
      'none',
    ),
    ...(run.rssWithoutClientEnvironmentMb === undefined
      ? []
      : [figure('rssWithoutClientEnvironment', `server peak RSS of the same, started without ${clientEnvironmentText} (as other editors start it)`, run.rssWithoutClientEnvironmentMb, mb(run.rssWithoutClientEnvironmentMb), GOALS.rssMb, 'none')]),
    figure('serverCpu', 'server CPU: open / per edit (ratio to nginx -t CPU)', open.cpuMs, `${cpu(open.cpuMs)} / ${cpu(edits.cpuMsPerEdit)}`, undefined, 'cpu'),
    figure('core', 'core alone, in-process: re-parse + analyze of an edit', core.parseMs + core.analyzeMs, `${fmt(core.parseMs)} + ${fmt(core.analyzeMs)}`),
    figure('cli', 'the CLI on the file (dist/cli.js, as CI runs it)', cliMs, fmt(cliMs)),
  ];
}

function cell(figure: Figure): string {
  return [figure.shown, figure.ratio === undefined ? '' : `= ${fmtRatio(figure.ratio)}`, figure.verdict ?? ''].filter(Boolean).join(' ');
}

function markdownTable(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const nginxCell = (run: Run) => (!run.nginx ? 'n/a (nginx not installed)' : `${fmt(run.nginx.wallMs)} (CPU ${run.nginx.cpuMs === undefined ? '?' : fmt(run.nginx.cpuMs)})${run.nginx.ok ? '' : ' FAILED'}`);
const sizeText = (run: Run) => `${run.lines} lines, ${(run.bytes / 2 ** 20).toFixed(2)} MB`;

/** The issue's table at one size: a row per figure, a column per configuration. */
function figuresTable(runs: Run[]): string {
  const perRun = runs.map(figures);
  const rows = [
    [`\`nginx -t\`, median of ${NGINX_RUNS} (CPU)`, '', ...runs.map(nginxCell)],
    ...perRun[0].map((figure, i) => [figure.label, goalText(figure.goal), ...perRun.map((ofRun) => cell(ofRun[i]))]),
  ];
  return markdownTable(['figure', 'goal', ...runs.map((run) => `${KIND_NAMES[run.kind]} (${sizeText(run)})`)], rows);
}

/**
 * The same figures at every size, each also per 1,000 lines (kl) so that its growth shows; the ratio to
 * `nginx -t` where the goal is one.
 */
function scalingTable(runs: Run[]): string {
  const ids: Array<Figure['id']> = ['open', 'edit', 'hoverWhileAnalysing', 'hover', 'completion', 'codeAction', 'rssMb'];
  const rows = runs.map((run) => {
    const kiloLines = run.lines / 1000;
    const scaled = (value: number, unit: string) => `${digits(value)} ${unit} · ${digits(value / kiloLines)} ${unit}/kl`;
    const byId = new Map(figures(run).map((figure) => [figure.id, figure]));
    const scaledCell = (figure: Figure) =>
      [
        figure.value === undefined ? 'n/a' : scaled(figure.value, figure.id === 'rssMb' ? 'MB' : 'ms'),
        figure.goal && 'timesNginx' in figure.goal && figure.ratio !== undefined ? `= ${fmtRatio(figure.ratio)}` : '',
        figure.verdict ?? '',
      ].filter(Boolean).join(' ');
    return [
      KIND_NAMES[run.kind],
      String(run.servers),
      String(run.lines),
      run.nginx ? scaled(run.nginx.wallMs, 'ms') : 'n/a',
      ...ids.map((id) => scaledCell(byId.get(id)!)),
    ];
  });
  const header = ['config', 'servers', 'lines', '`nginx -t`', 'didOpen → last diagnostics', 'edit → last diagnostics, median', 'hover while analysing, p95', 'hover p95', 'completion p95', 'code action p95', 'peak RSS'];
  return markdownTable(header, rows);
}

/** What the VS Code client adds to the server's environment, as text. */
const clientEnvironmentText = Object.entries(SERVER_ENVIRONMENT).map(([name, value]) => `${name}=${value}`).join(' ');

async function main(): Promise<void> {
  const writeTo = process.argv.indexOf('--write');
  if (writeTo >= 0) {
    const dir = resolve(process.argv[writeTo + 1] ?? 'bench-config');
    for (const kind of KINDS) console.log(`wrote ${writeConfig(join(dir, kind), SIZES[SIZES.length - 1], kind, testCertificates())}`);
    return;
  }
  const jsonAt = process.argv.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? resolve(process.argv[jsonAt + 1]) : undefined;

  const date = new Date().toISOString().slice(0, 10);
  const host = machine();
  const loadAverage = loadavg()[1];
  console.log(`nginx language server benchmark (issue 13), ${date}`);
  console.log(`CPU: ${host.cpu}, ${host.cores} cores; RAM ${host.ramGiB} GiB; node ${host.node}; nginx ${host.nginx}`);
  console.log(`server: dist/server.js --stdio started as the VS Code client starts it (${clientEnvironmentText})`);
  const certificates = testCertificates();
  const runs: Run[] = [];
  for (const servers of SIZES) {
    for (const kind of KINDS) {
      process.stdout.write(`measuring ${KIND_NAMES[kind]}, ${servers} servers… `);
      const start = now();
      runs.push(await measure(kind, servers, certificates));
      console.log(`${((now() - start) / 1000).toFixed(0)} s`);
    }
  }
  const cli = cliTimes();
  // Other programs stretch wall times (not CPU times): the load shows how much.
  const load = { start: loadAverage, end: loadavg()[1] };

  const largest = runs.filter((run) => run.servers === SIZES[SIZES.length - 1]);
  // glibc's arenas hold a part of the peak that an editor starting the server plainly gets too.
  const withoutClientEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in SERVER_ENVIRONMENT)));
  for (const run of largest) {
    process.stdout.write(`measuring ${KIND_NAMES[run.kind]}, ${run.servers} servers, the server started without ${clientEnvironmentText}… `);
    const start = now();
    const driven = await withConfig(run.kind, run.servers, certificates, (dir, mainPath, text) => driveServer(dir, mainPath, text, run.servers, withoutClientEnvironment));
    run.rssWithoutClientEnvironmentMb = driven.rssMb.scenario;
    console.log(`${((now() - start) / 1000).toFixed(0)} s`);
  }
  const [tls, plain] = largest;
  const sizeGap = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
  console.log(`\nplain vs regex + TLS at ${tls.servers} servers: ${sizeGap(plain.lines, tls.lines)} lines, ${sizeGap(plain.bytes, tls.bytes)} bytes`);
  console.log(`\n### ${tls.servers} servers × 12 locations (${tls.servers * 3} WebSocket locations, ${Math.ceil(tls.servers / 4)} with TLS in the regex + TLS config)\n`);
  console.log(figuresTable(largest));
  if (SIZES.length > 1) console.log(`\n### Scaling (ms/kl: ms per 1,000 lines)\n\n${scalingTable(runs)}`);
  console.log(
    `\nLatencies are wall times seen by the client over stdio; diagnostics include the server's ${DEBOUNCE_MS} ms debounce; ` +
      `"= N×" is the ratio to that config's \`nginx -t\` wall time. Diagnostics on open: ${largest.map((run) => `${KIND_NAMES[run.kind]} ${run.findings}`).join(', ')} ` +
      '(deliberate WebSocket findings, under the cap of 500: every rule runs on the whole file).',
  );
  console.log(`Load average (5 min) ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end, on ${host.cores} cores.`);
  console.log(cli ? `CLI over ../shared/corpus (${cli.files} files): ${fmt(cli.wallMs)} wall${cli.failed ? ' FAILED' : ''}` : `(no corpus at ${CORPUS_DIR}: CLI timing skipped)`);

  if (jsonFile) {
    const json = {
      date,
      machine: host,
      load,
      goals: GOALS,
      runs: runs.map((run) => ({
        config: run.kind,
        servers: run.servers,
        lines: run.lines,
        bytes: run.bytes,
        nginx: run.nginx && { wallMs: run.nginx.wallMs, cpuMs: run.nginx.cpuMs, runsMs: run.nginx.runsMs, ok: run.nginx.ok },
        findings: run.findings,
        figures: Object.fromEntries(figures(run).map(({ id, value, ratio, verdict }) => [id, { value, ratio, verdict }])),
        samples: { edits: run.edits, hoverWhileAnalysing: run.hoverWhileAnalysing.ms, open: run.open, rssMb: run.rssMb },
      })),
      cli,
    };
    writeFileSync(jsonFile, JSON.stringify(json) + '\n');
    console.log(`figures written to ${jsonFile}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
