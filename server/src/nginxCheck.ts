// `nginx -t` on save: runs the real nginx binary on a copy of a configuration in a throwaway
// prefix, so that it writes nothing of the user's, and maps its errors back to the user's files.
// The server decides whether to run it at all (shouldRunNginx: a trusted workspace, the opt-in
// setting and a machine-scoped executable path); this module checks the path and runs nothing else.
//
// The sandbox: the main config and every file it includes (the include graph, as the editor
// resolves it) are copied under <sandbox>/conf/ at their paths relative to the main config's
// directory, files outside it under <sandbox>/ext/<absolute path>. In the copies, arguments are
// rewritten in place, never adding or removing a line, so nginx's line numbers are the user's:
//   include                  -> the sandbox copies (nginx still expands the globs itself)
//   pid, error_log, access_log, *_temp_path, *_cache_path -> files and folders in the sandbox
//   load_module (relative)   -> the module under the binary's own --prefix
//   ssl files (relative)     -> the user's file (they resolve against the conf prefix, now the sandbox)
//   ssl files this machine cannot read -> placeholders (see PLACEHOLDERS); nginx checks the rest
// `user` is left alone: run as root, nginx chowns the folders it creates to that user, as the real
// nginx does at every start (so a rewrite to root would change what a module's compiled-in folder,
// such as nchan's use of /var/lib/nginx/body, belongs to); not as root, nginx ignores it with a warning.
// Defaults that nginx would otherwise write to (the compiled-in temp folders and access log) are
// set on the `http {` line, the pid file with -g, the error log with -e (nginx 1.19.5 and later).

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { posix as path } from 'node:path';
import { contextOfChain, type Context } from './analysis/context';
import { includeGraph } from './analysis/fileContext';
import { DEFAULT_CONF_PREFIX, nearestMainConfig, segmentPattern, Workspace, type FileSystem } from './analysis/workspace';
import { applyEdits } from './analysis/edits';
import { walk, type Span, type Word } from './parser';
import { nodeFileSystem } from './nodeFileSystem';

export interface NginxProblem {
  /** The user's file nginx names (the main config when nginx names none). */
  file: string;
  /** 1-based, as nginx counts; 0 when nginx gave no location. */
  line: number;
  message: string;
}

export interface NginxCheckResult {
  /** True when nginx -t passed. */
  ok: boolean;
  /** Errors ([emerg], [alert], [crit]), or why the check could not run. */
  problems: NginxProblem[];
  /** What nginx printed, sandbox paths replaced by the user's. */
  output: string;
  /** What was substituted to make the check possible on this machine (placeholder certificates...). */
  notes: string[];
}

export interface NginxCheckOptions {
  /** Absolute path of the nginx binary, from a machine-scoped setting. */
  nginxPath: string;
  /** The nginx.conf to check; its directory is the conf prefix. */
  mainConfig: string;
  /** Open editor buffers first, then the disk (the default: the disk). */
  readFile?: (filePath: string) => string | undefined;
  readDir?: (dirPath: string) => string[] | undefined;
  /** For each run of nginx (-V, then -t); default 10 s. */
  timeoutMs?: number;
}

/** Whether to run nginx on save: only in a trusted workspace, when enabled, with a path set. */
export function shouldRunNginx(state: { trusted: boolean; enabled: boolean; executablePath: string | undefined }): boolean {
  return state.trusted === true && state.enabled === true && typeof state.executablePath === 'string' && state.executablePath.trim() !== '';
}

/**
 * The main config a saved file is checked with: the nginx.conf among `roots` whose directory holds
 * the file (the nearest), else the file itself when it is named nginx.conf.
 */
export function mainConfigFor(filePath: string, roots: readonly string[]): string | undefined {
  return nearestMainConfig(filePath, roots) ?? (path.basename(filePath) === 'nginx.conf' ? filePath : undefined);
}

/** Why `nginxPath` may not be run, or undefined when it is an absolute path to an executable file. */
export function executablePathProblem(nginxPath: string): string | undefined {
  if (!nginxPath || nginxPath.trim() === '') return 'nginx.executablePath is empty';
  if (!path.isAbsolute(nginxPath)) return `nginx.executablePath must be an absolute path, not "${nginxPath}"`;
  try {
    if (!fs.statSync(nginxPath).isFile()) return `nginx.executablePath "${nginxPath}" is not a file`;
    fs.accessSync(nginxPath, fs.constants.X_OK);
    return undefined;
  } catch {
    return `nginx.executablePath "${nginxPath}" is not an executable file`;
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** The first nginx with -e (the error log used before the configuration is read). */
const MIN_VERSION = [1, 19, 5];
const MAX_OUTPUT_CHARS = 1 << 20;

export async function checkWithNginx(options: NginxCheckOptions): Promise<NginxCheckResult> {
  const mainConfig = path.resolve(options.mainConfig);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fail = (message: string, output = ''): NginxCheckResult => ({ ok: false, problems: [{ file: mainConfig, line: 0, message }], output, notes: [] });

  const refused = executablePathProblem(options.nginxPath);
  if (refused) return fail(refused);
  const build = await buildInfo(options.nginxPath, timeoutMs);
  if (typeof build === 'string') return fail(build);

  const dir = fs.mkdtempSync(path.join(tmpdir(), 'nginx-check-'));
  removeOnExit(dir, true);
  try {
    const fileSystem: FileSystem = {
      readFile: options.readFile ?? nodeFileSystem.readFile,
      readDir: options.readDir ?? nodeFileSystem.readDir,
    };
    const sandbox = new Sandbox(dir, mainConfig);
    const prepared = sandbox.prepare(fileSystem, build);
    if (typeof prepared === 'string') return fail(prepared);
    const args = ['-t', '-q', '-p', `${dir}/`, '-c', prepared.main, '-e', path.join(dir, 'error.log')];
    if (!prepared.hasPid) args.push('-g', `pid ${quoteWord(sandbox.file('run', 'nginx.pid', '(default pid)'))};`);
    const run = await runProcess(options.nginxPath, args, timeoutMs, dir);
    const output = sandbox.unsandbox(run.stdout + run.stderr);
    if (run.error) return fail(`could not run ${options.nginxPath}: ${run.error.message}`, output);
    if (run.timedOut) return fail(`nginx -t did not finish within ${timeoutMs} ms and was stopped`, output);
    if (run.status === 0) return { ok: true, problems: [], output, notes: prepared.notes };

    let problems = parseProblems(run.stdout + run.stderr, sandbox);
    if (problems.length === 0) problems = parseProblems(readText(path.join(dir, 'error.log')), sandbox);
    if (problems.length === 0) {
      const last = output.split('\n').filter((line) => line.trim() !== '').pop();
      problems = [{ file: mainConfig, line: 0, message: last ?? `nginx -t failed (exit status ${run.status})` }];
    }
    return { ok: false, problems, output, notes: prepared.notes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    removeOnExit(dir, false);
  }
}

/** Sandboxes of checks still running: removed if the process exits first (the server is stopped mid-check). */
const liveSandboxes = new Set<string>();
let exitHooked = false;

function removeOnExit(dir: string, live: boolean): void {
  if (!live) {
    liveSandboxes.delete(dir);
    return;
  }
  if (!exitHooked) process.on('exit', () => liveSandboxes.forEach((left) => fs.rmSync(left, { recursive: true, force: true })));
  exitHooked = true;
  liveSandboxes.add(dir);
}

// ---------------------------------------------------------------------------------------------
// The binary: its version, --prefix and the modules built without (nginx -V), cached per file.

interface BuildInfo {
  /** nginx's --prefix, which relative load_module paths resolve against. */
  prefix: string;
  /** The http modules with a temp path that the binary has (client_body is always there). */
  tempPaths: string[];
}

const TEMP_PATH_MODULES = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];
const buildCache = new Map<string, BuildInfo>();

/** The binary's build, or why it cannot be used. */
async function buildInfo(nginxPath: string, timeoutMs: number): Promise<BuildInfo | string> {
  const stat = fs.statSync(nginxPath);
  const key = `${nginxPath}\0${stat.mtimeMs}\0${stat.size}`;
  const cached = buildCache.get(key);
  if (cached) return cached;
  const run = await runProcess(nginxPath, ['-V'], timeoutMs);
  if (run.error) return `could not run ${nginxPath}: ${run.error.message}`;
  if (run.timedOut) return `${nginxPath} -V did not finish within ${timeoutMs} ms and was stopped`;
  const text = run.stdout + run.stderr;
  const versionLine = /^nginx version: (.*)$/m.exec(text)?.[1] ?? '';
  const version = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(versionLine) ?? /(\d+)\.(\d+)\.(\d+)/.exec(versionLine);
  if (version && compareVersions(version.slice(1, 4).map(Number), MIN_VERSION) < 0) {
    return `${versionLine} is older than nginx 1.19.5: nginx -t on save needs its -e option to keep the error log in the sandbox`;
  }
  const configure = /^configure arguments: (.*)$/m.exec(text)?.[1] ?? '';
  const info: BuildInfo = {
    prefix: /(?:^|\s)--prefix=(\S+)/.exec(configure)?.[1] ?? '/usr/local/nginx',
    tempPaths: TEMP_PATH_MODULES.filter((module) => !configure.includes(`--without-http_${module}_module`)),
  };
  buildCache.set(key, info);
  return info;
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Running: its own process group, so that a timeout kills whatever the binary started.

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  error?: Error;
}

function runProcess(file: string, args: string[], timeoutMs: number, cwd?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const result: RunResult = { status: null, stdout: '', stderr: '', timedOut: false };
    const child = spawn(file, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (stream: 'stdout' | 'stderr') => (chunk: string) => {
      if (result[stream].length < MAX_OUTPUT_CHARS) result[stream] += chunk;
    };
    child.stdout.setEncoding('utf8').on('data', collect('stdout'));
    child.stderr.setEncoding('utf8').on('data', collect('stderr'));
    const timer = setTimeout(() => {
      result.timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ...result, error });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ ...result, status });
    });
  });
}

function readText(filePath: string): string {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// nginx's output: "nginx: [emerg] MESSAGE in FILE:LINE" on stderr (the error log has the same
// lines with a timestamp and "PID#TID: "). Warnings are not problems.

const ERROR_LINE = /\[(?:emerg|alert|crit)\] (?:\d+#\d+: )?(.*)$/;
const LOCATION = /^(.*) in (\/.*):(\d+)$/;

function parseProblems(output: string, sandbox: Sandbox): NginxProblem[] {
  const problems: NginxProblem[] = [];
  for (const line of output.split('\n')) {
    const body = ERROR_LINE.exec(line.trimEnd())?.[1];
    if (body === undefined) continue;
    const located = LOCATION.exec(body);
    const problem = located
      ? { file: sandbox.originalOf(located[2]), line: Number(located[3]), message: sandbox.unsandbox(located[1]) }
      : { file: sandbox.mainConfig, line: 0, message: sandbox.unsandbox(body) };
    if (!problems.some((p) => p.file === problem.file && p.line === problem.line && p.message === problem.message)) problems.push(problem);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The sandbox.

/**
 * Stand-ins for TLS files this machine cannot read (a laptop editing a server's configuration
 * rarely can read /etc/letsencrypt): RFC 7919's public ffdhe2048 group, and (made per check by
 * placeholderPair(), so that no private key ships in the extension) a self-signed P-256 pair.
 * nginx -t loads certificates without checking their dates or names.
 */
const PLACEHOLDERS = {
  dhparam: `-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
`,
  password: 'placeholder\n',
  ticketKey: () => randomBytes(80),
};

/** What an ssl_* file argument is, by the directive name's suffix (after proxy_, grpc_, uwsgi_). */
const SSL_FILES: Record<string, 'certificate' | 'key' | 'ca' | 'dhparam' | 'password' | 'ticketKey' | 'other'> = {
  certificate: 'certificate',
  certificate_key: 'key',
  trusted_certificate: 'ca',
  client_certificate: 'ca',
  dhparam: 'dhparam',
  password_file: 'password',
  session_ticket_key: 'ticketKey',
  crl: 'other',
  stapling_file: 'other',
};
const SSL_FILE_DIRECTIVE = /^(?:(?:proxy|grpc|uwsgi)_)?ssl_([a-z_]+)$/;


interface SslFile {
  word: Word;
  kind: (typeof SSL_FILES)[string];
  absolute: string;
  edits: Edit[];
  text: string;
}

type Edit = { span: Span; newText: string };

/** The word nginx reads back as `value`, quoted when it must be. */
function quoteWord(value: string): string {
  return /^[^\s;{}"'\\$#]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** Replaces a word's text, keeping its line breaks (after it) so that no line moves. */
function replaceWord(text: string, word: Word, value: string): Edit {
  const breaks = text.slice(word.start, word.end).split('\n').length - 1;
  return { span: word, newText: value + '\n'.repeat(breaks) };
}


function patternMatches(pattern: string, file: string): boolean {
  const segments = pattern.split('/');
  const names = file.split('/');
  return segments.length === names.length && segments.every((segment, i) => segmentPattern(segment).test(names[i]));
}

const isHttp = (context: Context) => context.kind === 'directives' && context.family === 'http' && context.name === 'http';
const isMain = (context: Context) => context.kind === 'directives' && context.name === 'main';

function readable(filePath: string): boolean {
  try {
    fs.accessSync(filePath, fs.constants.R_OK);
    return fs.statSync(filePath).isFile();
  } catch {
    return false;
  }
}

class Sandbox {
  readonly confDir: string;
  private readonly conf: string;
  private readonly ext: string;
  /** Sandbox files that stand for a user's value (log paths, placeholders...), for messages. */
  private readonly stands = new Map<string, string>();
  private counter = 0;

  constructor(
    readonly dir: string,
    readonly mainConfig: string,
  ) {
    this.confDir = path.dirname(mainConfig);
    this.conf = path.join(dir, 'conf');
    this.ext = path.join(dir, 'ext');
  }

  /** Where a user's file (or include pattern) is copied. */
  copyPath(original: string): string {
    const relative = path.relative(this.confDir, original);
    return relative.startsWith('../') || relative === '..' || path.isAbsolute(relative) ? path.join(this.ext, original) : path.join(this.conf, relative);
  }

  /** The user's path for a sandbox path (a copy's, or what a sandbox file stands for). */
  originalOf(sandboxPath: string): string {
    const under = (root: string) => sandboxPath === root || sandboxPath.startsWith(root + '/');
    if (under(this.conf)) return path.join(this.confDir, sandboxPath.slice(this.conf.length));
    if (under(this.ext)) return sandboxPath.slice(this.ext.length) || '/';
    if (this.stands.has(sandboxPath)) return this.stands.get(sandboxPath)!;
    return under(this.dir) ? '<sandbox>' + sandboxPath.slice(this.dir.length) : sandboxPath;
  }

  /** Text with every sandbox path replaced by the user's. */
  unsandbox(text: string): string {
    const escaped = this.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return text.replace(new RegExp(`${escaped}(?:/[^\\s"':]*)?`, 'g'), (match) => this.originalOf(match));
  }

  /** A fresh sandbox file name in `folder`, standing for `original` in messages. */
  file(folder: string, name: string, original: string): string {
    const fresh = path.join(this.dir, folder, `${this.counter++}-${name}`);
    fs.mkdirSync(path.dirname(fresh), { recursive: true });
    this.stands.set(fresh, original);
    return fresh;
  }

  /** Writes the copies; returns the sandbox main config, or why the check cannot run. */
  prepare(fileSystem: FileSystem, build: BuildInfo): { main: string; hasPid: boolean; notes: string[] } | string {
    const confDir = this.confDir;
    // nginx resolves every relative include against the conf prefix, whichever file holds it.
    const workspace = new (class extends Workspace {
      override confRootOf(): string {
        return confDir;
      }
    })(fileSystem);
    workspace.roots = [this.mainConfig];
    const graph = includeGraph(workspace);
    if (!workspace.file(this.mainConfig)) return `cannot read ${this.mainConfig}`;

    const notes: string[] = [];
    const copies: Array<{ path: string; text: string; edits: Edit[] }> = [];
    const sslFiles: SslFile[] = [];
    const httpLevel = new Set<string>();
    let httpBlock: { edits: Edit[]; offset: number } | undefined;
    let hasPid = false;

    for (const [filePath, inclusion] of graph) {
      const file = workspace.file(filePath);
      if (!file) continue;
      const { text } = file;
      const edits: Edit[] = [];
      const replace = (word: Word, value: string) => edits.push(replaceWord(text, word, value));
      copies.push({ path: filePath, text, edits });

      for (const include of workspace.includesOf(file)) {
        const pattern = include.directive.args[0];
        const target = this.includeTarget(pattern.value, include.targets);
        if (target) replace(pattern, quoteWord(this.copyPath(target)));
      }

      walk(file.tree.root, (directive, ancestors) => {
        const name = directive.name.value;
        const first = directive.args[0];
        if (isHttp(contextOfChain(ancestors, inclusion.context))) httpLevel.add(name);
        if (name === 'http' && directive.block && ancestors.length === 0 && isMain(inclusion.context)) {
          httpBlock ??= { edits, offset: directive.block.start + 1 };
        }
        if (!first) return;
        const value = first.value;
        const ssl = SSL_FILE_DIRECTIVE.exec(name);
        if (name === 'pid') {
          hasPid = true;
          replace(first, quoteWord(this.file('run', 'nginx.pid', value)));
        } else if (name === 'error_log' && !/^(stderr$|syslog:|memory:)/.test(value)) {
          replace(first, quoteWord(this.file('logs', 'error.log', value)));
        } else if (name === 'access_log' && value !== 'off' && !value.startsWith('syslog:') && !value.includes('$')) {
          replace(first, quoteWord(this.file('logs', 'access.log', value)));
        } else if (/_(temp|cache)_path$/.test(name)) {
          replace(first, quoteWord(this.file('paths', name, value)));
        } else if (name === 'load_module' && !path.isAbsolute(value)) {
          replace(first, quoteWord(path.join(build.prefix, value)));
        } else if (ssl && SSL_FILES[ssl[1]] && !value.includes('$') && !value.startsWith('data:')) {
          const absolute = path.isAbsolute(value) ? value : path.join(confDir, value);
          sslFiles.push({ word: first, kind: SSL_FILES[ssl[1]], absolute, edits, text });
        }
      });
    }

    this.placeSslFiles(sslFiles, notes);

    // Defaults nginx would write to outside the sandbox, set on the `http {` line itself.
    if (httpBlock) {
      const defaults = build.tempPaths
        .map((module) => `${module}_temp_path`)
        .filter((name) => !httpLevel.has(name))
        .map((name) => `${name} ${quoteWord(this.file('paths', name, `(default ${name})`))};`);
      if (!httpLevel.has('access_log')) defaults.push(`access_log ${quoteWord(this.file('logs', 'access.log', '(default access_log)'))};`);
      if (defaults.length > 0) httpBlock.edits.push({ span: { start: httpBlock.offset, end: httpBlock.offset }, newText: ` ${defaults.join(' ')} ` });
    }

    for (const copy of copies) {
      const target = this.copyPath(copy.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, applyEdits(copy.text, copy.edits));
    }
    return { main: this.copyPath(this.mainConfig), hasPid, notes };
  }

  /**
   * The pattern (resolved to an absolute one) whose sandbox copy nginx should expand: the one the
   * editor found the targets with. Undefined for an absolute pattern that found nothing: nginx
   * then reads the real path and says what it finds there.
   */
  private includeTarget(pattern: string, targets: readonly string[]): string | undefined {
    const candidates = [path.isAbsolute(pattern) ? pattern : path.join(this.confDir, pattern)];
    if (pattern.startsWith(DEFAULT_CONF_PREFIX)) candidates.push(path.join(this.confDir, pattern.slice(DEFAULT_CONF_PREFIX.length)));
    if (targets.length === 0) return path.isAbsolute(pattern) ? undefined : candidates[0];
    return candidates.find((candidate) => patternMatches(candidate, targets[0])) ?? candidates[0];
  }

  /**
   * Relative TLS file paths become absolute (they resolve against the conf prefix, now the
   * sandbox). Unreadable ones get placeholders; when any certificate or key is unreadable, every
   * certificate and key does, so that pairs still match.
   */
  private placeSslFiles(files: SslFile[], notes: string[]): void {
    const isPair = (file: SslFile) => file.kind === 'certificate' || file.kind === 'key';
    const unreadablePair = files.filter(isPair).find((file) => !readable(file.absolute));
    if (unreadablePair) {
      notes.push(`${unreadablePair.absolute} is not readable here: every ssl certificate and key was replaced by a placeholder pair`);
    }
    const pair = unreadablePair || files.some((file) => file.kind === 'ca' && !readable(file.absolute)) ? this.placeholderPair(notes) : undefined;
    const written = new Map<string, string>();
    const placeholder = (kind: keyof typeof PLACEHOLDERS | 'certificate' | 'key'): string | undefined => {
      if (kind === 'certificate' || kind === 'key') return pair?.[kind];
      if (!written.has(kind)) {
        const file = this.file('placeholder', kind, `(placeholder ${kind})`);
        const content = PLACEHOLDERS[kind];
        fs.writeFileSync(file, typeof content === 'function' ? content() : content, { mode: 0o600 });
        written.set(kind, file);
      }
      return written.get(kind)!;
    };
    for (const file of files) {
      const replace = (value: string | undefined) => value && file.edits.push(replaceWord(file.text, file.word, quoteWord(value)));
      if (isPair(file) && unreadablePair) {
        replace(placeholder(file.kind === 'key' ? 'key' : 'certificate'));
      } else if (file.kind !== 'certificate' && file.kind !== 'key' && file.kind !== 'other' && !readable(file.absolute)) {
        notes.push(`${file.absolute} is not readable here: replaced by a placeholder`);
        replace(placeholder(file.kind === 'ca' ? 'certificate' : file.kind));
      } else if (file.absolute !== file.word.value) {
        replace(file.absolute);
      }
    }
  }

  /** A throwaway self-signed pair, made with the openssl command; undefined (and a note) without it. */
  private placeholderPair(notes: string[]): { certificate: string; key: string } | undefined {
    const certificate = this.file('placeholder', 'certificate', '(placeholder certificate)');
    const key = this.file('placeholder', 'key', '(placeholder key)');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-days', '2', '-subj', '/CN=nginx-check.invalid', '-keyout', key, '-out', certificate], { stdio: 'ignore', timeout: 10000 });
    if (made.status === 0) return { certificate, key };
    notes.push('the openssl command is not available: unreadable certificates were left as they are');
    return undefined;
  }
}
