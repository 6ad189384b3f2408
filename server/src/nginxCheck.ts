// `nginx -t` on save: runs the real nginx binary on a copy of a configuration in a throwaway
// prefix and maps its errors back to the user's files. The server decides whether to run it at all
// (shouldRunNginx: a trusted workspace, the opt-in setting, a machine-scoped executable path, a
// main config inside the workspace folders); this module checks the path and runs nothing else.
//
// Two layers keep nginx from writing anything of the user's:
// 1. The operating system (node/confinement.ts): on Linux, bwrap or unshare run nginx with the file
//    system read-only but for the sandbox folder, private /tmp and /run, no network, killed with
//    the server (node/leftovers.ts). Wherever nginx reads the configuration differently from the
//    rewrite below (an include it cannot follow, a Lua block), nginx may try to write where the
//    configuration says, and fails.
// 2. The rewrite: the main config and every file it includes are copied under <sandbox>/conf/ at
//    their paths relative to the main config's directory, files outside it under
//    <sandbox>/ext/<absolute path>. In the copies, arguments are rewritten in place, never adding
//    or removing a line feed, so nginx's line numbers are the user's:
//      include                  -> the sandbox copies (nginx still expands the globs itself), when
//                                  every file it names was copied; else the user's absolute path
//      pid, error_log, access_log, *_temp_path, *_cache_path -> files and folders in the sandbox
//      load_module (relative)   -> the module under the binary's own --prefix
//      ssl files (relative)     -> the user's file (they resolve against the conf prefix, now the sandbox)
//      ssl files this machine cannot read -> placeholders (see PLACEHOLDERS); nginx checks the rest
//    Defaults that nginx would otherwise write to (the compiled-in temp folders and access log) are
//    set on the `http {` line, the pid file with -g, the error log with -e (nginx 1.19.5 and later).
//    `user` is left alone: run as root, nginx chowns the folders it creates (in the sandbox) to that
//    user, as the real nginx does at every start; not as root, nginx ignores it with a warning.
// Where no confinement is available, the rewrite alone stands, and the check is refused unless the
// rewrite can prove it read the configuration as nginx will (see `unprovable` in Sandbox.prepare).
//
// Files are read as bytes (latin1 strings: one character per byte) and written back byte for byte,
// open editor buffers as their UTF-8 bytes; paths are byte strings too, converted at the edges.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { posix as path } from 'node:path';
import { contextOfChain, MAIN, type Context } from './analysis/context';
import { applyEdits } from './analysis/edits';
import { basename, isInside } from './analysis/paths';
import { DEFAULT_CONF_PREFIX, hasGlob, nearestMainConfig, segmentPattern, Workspace, type ConfigFile, type FileSystem } from './analysis/workspace';
import { walk, type Directive, type Span, type Word } from './parser';
import { detectConfinement, type Detected } from './node/confinement';
import { bytePath, exists, libcGlob, MAX_GLOB_ENTRIES } from './node/libcGlob';
import { makeSandboxFolder, releaseGroup, removeSandboxFolder, sweepOrphanedFolders, trackGroup } from './node/leftovers';
import { MAX_FILE_BYTES, readFileBytes } from './nodeFileSystem';

export interface NginxProblem {
  /** The user's file nginx names (the main config when nginx names none). */
  file: string;
  /** 1-based, as nginx counts (line feeds only); 0 when nginx gave no location. */
  line: number;
  message: string;
  /** True when nginx was not run: why, at the directive that made the check unsafe. */
  refused?: true;
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
  /** When nginx ran: the command line (sandbox paths as they were) and its exit status (null: killed). */
  ran?: { commandLine: string; exitStatus: number | null };
}

export interface NginxCheckOptions {
  /** Absolute path of the nginx binary, from a machine-scoped setting. */
  nginxPath: string;
  /** The nginx.conf to check; its directory is the conf prefix. */
  mainConfig: string;
  /** An open editor buffer's text, checked instead of the file on disk. */
  openBuffer?: (filePath: string) => string | undefined;
  /** For each run of nginx (-V, then -t); default 10 s. */
  timeoutMs?: number;
  /** How nginx -t is confined; default: what detectConfinement() finds on this machine. */
  confinement?: Detected;
}

/** Whether to run nginx on save: only in a trusted workspace, when enabled, with a path set. */
export function shouldRunNginx(state: { trusted: boolean; enabled: boolean; executablePath: string | undefined }): boolean {
  return state.trusted === true && state.enabled === true && typeof state.executablePath === 'string' && state.executablePath.trim() !== '';
}

/**
 * The main config a saved file is checked with: the nginx.conf among `roots` whose directory holds
 * the file (the nearest), else the file itself when it is named nginx.conf; undefined unless it lies
 * inside one of the workspace `folders` (its real path, symbolic links followed): a trusted
 * workspace vouches for its own files, not for an nginx.conf opened from elsewhere.
 */
export function mainConfigFor(filePath: string, roots: readonly string[], folders: readonly string[]): string | undefined {
  const main = nearestMainConfig(filePath, roots) ?? (basename(filePath) === 'nginx.conf' ? filePath : undefined);
  return main !== undefined && insideFolders(main, folders) ? main : undefined;
}

/** Whether `filePath` (symbolic links followed) lies inside one of `folders`. */
function insideFolders(filePath: string, folders: readonly string[]): boolean {
  const real = (file: string) => {
    try {
      return fs.realpathSync(file);
    } catch {
      return undefined;
    }
  };
  const file = real(filePath);
  return file !== undefined && folders.some((folder) => {
    const root = real(folder);
    return root !== undefined && isInside(file, root);
  });
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

/** How the check is confined here, in words for the Output channel. */
export function describeConfinement(detected: Detected = detectConfinement()): string {
  return 'unavailable' in detected
    ? `nginx -t on save is not confined by the operating system here (${detected.unavailable}): ` +
        'it runs only configurations whose includes, globs and Lua blocks the sandbox rewrite reads as nginx does'
    : `nginx -t on save runs confined by ${detected.kind}: file system read-only but its sandbox folder, ` +
        'private /tmp and /run, no network, killed with the server';
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** The first nginx with -e (the error log used before the configuration is read). */
const MIN_VERSION = [1, 19, 5];
const MAX_OUTPUT_CHARS = 1 << 20;

/** A user's text or path as the byte string the check works on, and back. */
const toBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const fromBytes = (bytes: string) => Buffer.from(bytes, 'latin1').toString('utf8');

/** Why a main config is not checked here: the sandbox's copy and rewrite handle POSIX paths only. */
export const NOT_POSIX_PATH = 'nginx -t on save checks configurations on POSIX paths only (Linux, macOS): not run for a Windows path';

export async function checkWithNginx(options: NginxCheckOptions): Promise<NginxCheckResult> {
  if (!options.mainConfig.startsWith('/')) {
    return { ok: false, problems: [{ file: options.mainConfig, line: 0, message: NOT_POSIX_PATH }], output: '', notes: [] };
  }
  const mainConfig = path.resolve(options.mainConfig);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fail = (message: string, output = ''): NginxCheckResult => ({ ok: false, problems: [{ file: mainConfig, line: 0, message }], output, notes: [] });

  const refused = executablePathProblem(options.nginxPath);
  if (refused) return fail(refused);
  const build = await buildInfo(options.nginxPath, timeoutMs);
  if (typeof build === 'string') return fail(build);
  const confinement = options.confinement ?? detectConfinement();
  const confined = 'unavailable' in confinement ? undefined : confinement;

  sweepOrphanedFolders();
  const dir = makeSandboxFolder();
  try {
    const fileSystem: FileSystem = {
      readFile: (file) => {
        const buffer = options.openBuffer?.(fromBytes(file));
        return buffer !== undefined ? toBytes(buffer) : readBytes(file);
      },
      readDir: (dirPath) => {
        try {
          return fs.readdirSync(bytePath(dirPath), { encoding: 'buffer' }).map((name) => name.toString('latin1'));
        } catch {
          return undefined;
        }
      },
    };
    const sandbox = new Sandbox(dir, toBytes(mainConfig));
    const prepared = sandbox.prepare(fileSystem, build, confined === undefined);
    if (typeof prepared === 'string') return fail(prepared);
    const problemOf = (problem: NginxProblem): NginxProblem => ({ ...problem, file: fromBytes(problem.file), message: fromBytes(problem.message) });
    if ('refusals' in prepared) return { ok: false, problems: prepared.refusals.map(problemOf), output: '', notes: prepared.notes.map(fromBytes) };
    const notes = prepared.notes.map(fromBytes);

    const args = ['-t', '-q', '-p', `${dir}/`, '-c', prepared.main, '-e', path.join(dir, 'error.log')];
    if (!prepared.hasPid) args.push('-g', `pid ${quoteWord(sandbox.file('run', 'nginx.pid', '(default pid)'))};`);
    // The binary and the main config's folder stay visible (read-only) if they are under the private /tmp or /run.
    const command = confined?.wrap(dir, options.nginxPath, args, [options.nginxPath, path.dirname(mainConfig)]) ?? { file: options.nginxPath, args };
    const run = await runProcess(command.file, command.args, timeoutMs, dir);
    const printed = run.stdout + run.stderr;
    const output = fromBytes(sandbox.unsandbox(printed));
    if (run.error) return fail(`could not run ${command.file}: ${run.error.message}`, output);
    // Shown in the Output channel: quoted as nginx would read the words, sandbox paths as they ran.
    const ran = { commandLine: fromBytes([command.file, ...command.args].map(quoteWord).join(' ')), exitStatus: run.status };
    if (run.timedOut) return { ...fail(`nginx -t did not finish within ${timeoutMs} ms and was stopped`, output), ran };
    if (run.status === 0) return { ok: true, problems: [], output, notes, ran };

    let problems = parseProblems(printed, sandbox);
    if (problems.length === 0) problems = parseProblems(readBytes(path.join(dir, 'error.log')) ?? '', sandbox);
    if (problems.length === 0) {
      const last = output.split('\n').filter((line) => line.trim() !== '').pop();
      return { ...fail(last ?? `nginx -t failed (exit status ${run.status})`, output), notes, ran };
    }
    return { ok: false, problems: problems.map(problemOf), output, notes, ran };
  } finally {
    removeSandboxFolder(dir);
  }
}

/** A file's bytes as a latin1 string (non-UTF-8 bytes survive the copy), read as the editor reads files. */
const readBytes = (file: string) => readFileBytes(bytePath(file))?.toString('latin1');

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
// Running: its own process group, so that a timeout (or the server's exit) kills whatever the
// binary started. Output is read as bytes (latin1), like the files.

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
    if (child.pid !== undefined) trackGroup(child.pid);
    const collect = (stream: 'stdout' | 'stderr') => (chunk: string) => {
      if (result[stream].length < MAX_OUTPUT_CHARS) result[stream] += chunk;
    };
    child.stdout.setEncoding('latin1').on('data', collect('stdout'));
    child.stderr.setEncoding('latin1').on('data', collect('stderr'));
    const timer = setTimeout(() => {
      result.timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    const done = (extra: Partial<RunResult>) => {
      clearTimeout(timer);
      if (child.pid !== undefined) releaseGroup(child.pid);
      resolve({ ...result, ...extra });
    };
    child.on('error', (error) => done({ error }));
    child.on('close', (status) => done({ status }));
  });
}

// ---------------------------------------------------------------------------------------------
// nginx's output: "nginx: [emerg] MESSAGE in FILE:LINE" on stderr (the error log has the same
// records with a timestamp and "PID#TID: "). A file name may hold a line feed, so records are cut
// where the next one starts, not at every line feed. Warnings are not problems.

const RECORD_START = /^(?:nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[)/gm;
const ERROR_RECORD = /^[^[]*\[(?:emerg|alert|crit)\] (?:\d+#\d+: )?([^]*)$/;

function parseProblems(output: string, sandbox: Sandbox): NginxProblem[] {
  const problems: NginxProblem[] = [];
  const starts = [...output.matchAll(RECORD_START)].map((match) => match.index!);
  for (const [i, start] of starts.entries()) {
    const record = output.slice(start, starts[i + 1] ?? output.length).replace(/\n$/, '');
    const body = ERROR_RECORD.exec(record)?.[1];
    if (body === undefined) continue;
    const located = sandbox.locate(body);
    const problem = located
      ? { file: sandbox.originalOf(located.file), line: located.line, message: sandbox.unsandbox(located.message) }
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

/**
 * The files nginx reads for the main config, each once, in the context of the first include that
 * reaches it: the include graph, to any depth (the editor's includeGraph() stops at
 * MAX_INCLUDE_DEPTH, nginx does not), up to MAX_CHECKED_FILES files.
 */
function includedFiles(workspace: Workspace, mainConfig: string): Map<string, IncludedFile> {
  const files = new Map<string, IncludedFile>();
  const queue: Array<{ path: string; context: Context }> = [{ path: mainConfig, context: MAIN }];
  // A read index, not shift(): files that all include a big glob make a long queue.
  for (let next = 0; next < queue.length && files.size < MAX_CHECKED_FILES; next++) {
    const { path: filePath, context } = queue[next];
    if (files.has(filePath)) continue;
    const file = workspace.file(filePath);
    if (!file) continue;
    files.set(filePath, { file, context });
    for (const include of workspace.includesOf(file)) {
      const included = contextOfChain(include.ancestors, context);
      for (const target of include.targets) queue.push({ path: target, context: included });
    }
  }
  return files;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The word nginx reads back as `value`, quoted when it must be, with no raw line break. */
function quoteWord(value: string): string {
  if (/^[^\s;{}"'\\$#]+$/.test(value)) return value;
  // ngx_conf_read_token() (src/core/ngx_conf_file.c) turns \n, \r and \t back into those bytes.
  const escaped = value.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

/** Replaces a word's text, keeping its line feeds (after it) so that no line moves. */
function replaceWord(text: string, word: Word, value: string): Edit {
  const feeds = text.slice(word.start, word.end).split('\n').length - 1;
  return { span: word, newText: value + '\n'.repeat(feeds) };
}

/** The 1-based line of an offset, counting line feeds as nginx does. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function patternMatches(pattern: string, file: string): boolean {
  const segments = pattern.split('/');
  const names = file.split('/');
  return segments.length === names.length && segments.every((segment, i) => segmentPattern(segment).test(names[i]));
}

/**
 * Whether a Lua block's end depends on Lua's lexical rules: a plain count of braces closes it
 * elsewhere than the Lua-aware reading (a `}` in a string or comment). nginx's Lua lexer
 * (lua-nginx-module) is not this parser's, so such a block is not proven to end where we think.
 */
function luaEndDepends(text: string, body: Span): boolean {
  let depth = 1;
  for (let i = body.start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i !== body.end;
  }
  return body.end !== text.length;
}

/**
 * Whether nginx's reading of an absolute path differs from its lexical normalization: the kernel
 * resolves `..` from where a symbolic link leads (or fails where a folder is missing).
 */
function dotDotDiverges(raw: string): boolean {
  let lexical = '/';
  for (const segment of raw.split('/').filter(Boolean)) {
    if (hasGlob(segment)) return false; // libcGlob() refuses a `..` after a wildcard
    if (segment === '..') {
      try {
        if (fs.realpathSync(bytePath(lexical), { encoding: 'buffer' }).toString('latin1') !== lexical) return true;
      } catch {
        return true;
      }
      lexical = path.dirname(lexical);
    } else if (segment !== '.') lexical = path.join(lexical, segment);
  }
  return false;
}


const isHttp = (context: Context) => context.kind === 'directives' && context.family === 'http' && context.name === 'http';
const isMain = (context: Context) => context.kind === 'directives' && context.name === 'main';

function readable(filePath: string): boolean {
  try {
    fs.accessSync(bytePath(filePath), fs.constants.R_OK);
    return fs.statSync(bytePath(filePath)).isFile();
  } catch {
    return false;
  }
}

/**
 * The most files one check copies. nginx has no limit on includes nor on their depth (the editor's
 * analysis stops at MAX_INCLUDE_DEPTH: a copy that stopped there made nginx fail to open level 17).
 * An include of a file past this budget is not rewritten: see Sandbox.includeProof().
 */
const MAX_CHECKED_FILES = 1024;

interface IncludedFile {
  file: ConfigFile;
  /** The context nginx reads the file in, from the first include that reaches it. */
  context: Context;
}

/** How an include is rewritten: to the sandbox copies of `pattern`, or not (`real`, and why). */
type IncludeProof = { copied: true; pattern: string } | { copied: false; real: string; why: string };

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
    return text.replace(new RegExp(`${escapeRegExp(this.dir)}(?:/[^\\s"':]*)?`, 'g'), (match) => this.originalOf(match));
  }

  /** An error's message, file and line ("MESSAGE in FILE:LINE"), a sandbox file preferred. */
  locate(body: string): { message: string; file: string; line: number } | undefined {
    const located = new RegExp(`^([^]*?) in (${escapeRegExp(this.dir)}/[^]*):(\\d+)$`).exec(body) ?? /^([^]*) in (\/[^]*):(\d+)$/.exec(body);
    return located ? { message: located[1], file: located[2], line: Number(located[3]) } : undefined;
  }

  /** A fresh sandbox file name in `folder`, standing for `original` in messages. */
  file(folder: string, name: string, original: string): string {
    const fresh = path.join(this.dir, folder, `${this.counter++}-${name}`);
    fs.mkdirSync(path.dirname(fresh), { recursive: true });
    this.stands.set(fresh, original);
    return fresh;
  }

  /**
   * Writes the copies; returns the sandbox main config, why the check cannot run, or (with
   * `unconfined`) the directives that make it unsafe: the rewrite cannot prove that nginx writes
   * only where it was redirected when nginx reads files it did not copy or reads them otherwise.
   */
  prepare(fileSystem: FileSystem, build: BuildInfo, unconfined: boolean):
    { main: string; hasPid: boolean; notes: string[] } | { refusals: NginxProblem[]; notes: string[] } | string {
    const confDir = this.confDir;
    // nginx resolves every relative include against the conf prefix, whichever file holds it.
    const workspace = new (class extends Workspace {
      override confRootOf(): string {
        return confDir;
      }
    })(fileSystem);
    workspace.roots = [this.mainConfig];
    const files = includedFiles(workspace, this.mainConfig);
    if (!files.has(this.mainConfig)) return `cannot read ${this.mainConfig}`;

    const notes: string[] = [];
    const refusals: NginxProblem[] = [];
    const copies: Array<{ path: string; text: string; edits: Edit[] }> = [];
    const sslFiles: SslFile[] = [];
    const httpLevel = new Set<string>();
    let httpBlock: { edits: Edit[]; offset: number } | undefined;
    let hasPid = false;

    for (const [filePath, { file, context }] of files) {
      const { text } = file;
      const edits: Edit[] = [];
      const replace = (word: Word, value: string) => edits.push(replaceWord(text, word, value));
      const refuse = (directive: Directive, why: string) =>
        refusals.push({ file: filePath, line: lineOf(text, directive.start), message: `nginx -t was not run: ${why}`, refused: true });
      copies.push({ path: filePath, text, edits });

      for (const include of workspace.includesOf(file)) {
        const pattern = include.directive.args[0];
        const proof = this.includeProof(pattern.value, include.targets, files);
        if (proof.copied) replace(pattern, quoteWord(this.copyPath(proof.pattern)));
        else if (unconfined) refuse(include.directive, proof.why);
        else replace(pattern, quoteWord(proof.real)); // nginx reads the user's files, read-only
      }

      walk(file.tree.root, (directive, ancestors) => {
        const name = directive.name.value;
        const here = contextOfChain(ancestors, context);
        if (unconfined && directive.luaBody && luaEndDepends(text, directive.luaBody)) {
          refuse(directive, `the end of this Lua block depends on Lua's lexical rules (a brace in a string or comment), which nginx's Lua lexer may read otherwise`);
        }
        // A map's, geo's or types' entries are data: a key named `pid` is not the pid directive.
        if (here.kind === 'data') return;
        if (isHttp(here)) httpLevel.add(name);
        if (name === 'http' && directive.block && ancestors.length === 0 && isMain(context)) {
          httpBlock ??= { edits, offset: directive.block.start + 1 };
        }
        const first = directive.args[0];
        if (!first) return;
        const value = first.value;
        const ssl = SSL_FILE_DIRECTIVE.exec(name);
        if (name === 'pid' && isMain(here)) {
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
    if (refusals.length > 0) return { refusals, notes };

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
      fs.mkdirSync(bytePath(path.dirname(target)), { recursive: true });
      fs.writeFileSync(bytePath(target), applyEdits(copy.text, copy.edits), 'latin1');
    }
    return { main: this.copyPath(this.mainConfig), hasPid, notes };
  }

  /**
   * Whether nginx, given the sandbox copies of an include's pattern, reads what it would read from
   * the user's files: every file glob(3) (or open(), for a plain name) finds there is among the
   * editor's targets and the other way round, each was copied, and no `..` resolves otherwise on disk.
   * The pattern kept is the one the editor found the targets with (an absolute /etc/nginx/ one may
   * have been found in the conf root); `real` is what nginx reads unrewritten (relative ones made
   * absolute: the conf prefix is now the sandbox).
   */
  private includeProof(pattern: string, targets: readonly string[], files: ReadonlyMap<string, IncludedFile>): IncludeProof {
    // Joined as ngx_conf_full_name() joins them, without normalizing `..`.
    const candidates = [path.isAbsolute(pattern) ? pattern : `${this.confDir}/${pattern}`];
    if (pattern.startsWith(DEFAULT_CONF_PREFIX)) candidates.push(`${this.confDir}/${pattern.slice(DEFAULT_CONF_PREFIX.length)}`);
    const raw = (targets.length > 0 && candidates.find((candidate) => patternMatches(path.normalize(candidate), targets[0]))) || candidates[0];
    // Not normalized either: where a `..` follows a symbolic link, the kernel resolves it from the link's target.
    const real = candidates[0];
    const refused = (why: string): IncludeProof => ({ copied: false, real, why: `include "${pattern}" ${why}` });

    if (dotDotDiverges(raw)) return refused(`goes through ".." after a symbolic link (or a missing folder), which nginx resolves on disk`);
    const found = hasGlob(raw) ? libcGlob(raw) : exists(raw) ? [raw] : [];
    if (found === undefined) {
      return refused(`is a glob that the sandbox cannot expand as glob(3) does ([classes], \\escapes, more than ${MAX_GLOB_ENTRIES} entries)`);
    }
    const expected = new Set(found.map((file) => path.normalize(file)));
    const unexpanded = [...expected].find((file) => !targets.includes(file));
    if (unexpanded !== undefined) return refused(`names ${unexpanded}, which the sandbox could not read (not a regular file, or larger than ${MAX_FILE_BYTES} bytes) or expand`);
    const extra = targets.find((file) => !expected.has(file));
    if (extra !== undefined) return refused(`names ${extra} for the editor but not for glob(3)`);
    const uncopied = targets.find((file) => !files.has(file));
    if (uncopied !== undefined) return refused(`names ${uncopied}, past the ${MAX_CHECKED_FILES} files one check copies`);
    return { copied: true, pattern: path.normalize(raw) };
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
