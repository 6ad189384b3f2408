/**
 * Benchmark (issue 7): `npm run bench`. Figures are printed, never asserted.
 *
 * Generates a large configuration (2,000 servers × 12 locations, upstreams, maps, WebSocket
 * locations, a TLS listener on every 4th server; about 128k lines / 4 MB, the same on every run) in
 * a temp dir, runs the real `nginx -t` on it, then drives the built server (dist/server.js --stdio)
 * as an editor would: didOpen → diagnostics, one-line edits → diagnostics, hovers, completions, and
 * reads the server's peak memory. Last, the CLI over the whole shared corpus.
 *
 *   BENCH_SERVERS=N       servers in the generated config (default 2000)
 *   --write DIR           only write the generated config (nginx.conf, mime.types) to DIR, for profiling
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../server/src/analysis/analyze';
import { Workspace } from '../../server/src/analysis/workspace';
import { parse, walk, LineIndex, type Position } from '../../server/src/parser';
import { nodeFileSystem } from '../../server/src/nodeFileSystem';
import { CORPUS_DIR } from '../support/corpus';
import { LspClient } from '../support/lspClient';
import { nginxAvailable, testCertificates } from '../support/nginx';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const REPO_ROOT = resolve(__dirname, '../..');
const SERVERS = Number(process.env.BENCH_SERVERS ?? 2000);
/** The server's debounce before it validates (server.ts DEBOUNCE_MS): part of every diagnostics latency. */
const DEBOUNCE_MS = 150;
const HOVERS = 300;
const COMPLETIONS = 300;
const EDITS = 10;
const NGINX_RUNS = 3;

const TARGETS = { openShare: 1 / 2, editShare: 1 / 4, hoverP95: 10, completionP95: 20, rssMb: 300 };

// ---------------------------------------------------------------------------------------------
// The generated configuration

interface Certificates {
  cert: string;
  key: string;
}

/** One site: an upstream, a server with 12 locations (3 of them WebSocket), every 10th a map. */
function site(i: number, certs: Certificates): string[] {
  const app = `app_${i}`;
  const port = 9000 + (i % 1000);
  const name = `s${i}.bench.test`;
  const tls = i % 4 === 0;
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
      `        ~^(?<t>[a-z]+)-prod$ $t;`,
      `        beta beta;`,
      `    }`,
    );
  }
  lines.push(
    `    server {`,
    `        listen 127.0.0.1:${20000 + i};`,
    ...(tls
      ? [`        listen 127.0.0.1:${40000 + i} ssl;`, `        ssl_certificate ${certs.cert};`, `        ssl_certificate_key ${certs.key};`]
      : []),
    `        server_name ${name} www.${name};`,
    `        root html/s${i};`,
    `        index index.html index.htm;`,
    `        access_log off;`,
    `        client_max_body_size ${1 + (i % 50)}m;`,
    `        location / {`,
    `            try_files $uri $uri/ /index.html;`,
    `        }`,
    `        location /api/ {`,
    `            proxy_pass http://${app};`,
    `            proxy_http_version 1.1;`,
    `            proxy_set_header Host $host;`,
    `            proxy_set_header X-Real-IP $remote_addr;`,
    `            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`,
    `        }`,
    `        location /ws/ {`,
    `            proxy_pass http://${app};`,
    `            proxy_http_version 1.1;`,
    `            proxy_set_header Upgrade $http_upgrade;`,
    `            proxy_set_header Connection $connection_upgrade;`,
    `            proxy_set_header Host $host;`,
    `            proxy_read_timeout 3600s;`,
    `        }`,
    `        location /socket.io/ {`,
    `            proxy_pass http://127.0.0.1:${port};`,
    `            proxy_http_version 1.1;`,
    `            proxy_set_header Upgrade $http_upgrade;`,
    // Every 7th site forgets the Connection header: the server has something to report.
    ...(i % 7 === 0 ? [] : [`            proxy_set_header Connection "upgrade";`]),
    `        }`,
    `        location ~ ^/live/(?<channel>[a-z0-9]+)$ {`,
    `            proxy_pass http://${app}/stream/$channel;`,
    `            proxy_http_version 1.1;`,
    `            proxy_set_header Upgrade $http_upgrade;`,
    `            proxy_set_header Connection $connection_upgrade;`,
    `            proxy_read_timeout 1h;`,
    `        }`,
    `        location ~* \\.(?:css|js|png|jpe?g|gif|svg|woff2?)$ {`,
    `            expires 7d;`,
    `            add_header Cache-Control "public, max-age=604800";`,
    `        }`,
    `        location = /health { access_log off; return 200 "ok\\n"; }`,
    `        location /static/ { alias html/static/; autoindex off; }`,
    `        location /admin/ { allow 127.0.0.1; deny all; proxy_pass http://${app}; }`,
    `        location /old/ { rewrite ^/old/(.*)$ /new/$1 permanent; }`,
    `        location /download/ {`,
    `            limit_rate 1m;`,
    `            if ($arg_token = "") {`,
    `                return 403;`,
    `            }`,
    `        }`,
    `        location /events/ {`,
    `            proxy_pass http://${app};`,
    `            proxy_buffering off;`,
    `            proxy_cache off;`,
    `        }`,
    `    }`,
  );
  return lines;
}

export function generateConfig(servers: number, certs: Certificates): string {
  const lines = [
    '# Generated by test/bench/bench.ts: a large configuration for the benchmark.',
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
    '    map $http_upgrade $connection_upgrade {',
    '        default upgrade;',
    "        ''      close;",
    '    }',
    '',
  ];
  for (let i = 0; i < servers; i++) lines.push(...site(i, certs), '');
  lines.push('}', '');
  return lines.join('\n');
}

const MIME_TYPES = 'types {\n    text/html html htm;\n    text/css css;\n    application/javascript js;\n    image/png png;\n}\n';

/** Writes nginx.conf, mime.types and a copy of the test certificate into `dir`; returns nginx.conf's path. */
function writeConfig(dir: string, certificates: Certificates): string {
  for (const sub of ['logs', 'tmp', 'certs']) mkdirSync(join(dir, sub), { recursive: true });
  const certs = { cert: join(dir, 'certs/cert.pem'), key: join(dir, 'certs/key.pem') };
  copyFileSync(certificates.cert, certs.cert);
  copyFileSync(certificates.key, certs.key);
  const main = join(dir, 'nginx.conf');
  writeFileSync(main, generateConfig(SERVERS, certs));
  writeFileSync(join(dir, 'mime.types'), MIME_TYPES);
  return main;
}

// ---------------------------------------------------------------------------------------------
// Measuring

const now = () => performance.now();

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const median = (samples: number[]) => percentile(samples, 50);

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/status`)) return undefined;
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux). */
const TICKS = 100;

/**
 * CPU time in ms from /proc/PID/stat: the process's own (utime + stime), or that of its reaped
 * children (cutime + cstime) - for this process, the children spawnSync waited for. On a busy
 * machine wall times stretch; CPU times show the work done.
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
const cpuNote = (ms: number | undefined) => (ms === undefined ? '' : `; CPU ${fmt(ms)}`);

function machine(): string[] {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nginx = nginxAvailable() ? spawnSync(NGINX, ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: /, '') : 'not installed';
  return [
    `CPU: ${model}, ${cpus().length} cores; RAM ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node ${process.version}; nginx ${nginx} (${NGINX})`,
  ];
}

function timeNginx(prefix: string, main: string): { ms: number[]; cpu: number[]; ok: boolean; output: string } {
  const ms: number[] = [];
  const cpu: number[] = [];
  let ok = true;
  let output = '';
  for (let run = 0; run < NGINX_RUNS; run++) {
    const cpuBefore = cpuMs(process.pid, true);
    const start = now();
    const result = spawnSync(NGINX, ['-t', '-q', '-p', `${prefix}/`, '-c', main], { encoding: 'utf8' });
    ms.push(now() - start);
    const used = cpuDelta(cpuBefore, cpuMs(process.pid, true));
    if (used !== undefined) cpu.push(used);
    ok &&= result.status === 0;
    output = (result.stdout + result.stderr).trim();
  }
  return { ms, cpu, ok, output };
}

/** Positions to hover: directive names and `$variables`, spread evenly over the file. */
function hoverPositions(text: string, count: number): Position[] {
  const lines = new LineIndex(text);
  const offsets: number[] = [];
  walk(parse(text).root, (directive) => {
    offsets.push(directive.name.start + 1);
    for (const arg of directive.args) {
      const dollar = text.indexOf('$', arg.start);
      if (dollar >= 0 && dollar < arg.end) offsets.push(dollar + 2);
    }
  });
  const step = offsets.length / count;
  return Array.from({ length: count }, (_, i) => lines.positionAt(offsets[Math.floor(i * step + step / 2)]));
}

/** Positions to complete at: in the middle of directive names inside locations (`proxy_|pass`). */
function completionPositions(text: string, count: number): Position[] {
  const lines = new LineIndex(text);
  const offsets: number[] = [];
  walk(parse(text).root, (directive, ancestors) => {
    if (ancestors[ancestors.length - 1]?.name.value === 'location') {
      offsets.push(directive.name.start + Math.min(3, directive.name.value.length));
    }
  });
  const step = offsets.length / count;
  return Array.from({ length: count }, (_, i) => lines.positionAt(offsets[Math.floor(i * step + step / 2)]));
}

/** The `proxy_read_timeout 3600s;` value of the `/ws/` location of site `i`. */
function timeoutValueRange(text: string, i: number): { line: number; character: number } {
  const marker = `    # site ${i}\n`;
  const siteStart = text.indexOf(marker);
  const offset = text.indexOf('proxy_read_timeout 3600s;', siteStart) + 'proxy_read_timeout '.length;
  return new LineIndex(text).positionAt(offset);
}

interface Row {
  metric: string;
  actual: string;
  target: string;
  verdict: string;
}

function verdict(value: number | undefined, limit: number | undefined): string {
  if (value === undefined || limit === undefined) return '';
  return value <= limit ? 'PASS' : 'MISS';
}

const fmt = (ms: number) => (ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);

function printTable(rows: Row[]): void {
  const widths = (['metric', 'actual', 'target', 'verdict'] as const).map((key) =>
    Math.max(key.length, ...rows.map((row) => row[key].length)),
  );
  const line = (cells: string[]) => '| ' + cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(['metric', 'actual', 'target', 'verdict']));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line([row.metric, row.actual, row.target, row.verdict]));
}

async function main(): Promise<void> {
  const writeTo = process.argv.indexOf('--write');
  if (writeTo >= 0) {
    const dir = resolve(process.argv[writeTo + 1] ?? 'bench-config');
    const main = writeConfig(dir, testCertificates());
    console.log(`wrote ${main}`);
    return;
  }

  const dir = mkdtempSync(join(tmpdir(), 'nginx-bench-'));
  const rows: Row[] = [];
  try {
    const certs = testCertificates();
    const mainPath = writeConfig(dir, certs);
    const text = readFileSync(mainPath, 'utf8');
    const lineCount = text.split('\n').length - 1;
    console.log('nginx language server benchmark (issue 7)');
    for (const line of machine()) console.log(line);
    console.log(
      `config: ${SERVERS} servers × 12 locations (${SERVERS * 3} WebSocket locations, ${Math.ceil(SERVERS / 4)} with TLS), ` +
        `${lineCount} lines, ${(Buffer.byteLength(text) / 2 ** 20).toFixed(2)} MB\n`,
    );

    // nginx -t on the same file.
    let nginxMs: number | undefined;
    if (nginxAvailable()) {
      const run = timeNginx(dir, mainPath);
      nginxMs = median(run.ms);
      rows.push({
        metric: `nginx -t (median of ${NGINX_RUNS})`,
        actual: `${fmt(nginxMs)}${run.ok ? '' : ' (FAILED)'}${run.cpu.length > 0 ? cpuNote(median(run.cpu)) : ''}`,
        target: `runs: ${run.ms.map((ms) => ms.toFixed(0)).join(', ')} ms`,
        verdict: '',
      });
      if (!run.ok) console.log(`nginx -t rejected the generated config:\n${run.output}\n`);
    } else {
      rows.push({ metric: 'nginx -t', actual: 'n/a (nginx not installed)', target: '', verdict: '' });
    }

    // The same analysis without the server: what an edit costs apart from the debounce and JSON-RPC.
    const core = coreTimes(mainPath, text);

    // The server.
    const client = new LspClient();
    const uri = pathToFileURL(mainPath).href;
    let findings = 0;
    try {
      await client.initialize(dir);

      const pid = client.pid;
      let cpuBefore = cpuMs(pid);
      let start = now();
      await client.open(uri, text, 1);
      findings = (await client.diagnosticsFor(uri, 1)).length;
      const openMs = now() - start;
      const openCpu = cpuDelta(cpuBefore, cpuMs(pid));
      const rssAfterOpen = peakRssMb(pid);
      const openLimit = nginxMs && nginxMs * TARGETS.openShare;
      rows.push({
        metric: 'didOpen → diagnostics',
        actual: `${fmt(openMs)} (incl. ${DEBOUNCE_MS} ms debounce${cpuNote(openCpu)})`,
        target: openLimit ? `≤ ${fmt(openLimit)} (½ nginx -t)` : '½ nginx -t',
        verdict: verdict(openMs, openLimit),
      });

      // One-line edits: the /ws/ timeout of a site spread over the file, 3600s ↔ 3601s.
      const editMs: number[] = [];
      let current = text;
      cpuBefore = cpuMs(pid);
      for (let e = 0; e < EDITS; e++) {
        const site = Math.floor(((e + 0.5) * SERVERS) / EDITS);
        const position = timeoutValueRange(current, site);
        const range = { start: position, end: { line: position.line, character: position.character + 5 } };
        const version = e + 2;
        start = now();
        await client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range, text: '3601s' }],
        });
        await client.diagnosticsFor(uri, version);
        editMs.push(now() - start);
        current = applyChange(current, range, '3601s');
      }
      const editCpu = cpuDelta(cpuBefore, cpuMs(pid));
      const rssAfterEdits = peakRssMb(pid);
      const editLimit = nginxMs && nginxMs * TARGETS.editShare;
      rows.push({
        metric: `edit → diagnostics (median of ${EDITS})`,
        actual: `${fmt(median(editMs))} (max ${fmt(Math.max(...editMs))}; incl. ${DEBOUNCE_MS} ms debounce` +
          `${editCpu === undefined ? '' : `; CPU ${fmt(editCpu / EDITS)} per edit`})`,
        target: editLimit ? `≤ ${fmt(editLimit)} (¼ nginx -t)` : '¼ nginx -t',
        verdict: verdict(median(editMs), editLimit),
      });
      rows.push({
        metric: '  core alone: re-parse + analyze',
        actual: `${fmt(core.parseMs + core.analyzeMs)} (parse ${fmt(core.parseMs)}, analyze ${fmt(core.analyzeMs)})`,
        target: editLimit ? `≤ ${fmt(editLimit)}` : '',
        verdict: verdict(core.parseMs + core.analyzeMs, editLimit),
      });

      // Hovers.
      const hoverMs: number[] = [];
      let answered = 0;
      for (const position of hoverPositions(current, HOVERS)) {
        start = now();
        const hover = await client.request<unknown>('textDocument/hover', { textDocument: { uri }, position });
        hoverMs.push(now() - start);
        if (hover) answered++;
      }
      rows.push({
        metric: `hover p50 / p95 (${HOVERS}, ${answered} with docs)`,
        actual: `${fmt(percentile(hoverMs, 50))} / ${fmt(percentile(hoverMs, 95))}`,
        target: `p95 ≤ ${TARGETS.hoverP95} ms`,
        verdict: verdict(percentile(hoverMs, 95), TARGETS.hoverP95),
      });

      // Completions (MethodNotFound while the server does not implement them).
      const completionMs: number[] = [];
      let implemented = true;
      for (const position of completionPositions(current, COMPLETIONS)) {
        start = now();
        try {
          await client.request<unknown>('textDocument/completion', { textDocument: { uri }, position });
        } catch (error) {
          if ((error as { code?: number }).code === -32601) {
            implemented = false;
            break;
          }
          throw error;
        }
        completionMs.push(now() - start);
      }
      rows.push(
        implemented
          ? {
              metric: `completion p50 / p95 (${COMPLETIONS})`,
              actual: `${fmt(percentile(completionMs, 50))} / ${fmt(percentile(completionMs, 95))}`,
              target: `p95 ≤ ${TARGETS.completionP95} ms`,
              verdict: verdict(percentile(completionMs, 95), TARGETS.completionP95),
            }
          : { metric: 'completion p50 / p95', actual: 'n/a (not implemented)', target: `p95 ≤ ${TARGETS.completionP95} ms`, verdict: '' },
      );

      const rss = peakRssMb(pid);
      const mb = (value: number | undefined) => (value === undefined ? '?' : value.toFixed(0));
      rows.push({
        metric: 'server peak RSS (VmHWM)',
        actual: rss === undefined ? 'n/a' : `${mb(rss)} MB (after open ${mb(rssAfterOpen)}, after edits ${mb(rssAfterEdits)})`,
        target: `≤ ${TARGETS.rssMb} MB`,
        verdict: verdict(rss, TARGETS.rssMb),
      });
    } finally {
      await client.stop().catch(() => undefined);
    }

    rows.push(cliRow());
    printTable(rows);
    console.log(`\n${findings} diagnostics on open (the generated config has deliberate WebSocket findings; capped at 500).`);
    console.log(`Latencies are wall times seen by the client over stdio; diagnostics include the server's ${DEBOUNCE_MS} ms debounce.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parse and analysis of the file in this process, as the server runs them after an edit (best of 3). */
function coreTimes(mainPath: string, text: string): { parseMs: number; analyzeMs: number } {
  let parseMs = Infinity;
  let analyzeMs = Infinity;
  let current = text;
  const workspace = new Workspace({ readFile: (path) => (path === mainPath ? current : nodeFileSystem.readFile(path)), readDir: nodeFileSystem.readDir });
  workspace.roots = [mainPath];
  workspace.file(mainPath);
  for (let run = 0; run < 4; run++) {
    // A one-character change, so that the workspace re-parses as after an edit.
    current = run % 2 === 0 ? text.replace('proxy_read_timeout 3600s;', 'proxy_read_timeout 3601s;') : text;
    let start = now();
    const file = workspace.file(mainPath)!;
    parseMs = Math.min(parseMs, now() - start);
    start = now();
    analyze(file, workspace);
    analyzeMs = Math.min(analyzeMs, now() - start);
  }
  return { parseMs, analyzeMs };
}

function applyChange(text: string, range: { start: Position; end: Position }, newText: string): string {
  const lines = new LineIndex(text);
  return text.slice(0, lines.offsetAt(range.start)) + newText + text.slice(lines.offsetAt(range.end));
}

function cliRow(): Row {
  if (!existsSync(CORPUS_DIR)) {
    console.log(`(no corpus at ${CORPUS_DIR}: CLI timing skipped)`);
    return { metric: 'CLI over ../shared/corpus', actual: 'skipped (no corpus)', target: '', verdict: '' };
  }
  const start = now();
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/cli.js'), CORPUS_DIR], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const ms = now() - start;
  const summary = /(\d+) file\(s\) checked/.exec(run.stderr)?.[1] ?? '?';
  return { metric: `CLI over ../shared/corpus (${summary} files)`, actual: `${fmt(ms)} wall`, target: '', verdict: run.status === 2 ? 'FAILED' : '' };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
