// Starts code-server (VS Code 1.139 web + server) on 127.0.0.1 with a throw-away user-data and extensions dir.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CODE_SERVER_ENTRY, NODE24, NODE24_DIR } from './install.mjs';
import { log, run, track, withTimeout } from './util.mjs';

/** User settings that keep the workbench quiet and deterministic (no welcome page, tips, update or AI prompts). */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.editor.enablePreview': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'editor.accessibilitySupport': 'off',
  'editor.hover.delay': 200,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function nodeEnv(base, tmp) {
  return {
    ...base,
    PATH: `${path.join(NODE24_DIR, 'bin')}${path.delimiter}${base.PATH}`,
    // code-server writes a default config and logs under XDG dirs: keep them in the temp dir, not in ~.
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    // No extension gallery (the default, open-vsx.org, is out of reach here and not needed).
    EXTENSIONS_GALLERY: '{}',
  };
}

function commonArgs(tmp) {
  return [
    '--config', path.join(tmp, 'code-server.yaml'),
    '--user-data-dir', path.join(tmp, 'user-data'),
    '--extensions-dir', path.join(tmp, 'extensions'),
  ];
}

/**
 * Lays out `tmp`: user-data/User/settings.json, extensions/, workspace/ (a copy of the fixtures).
 * Returns the workspace path.
 */
export function prepareDirs(tmp, fixturesDir) {
  mkdirSync(path.join(tmp, 'user-data', 'User'), { recursive: true });
  mkdirSync(path.join(tmp, 'extensions'), { recursive: true });
  writeFileSync(path.join(tmp, 'user-data', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  writeFileSync(path.join(tmp, 'code-server.yaml'), 'auth: none\n');
  const ws = path.join(tmp, 'workspace');
  cpSync(fixturesDir, ws, { recursive: true });
  return ws;
}

/** `code-server --install-extension <vsix>` into the temp extensions dir; returns the installed folder names. */
export async function installVsix(tmp, vsix) {
  await run(NODE24, [CODE_SERVER_ENTRY, ...commonArgs(tmp), '--force', '--install-extension', vsix], {
    env: nodeEnv(process.env, tmp),
    quiet: true,
  });
  return readdirSync(path.join(tmp, 'extensions')).filter((n) => !n.startsWith('.') && n !== 'extensions.json');
}

/**
 * Starts code-server on a free port (port 0: the kernel picks it; the log line tells which) and resolves once it listens.
 * `logFile` gets its whole output.
 */
export async function startCodeServer(tmp, { logStream, timeoutMs = 60_000 } = {}) {
  const args = [
    CODE_SERVER_ENTRY,
    ...commonArgs(tmp),
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // A built VS Code honours a window's development `payload` (extensionDevelopmentPath, extensionTestsPath: the
    // extension-host suite, lib/apiSuite.mjs) only with the smoke-test driver enabled.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const child = track(
    spawn(NODE24, args, { env: nodeEnv(process.env, tmp), stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
  );
  const url = await withTimeout(
    new Promise((resolve, reject) => {
      let buf = '';
      const onData = (d) => {
        logStream?.write(d);
        buf += d;
        const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))\/?/.exec(buf);
        if (m) resolve(m[1]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code, signal) => reject(new Error(`code-server exited early (${code ?? signal}):\n${buf.slice(-4000)}`)));
    }),
    timeoutMs,
    'code-server to listen',
  );
  log(`code-server listening on ${url}`);
  return { child, url };
}
