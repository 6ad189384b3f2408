// nginx -t on save must write nothing of the user's, wherever nginx reads the configuration
// differently from the sandbox's rewrite. Each case plants files and folders outside the workspace
// (under /var/tmp, which the confinement keeps read-only, and under /tmp, which it replaces by a
// private one), a configuration that names them where the rewrite cannot follow, and proves them
// untouched (same entries, owners, modes, sizes and times) after the check: confined by the
// operating system (skipped, with the reason, where this machine has no namespaces), and with the
// confinement forced off, where the check must refuse what the rewrite cannot prove, or run it safely.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MAX_INCLUDED_FILES } from '../../server/src/analysis/workspace';
import { checkWithNginx, type NginxCheckResult } from '../../server/src/nginxCheck';
import { detectConfinement } from '../../server/src/node/confinement';
import { nginxAvailable } from '../support/nginx';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const noNginx = nginxAvailable() ? false : 'nginx not installed';
const detected = detectConfinement();
const noConfinement = 'unavailable' in detected ? `no confinement on this machine: ${detected.unavailable}` : false;
const unconfined = { unavailable: 'forced off by the test' };
/** Comment lines past the 16 MB that the editor (and the rewrite) read of a file: 17 MB. */
const OVERSIZED_PADDING = '# padding\n'.repeat(17 * 1024 * 1024 / 10);
const readOnly = /failed \(30: Read-only file system\)/;
const isRoot = process.geteuid?.() === 0;

const scratch = fs.mkdtempSync(path.join(tmpdir(), 'ngxchk-leaks-'));
fs.chmodSync(scratch, 0o755);
const outsideRoots = [fs.mkdtempSync('/var/tmp/ngxchk-outside-'), fs.mkdtempSync(path.join(tmpdir(), 'ngxchk-outside-'))];
after(() => [scratch, ...outsideRoots].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
let count = 0;

interface Case {
  /** Files of the workspace (relative paths); `$OUT` stands for the planted folder outside it. */
  workspace: Record<string, string>;
  /** Files planted outside (relative to `$OUT`); a name may be a Buffer (bytes that are not UTF-8). */
  outside: Array<[string | Buffer, string]>;
  /** Folders planted outside, empty. */
  folders?: string[];
  /** Symbolic links in the workspace: name -> target ($OUT expanded). */
  links?: Record<string, string>;
  /** Whether the rewrite alone can prove the check safe (else it must refuse it). */
  provable: boolean;
  /** What confined nginx says of the planted folder under /var/tmp: it tried to write there. */
  confinedSays?: RegExp;
}

/** Every entry under `root` with what a write or chown would change. */
function snapshot(root: string): string[] {
  const entries: string[] = [];
  const visit = (dir: Buffer) => {
    for (const name of fs.readdirSync(dir, { encoding: 'buffer' })) {
      const full = Buffer.concat([dir, Buffer.from('/'), name]);
      const stat = fs.lstatSync(full);
      entries.push(`${full.toString('latin1')} ${stat.mode} ${stat.uid}:${stat.gid} ${stat.size} ${stat.mtimeMs} ${stat.ctimeMs}`);
      if (stat.isDirectory()) visit(full);
    }
  };
  visit(Buffer.from(root));
  return entries.sort();
}

function plant(leak: Case, outsideRoot: string): string {
  const out = path.join(outsideRoot, `case${count}`);
  const root = path.join(scratch, `ws${count++}`);
  const expand = (text: string) => text.replaceAll('$OUT', out);
  for (const [name, text] of Object.entries(leak.workspace)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), expand(text));
  }
  for (const [name, text] of leak.outside) {
    // As bytes (latin1), so that a name that is not UTF-8 is written as it is.
    const file = `${out}/${typeof name === 'string' ? name : name.toString('latin1')}`;
    fs.mkdirSync(Buffer.from(path.dirname(file), 'latin1'), { recursive: true });
    fs.writeFileSync(Buffer.from(file, 'latin1'), expand(text));
  }
  for (const folder of leak.folders ?? []) fs.mkdirSync(path.join(out, folder), { recursive: true });
  fs.mkdirSync(out, { recursive: true });
  for (const [name, target] of Object.entries(leak.links ?? {})) fs.symlinkSync(expand(target), path.join(root, name));
  return root;
}

const events = 'events {}\n';
const logTo = (name: string) => `error_log $OUT/logs/${name}.log;\n`;
const logsFolder = ['logs'];
/** Folders before the one a glob reaches past the editor's budget (the paths one include may name). */
const PAST_BUDGET = MAX_INCLUDED_FILES;

const cases: Record<string, Case> = {
  'an include of a file over the read limit': {
    workspace: { 'nginx.conf': `include $OUT/big.conf;\n${events}` },
    outside: [['big.conf', logTo('big') + OVERSIZED_PADDING]],
    folders: logsFolder,
    provable: false,
    confinedSays: readOnly,
  },
  'a glob with a POSIX class': {
    workspace: { 'nginx.conf': `include $OUT/conf/[[:alpha:]]*.conf;\n${events}` },
    outside: [['conf/alpha.conf', logTo('alpha')]],
    folders: logsFolder,
    provable: false,
    confinedSays: readOnly,
  },
  'a glob with an escape': {
    workspace: { 'nginx.conf': `include $OUT/conf/\\e*.conf;\n${events}` },
    outside: [['conf/escaped.conf', logTo('escaped')]],
    folders: logsFolder,
    provable: false,
    confinedSays: readOnly,
  },
  'a glob of hidden files': {
    workspace: { 'nginx.conf': `include $OUT/conf/.*.conf;\n${events}` },
    outside: [['conf/.hidden.conf', logTo('hidden')]],
    folders: logsFolder,
    provable: true,
  },
  'a glob matching a file name that is not UTF-8': {
    workspace: { 'nginx.conf': `include $OUT/conf/*.conf;\n${events}` },
    outside: [[Buffer.from([0x63, 0x6f, 0x6e, 0x66, 0x2f, 0xff, 0xfe, 0x2e, 0x63, 0x6f, 0x6e, 0x66]), logTo('latin1')]],
    folders: logsFolder,
    provable: true,
  },
  // Past the paths one include may name (MAX_INCLUDED_FILES): the editor cannot read that far.
  [`the ${PAST_BUDGET + 1}th directory of a glob`]: {
    workspace: { 'nginx.conf': `include $OUT/many/d*/x.conf;\n${events}` },
    outside: [[`many/d${PAST_BUDGET}/x.conf`, logTo('many')]],
    folders: [...logsFolder, ...Array.from({ length: PAST_BUDGET }, (_, i) => `many/d${String(i).padStart(4, '0')}`)],
    provable: false,
    confinedSays: readOnly,
  },
  'an include through a symbolic link and ..': {
    workspace: { 'nginx.conf': `include link/../x.conf;\n${events}`, 'x.conf': '# the editor reads this one\n' },
    outside: [['real/x.conf', logTo('dotdot')], ['real/sub/keep', '']],
    folders: logsFolder,
    links: { link: '$OUT/real/sub' },
    provable: false,
    confinedSays: readOnly,
  },
  'a Lua block holding a brace in a string': {
    workspace: {
      'nginx.conf': 'load_module /usr/share/nginx/modules/ndk_http_module.so;\nload_module /usr/share/nginx/modules/ngx_http_lua_module.so;\n' +
        `${events}http {\n    init_by_lua_block { local brace = "}" }\n    ${logTo('lua')}}\n`,
    },
    outside: [],
    folders: logsFolder,
    provable: false,
  },
  'a map key named pid, and the compiled-in temp folders': {
    workspace: { 'nginx.conf': `${events}http {\n    map $uri $x {\n        pid 1;\n    }\n    include $OUT/big.conf;\n}\n` },
    // As root, nginx chowns the temp folders to the (default) user: the read-only file system refuses.
    outside: [['big.conf', `server {\n    client_body_temp_path $OUT/body;\n}\n` + OVERSIZED_PADDING]],
    folders: ['body'],
    provable: false,
    confinedSays: isRoot ? readOnly : undefined,
  },
};

const luaModule = fs.existsSync('/usr/share/nginx/modules/ngx_http_lua_module.so');
function skipFor(name: string): string | false {
  return name.startsWith('a Lua') && !luaModule ? 'no lua module' : false;
}

async function check(root: string, confinement?: typeof unconfined): Promise<NginxCheckResult> {
  return checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf'), confinement });
}

for (const [name, leak] of Object.entries(cases)) {
  test(`confined: ${name} writes nothing outside the sandbox`, { skip: noNginx || noConfinement || skipFor(name) }, async () => {
    for (const outsideRoot of outsideRoots) {
      const root = plant(leak, outsideRoot);
      const before = snapshot(outsideRoot);
      const result = await check(root);
      assert.deepEqual(snapshot(outsideRoot), before, result.output);
      // Under /var/tmp, nginx met the read-only file system; under /tmp, an empty private folder.
      if (leak.confinedSays && outsideRoot === outsideRoots[0]) assert.match(result.output, leak.confinedSays);
      assert.ok(result.problems.every((problem) => !problem.refused), 'a confined check refuses nothing');
    }
  });

  test(`unconfined: ${name} is ${leak.provable ? 'checked' : 'refused'}, and nothing outside is written`, { skip: noNginx || skipFor(name) }, async () => {
    const root = plant(leak, outsideRoots[0]);
    const before = snapshot(outsideRoots[0]);
    const result = await check(root, unconfined);
    assert.deepEqual(snapshot(outsideRoots[0]), before, result.output);
    if (leak.provable) {
      assert.ok(result.problems.every((problem) => !problem.refused), JSON.stringify(result.problems));
    } else {
      assert.equal(result.ok, false);
      assert.equal(result.output, '', 'nginx was not run');
      assert.ok(result.problems.length > 0 && result.problems.every((problem) => problem.refused && /^nginx -t was not run: /.test(problem.message)), JSON.stringify(result.problems));
    }
  });
}

const asRootWithWwwData = process.geteuid?.() === 0 && /^www-data:/m.test(fs.readFileSync('/etc/passwd', 'utf8'));
test('confined, as root: a folder outside named by a temp path nginx reads unrewritten is not chowned to the user directive’s user', {
  skip: noNginx || noConfinement || (!asRootWithWwwData && 'not root, or no www-data user'),
}, async () => {
  const leak: Case = {
    workspace: { 'nginx.conf': `user www-data;\n${events}http {\n    include $OUT/big.conf;\n}\n` },
    outside: [['big.conf', 'server {\n    client_body_temp_path $OUT/existing;\n}\n' + OVERSIZED_PADDING]],
    folders: ['existing'],
    provable: false,
  };
  const root = plant(leak, outsideRoots[0]);
  const existing = path.join(outsideRoots[0], `case${count - 1}`, 'existing');
  const before = snapshot(outsideRoots[0]);
  const result = await check(root);
  assert.deepEqual(snapshot(outsideRoots[0]), before, result.output);
  assert.equal(fs.statSync(existing).uid, 0, 'still root’s');
  // nginx tried, and the read-only file system refused it.
  assert.match(result.output, /chown\(.*existing.*\) failed \(30: Read-only file system\)/);
});
