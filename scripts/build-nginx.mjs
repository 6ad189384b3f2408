#!/usr/bin/env node
// Builds nginx releases from ../shared/nginx-src/nginx-VERSION.tar.gz, to serve the tests as real
// oracles of the versions users run (Debian's /usr/sbin/nginx is only 1.22.1).
//
// Usage: node scripts/build-nginx.mjs [VERSION...]   e.g. 1.24.0 1.30.4; none: ORACLE_RELEASES
//
// Each build goes to NGINX_BUILDS (default ~/.cache/nginx-websocket-tools/nginx/), outside the
// clone, as <version>-<first 16 hex digits of the tarball's sha256>/nginx, so that a changed
// tarball gets a build of its own; a build whose binary exists is skipped. A build is made in a
// temporary folder beside the cache and renamed into place when complete, so an interrupted build
// leaves nothing that looks finished. Needs Debian's build-essential libpcre2-dev libpcre3-dev
// zlib1g-dev libssl-dev. One build takes 20-60 s on two cores.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NGINX_SOURCES = fileURLToPath(new URL('../../shared/nginx-src/', import.meta.url));

/**
 * The releases the tests judge with, besides Debian's 1.22.1 (.ci/run builds them): what Ubuntu
 * 22.04, Ubuntu 24.04 and Debian 13 ship, and nginx.org's stable and mainline.
 */
export const ORACLE_RELEASES = ['1.18.0', '1.24.0', '1.26.3', '1.30.4', '1.31.4'];

/** Hex digits of the tarball's sha256 in a build's folder name: enough to tell tarballs apart. */
const HASH_DIGITS = 16;

/** The folder that holds the builds. */
export function buildsRoot() {
  return process.env.NGINX_BUILDS || join(homedir(), '.cache', 'nginx-websocket-tools', 'nginx');
}

/** @param {string} version */
export function tarballOf(version) {
  return join(NGINX_SOURCES, `nginx-${version}.tar.gz`);
}

/**
 * The folder of the build of `version` from the tarball as it is now.
 * @param {string} version
 */
export function buildDirOf(version) {
  const hash = createHash('sha256').update(readFileSync(tarballOf(version))).digest('hex');
  return join(buildsRoot(), `${version}-${hash.slice(0, HASH_DIGITS)}`);
}

/**
 * -1, 0 or 1 as release `a` is older than, the same as or newer than `b` ("1.21.5").
 * @param {string} a
 * @param {string} b
 */
export function compareVersions(a, b) {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * The modules of a typical distribution build (Debian's, less those needing other libraries:
 * geoip, image_filter, perl, xslt), statically linked.
 */
const MODULES = [
  '--with-threads', '--with-pcre-jit',
  '--with-http_ssl_module', '--with-http_v2_module', '--with-http_realip_module', '--with-http_addition_module',
  '--with-http_sub_module', '--with-http_dav_module', '--with-http_flv_module', '--with-http_mp4_module',
  '--with-http_gunzip_module', '--with-http_gzip_static_module', '--with-http_auth_request_module',
  '--with-http_random_index_module', '--with-http_secure_link_module', '--with-http_slice_module',
  '--with-http_stub_status_module',
  '--with-stream', '--with-stream_ssl_module', '--with-stream_realip_module', '--with-stream_ssl_preread_module',
  '--with-mail', '--with-mail_ssl_module',
];
/** auto/options knows --with-http_v3_module from this release on. */
const HTTP3_SINCE = '1.25.0';
/**
 * Before this release nginx links PCRE1 only (libpcre3-dev), and its code trips OpenSSL 3's
 * deprecation warnings, which auto/cc/gcc's -Werror makes fatal.
 */
const PCRE2_SINCE = '1.21.5';

/** @param {string} version */
export function configureArguments(version) {
  const args = [...MODULES];
  if (compareVersions(version, HTTP3_SINCE) >= 0) args.push('--with-http_v3_module');
  if (compareVersions(version, PCRE2_SINCE) < 0) args.push('--with-cc-opt=-Wno-error');
  return args;
}

/**
 * Runs a build step with its output in `log`; throws with the log's end when it fails.
 * @param {string} command @param {string[]} args @param {string} cwd @param {string} log
 */
function step(command, args, cwd, log) {
  const run = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  writeFileSync(log, `$ ${command} ${args.join(' ')}\n${run.stdout ?? ''}${run.stderr ?? ''}`, { flag: 'a' });
  if (run.status !== 0) {
    const tail = readFileSync(log, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${command} ${args[0] ?? ''} failed (${run.error?.message ?? `exit ${run.status}`}):\n${tail}`);
  }
}

/**
 * Builds `version` unless its binary exists; returns the binary's path.
 * @param {string} version
 */
export function buildNginx(version) {
  const dir = buildDirOf(version);
  const binary = join(dir, 'nginx');
  if (existsSync(binary)) return binary;
  mkdirSync(buildsRoot(), { recursive: true });
  // Beside the cache, so that the final rename stays on one file system.
  const temp = mkdtempSync(join(buildsRoot(), `.build-${version}-`));
  try {
    const log = join(temp, 'build.log');
    step('tar', ['-xzf', tarballOf(version), '-C', temp], temp, log);
    const source = join(temp, `nginx-${version}`);
    const args = configureArguments(version);
    // git archive of the release tag: the configure script is auto/configure.
    step('sh', ['./auto/configure', ...args], source, log);
    step('make', [`-j${availableParallelism()}`], source, log);
    const result = join(temp, 'result');
    mkdirSync(result);
    copyFileSync(join(source, 'objs', 'nginx'), join(result, 'nginx'));
    writeFileSync(join(result, 'build.json'), JSON.stringify({ version, tarball: tarballOf(version), configure: args }, null, 2) + '\n');
    try {
      renameSync(result, dir);
    } catch (error) {
      // Another run finished the same build first: theirs is as good.
      if (!existsSync(binary)) throw error;
    }
    return binary;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const versions = process.argv.length > 2 ? process.argv.slice(2) : ORACLE_RELEASES;
  let failed = false;
  // One at a time: each build already uses every core.
  for (const version of versions) {
    if (!existsSync(tarballOf(version))) {
      console.error(`nginx ${version}: no ${tarballOf(version)}`);
      failed = true;
      continue;
    }
    const existed = existsSync(join(buildDirOf(version), 'nginx'));
    const started = Date.now();
    try {
      const binary = buildNginx(version);
      console.log(`nginx ${version}: ${binary} (${existed ? 'cached' : `built in ${((Date.now() - started) / 1000).toFixed(0)} s`})`);
    } catch (error) {
      console.error(`nginx ${version}: ${error instanceof Error ? error.message : error}`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}
