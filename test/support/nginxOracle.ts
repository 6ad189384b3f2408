/**
 * Asks real nginx binaries about many variants of a corpus file, the way `../shared/tools/nginx-oracle`
 * produced ORACLE.jsonl, but with one `nginx -t` per variant.
 *
 * The oracle is run once per batch of original files with ORACLE_KEEP=1 (and TMPDIR pointing into a
 * folder of ours, removed afterwards), which leaves a sandbox per attempt at a file: the file copied
 * with its line-preserving rewrites (include paths to sibling copies or stubs, certificates, log and
 * temp paths), siblings, and the wrapper that places it in one context (the oracle tries them in turn
 * until nginx accepts one). A variant is then the same mutation applied to the sandbox copy, tested
 * with the oracle's own command line: the wrap stays that of the original, as the file's real context
 * does not change when someone mistypes in it.
 *
 * The oracle runs Debian's nginx; a source build (nginxBuilds.ts) is tested in the same sandboxes with
 * a wrapper that loads none of Debian's dynamic modules, which a source build refuses.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import thirdPartyDirectives from '../../server/src/analysis/data/third-party-directives.json';
import { compareVersions } from '../../scripts/build-nginx.mjs';
import { CORPUS_DIR, MANIFEST, ORACLE_TOOL, type OracleRecord } from './corpus';
import type { NginxBinary } from './nginxBuilds';

export interface NginxVerdict {
  ok: boolean;
  /** 1-based line in the tested file; undefined when the error is elsewhere or has no location. */
  line?: number;
  message?: string;
  /** The error is in another file (the wrapper, a sibling) or has no location. */
  elsewhere?: string;
  /** The verdict depends on the sandbox (DNS, missing data files), as nginx-oracle judges it. */
  environmental?: boolean;
}

/** A kept oracle sandbox, ready for variants of its file. */
export interface Sandbox {
  /** The rewritten copy of the file (read and written as latin1, as the oracle does). */
  target: string;
  text: string;
  prefix: string;
  wrapper: string;
}

/** The oracle's attempts at a corpus file, in the order it made them (the wraps it tried in turn). */
export interface PreparedFile {
  record: OracleRecord;
  attempts: Sandbox[];
}

/** nginx-oracle's judgement of verdicts that depend on the sandbox (ok: null in ORACLE.jsonl). */
const ENVIRONMENTAL = /host not found|bind\(\) to .* failed|dlopen|already loaded|open\(\) ".*" failed|cannot load certificate|GeoIP|MMDB|failed to open/i;

function run(command: string, args: string[], env?: NodeJS.ProcessEnv, timeout = 60_000): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('latin1').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

/** Runs `tasks` with at most `limit` at a time; results in order. */
export async function pool<T, R>(tasks: readonly T[], limit: number, work: (task: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await work(tasks[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** The path of each corpus file in its repository, as MANIFEST.tsv gives it (nginx-oracle's sandbox layout). */
function manifestPaths(): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of readFileSync(MANIFEST, 'utf8').split('\n').slice(1)) {
    const [file, , path] = line.split('\t');
    if (file && path) paths.set(file, path.replace(/#.*$/, ''));
  }
  return paths;
}

/** Files per nginx-oracle run: fewer runs of node, and still a few runs to spread over the cores. */
const BATCH = 8;

export class OracleSandboxes {
  readonly root = mkdtempSync(join(tmpdir(), 'parity-'));
  private readonly paths = manifestPaths();
  private readonly batches = new Map<string, Promise<Map<string, PreparedFile>>>();
  private readonly batchOf = new Map<string, string[]>();

  /**
   * `files` (relative to the corpus) go in batches of files of one repository with distinct paths
   * there, so that each sandbox is known by the path of its file.
   */
  constructor(files: readonly string[]) {
    const open: string[][] = [];
    for (const file of files) {
      const repo = file.split('/')[0];
      const path = this.paths.get(file);
      let batch = open.find((b) => b[0].split('/')[0] === repo && b.length < BATCH && !b.some((f) => this.paths.get(f) === path));
      if (!batch) open.push((batch = []));
      batch.push(file);
      this.batchOf.set(file, batch);
    }
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /** The kept sandboxes of a corpus file (undefined when the oracle left none), made with its batch. */
  async prepare(relative: string): Promise<PreparedFile | undefined> {
    const batch = this.batchOf.get(relative) ?? [relative];
    const id = batch[0];
    let made = this.batches.get(id);
    if (!made) this.batches.set(id, (made = this.run(batch)));
    return (await made).get(relative);
  }

  /** Runs nginx-oracle on a batch with ORACLE_KEEP=1 and TMPDIR in our folder, and finds the sandboxes. */
  private async run(batch: readonly string[]): Promise<Map<string, PreparedFile>> {
    const home = join(this.root, `batch-${this.batches.size}`);
    mkdirSync(home, { recursive: true });
    const args = [ORACLE_TOOL, '--manifest', MANIFEST, ...batch.map((file) => join(CORPUS_DIR, file))];
    const { output } = await run(process.execPath, args, { ...process.env, ORACLE_KEEP: '1', TMPDIR: home }, 600_000);
    const records = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as OracleRecord);
    const made: Array<{ prefix: string; wrapper: string; target: string; time: bigint }> = [];
    for (const name of readdirSync(home).filter((entry) => entry.startsWith('nginx-oracle.'))) {
      for (const wrapper of findWrapper(join(home, name))) {
        // The wrapper's last include is the file (the first may load Debian's modules).
        const target = [...readFileSync(wrapper, 'latin1').matchAll(/include (\S+?);/g)].pop()?.[1];
        if (target) made.push({ prefix: join(home, name), wrapper, target, time: statSync(wrapper, { bigint: true }).mtimeNs });
      }
    }
    const prepared = new Map<string, PreparedFile>();
    batch.forEach((file, index) => {
      const record = records[index];
      if (!record) return;
      // One sandbox per attempt, made one after the other: the oracle stops at the first that nginx accepts.
      const suffix = `/repo/${this.paths.get(file) ?? file.split('/').pop()}`;
      const attempts = made.filter((entry) => entry.target.endsWith(suffix)).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      if (attempts.length > 0) {
        prepared.set(file, {
          record,
          attempts: attempts.map(({ prefix, wrapper, target }) => ({ prefix, wrapper, target, text: readFileSync(target, 'latin1') })),
        });
      }
    });
    return prepared;
  }
}

const ERROR_LOG_OPTION_SINCE = '1.19.5';

/** `binary`'s verdict on `text` in place of the sandbox's file (one at a time per sandbox). */
export async function judgeInSandbox(sandbox: Sandbox, text: string, binary: NginxBinary): Promise<NginxVerdict> {
  writeFileSync(sandbox.target, text, 'latin1');
  const wrapper = binary.debian ? sandbox.wrapper : sourceBuildWrapper(sandbox);
  // -e (the error log while reading the configuration) appeared in 1.19.5 (nginx.c, ngx_get_options);
  // without it errors still go to stderr, the log not being open yet.
  const errorLog = compareVersions(binary.version, ERROR_LOG_OPTION_SINCE) >= 0 ? ['-e', 'stderr'] : [];
  const { status, output } = await run(binary.path, ['-t', '-q', ...errorLog, '-p', sandbox.prefix + '/', '-c', wrapper]);
  if (status === 0) return { ok: true };
  const lines = output.split('\n').filter(Boolean);
  const strip = (line: string) =>
    line.replace(/^nginx: \[\w+\] /, '').replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[\w+\] \d+#\d+: /, '');
  const error = lines.find((line) => /\[(emerg|alert|crit)\]/.test(line)) ?? lines[lines.length - 1] ?? `exit ${status}`;
  const text2 = strip(error);
  const at = / in (\/\S+):(\d+)$/.exec(text2);
  const message = (at ? text2.slice(0, at.index) : text2).split(sandbox.prefix + '/').join('');
  const verdict: NginxVerdict = { ok: false, message, environmental: ENVIRONMENTAL.test(message) };
  if (at && at[1] === sandbox.target) verdict.line = Number(at[2]);
  else verdict.elsewhere = at ? at[1].split(sandbox.prefix + '/').join('') : 'no location';
  return verdict;
}

/** The oracle's wrapper may include this folder, whose files load Debian's dynamic modules. */
const DEBIAN_MODULE_LOADS = /include \/etc\/nginx\/modules-enabled\/\*\.conf;/g;

/**
 * The sandbox's wrapper without Debian's module loads, beside it (so that relative paths resolve
 * alike) and with the same lines; made once per sandbox.
 */
function sourceBuildWrapper(sandbox: Sandbox): string {
  const path = join(dirname(sandbox.wrapper), '.oracle-wrapper-source-build.conf');
  if (!existsSync(path)) writeFileSync(path, readFileSync(sandbox.wrapper, 'latin1').replace(DEBIAN_MODULE_LOADS, ''), 'latin1');
  return path;
}

/**
 * nginx rejects a directive of a third-party module we know (Debian's nginx-extras has it, a source
 * build does not): a user of that release who has the module would not see this error.
 */
export function unknownThirdPartyDirective(verdict: NginxVerdict): boolean {
  const name = /^unknown directive "([^"]+)"$/.exec(verdict.message ?? '')?.[1];
  return name !== undefined && Object.hasOwn(thirdPartyDirectives, name);
}

/** The wrapper files (`.oracle-wrapper.conf`) of an oracle sandbox. */
function findWrapper(prefix: string): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isFile() && entry.name === '.oracle-wrapper.conf') found.push(path);
      else if (entry.isDirectory() && depth < 64) visit(path, depth + 1);
    }
  };
  visit(join(prefix, 'repo'), 0);
  return found;
}

/**
 * The verdicts of one nginx binary kept between runs in a folder of the caller's choice (never the
 * repo), keyed by the binary (its path names the tarball's hash for a source build) and everything
 * else they depend on.
 */
export class VerdictCache<T> {
  constructor(private readonly dir: string, private readonly binary: NginxBinary) {
    mkdirSync(dir, { recursive: true });
  }

  private path(key: readonly string[]): string {
    const hash = createHash('sha1');
    for (const part of [this.binary.path, this.binary.version, ...key]) hash.update(part).update('\u0000');
    return join(this.dir, hash.digest('hex') + '.json');
  }

  get(key: readonly string[]): T | undefined {
    const path = this.path(key);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
  }

  set(key: readonly string[], value: T): void {
    writeFileSync(this.path(key), JSON.stringify(value));
  }
}
