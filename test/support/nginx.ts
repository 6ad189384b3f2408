/**
 * Asks the real nginx binary (`nginx -t`) whether a configuration is valid.
 * The test suite uses it as ground truth for snippets, the parser and diagnostics.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';

/** The release of Debian's nginx-extras that `.ci/run` installs: the tests' judge. */
export const DEBIAN_NGINX_VERSION = '1.22.1';

export interface NginxTestResult {
  ok: boolean;
  /** File of the first error, relative to the temp prefix (absolute if outside it). */
  file?: string;
  line?: number;
  /** Error text without the trailing ` in file:line`. */
  message?: string;
  /** Everything nginx printed (stdout + stderr). */
  output: string;
}

// Matches both "nginx: [emerg] msg in /p/f.conf:3" (before logging is set up)
// and "2024/01/01 00:00:00 [emerg] 12#12: msg in /p/f.conf:3"; the location is optional.
const ERROR_LINE = /\[(?:emerg|alert|crit)\] (?:\d+#\d+: )?(.*?)(?: in (\/\S+):(\d+))?$/m;

export function nginxAvailable(): boolean {
  try {
    accessSync(NGINX, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `files` (paths relative to a fresh temp prefix) and runs `nginx -t` on `main` (with Debian's
 * nginx, or the binary `nginx`).
 *
 * No `-g 'pid ...; error_log ...;'`: those clash with the same directives in the
 * tested file ("is duplicate"). Debian's nginx logs to stderr by default and -t writes
 * no pid file, so the prefix alone is enough; relative paths in the config resolve
 * inside the temp dir. Modules need absolute paths, e.g.
 * `load_module /usr/lib/nginx/modules/ngx_stream_module.so;`.
 */
export function nginxTest(files: Record<string, string>, main: string, nginx = NGINX): NginxTestResult {
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-test-'));
  try {
    // A source build opens PREFIX/logs/error.log before it reads the configuration (and 1.18 has no -e).
    mkdirSync(join(prefix, 'logs'));
    for (const [name, text] of Object.entries(files)) {
      if (isAbsolute(name)) throw new Error(`nginxTest: file names must be relative, got ${name}`);
      const path = join(prefix, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    const run = spawnSync(nginx, ['-t', '-q', '-p', `${prefix}/`, '-c', join(prefix, main)], {
      encoding: 'utf8',
    });
    if (run.error) throw run.error;
    const output = run.stdout + run.stderr;
    if (run.status === 0) return { ok: true, output };

    const error = ERROR_LINE.exec(output);
    if (!error) return { ok: false, output };
    const [, message, file, line] = error;
    const result: NginxTestResult = { ok: false, message, output };
    if (file !== undefined) {
      result.file = file.startsWith(`${prefix}/`) ? relative(prefix, file) : file;
      result.line = Number(line);
    }
    return result;
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

let certificates: { cert: string; key: string } | undefined;

/** A self-signed certificate for localhost, generated once per process. */
export function testCertificates(): { cert: string; key: string } {
  if (certificates) return certificates;
  const dir = mkdtempSync(join(tmpdir(), 'nginx-test-certs-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const run = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-keyout', key, '-out', cert],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`openssl failed: ${run.error?.message ?? run.stderr}`);
  certificates = { cert, key };
  return certificates;
}

/** `events {}` + `http { body }`; line N of `body` becomes line N + 2 of the result. */
export function wrapInHttp(body: string): string {
  return `events {}\nhttp {\n${body}\n}\n`;
}
