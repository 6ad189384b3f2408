// nginx -t on save (server/src/nginxCheck.ts): the decision to run it, the paths it refuses, and,
// with the real nginx, the sandbox: errors at the user's file and line, nothing written outside.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  checkWithNginx,
  executablePathProblem,
  mainConfigFor,
  shouldRunNginx,
} from '../../server/src/nginxCheck';
import { detectConfinement, probeConfinement } from '../../server/src/node/confinement';
import { nginxAvailable, testCertificates } from '../support/nginx';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const skip = nginxAvailable() ? false : 'nginx not installed';
/** The rewrite alone, as on a machine without namespaces (the tests of that layer trace or record nginx from outside). */
const unconfined = { unavailable: 'forced off by the test' };

const scratch = fs.mkdtempSync(path.join(tmpdir(), 'ngxchk-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
let folders = 0;

/** Writes `files` (relative paths) into a fresh folder and returns its path. */
function workspace(files: Record<string, string>): string {
  const root = path.join(scratch, `ws${folders++}`);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** An executable shell script in the scratch folder. */
function script(name: string, body: string): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

const mainConf = 'events {}\nhttp {\n    include sites-enabled/*.conf;\n}\n';
const appConf = 'server {\n    listen 8080;\n    location /ws/ {\n        include snippets/websocket.conf;\n        proxy_pass http://127.0.0.1:3000;\n    }\n}\n';
const websocketConf = 'proxy_http_version 1.1;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection "upgrade";\n';
const site = (files: Record<string, string> = {}) =>
  workspace({ 'nginx.conf': mainConf, 'sites-enabled/app.conf': appConf, 'snippets/websocket.conf': websocketConf, ...files });

test('nginx runs only in a trusted workspace, when enabled, with a path', () => {
  const path = '/usr/sbin/nginx';
  assert.equal(shouldRunNginx({ trusted: true, enabled: true, executablePath: path }), true);
  assert.equal(shouldRunNginx({ trusted: false, enabled: true, executablePath: path }), false);
  assert.equal(shouldRunNginx({ trusted: true, enabled: false, executablePath: path }), false);
  assert.equal(shouldRunNginx({ trusted: true, enabled: true, executablePath: '' }), false);
  assert.equal(shouldRunNginx({ trusted: true, enabled: true, executablePath: '  ' }), false);
  assert.equal(shouldRunNginx({ trusted: true, enabled: true, executablePath: undefined }), false);
  // Only `true` counts: a client that sends something else has not said the workspace is trusted.
  assert.equal(shouldRunNginx({ trusted: 'yes' as unknown as boolean, enabled: true, executablePath: path }), false);
});

test('the main config of a saved file: the nearest nginx.conf whose folder holds it, else the file itself if it is one; only inside the workspace folders', () => {
  const folder = workspace({ 'nginx.conf': mainConf, 'sites-enabled/x.conf': '', 'nested/nginx.conf': mainConf, 'nested/conf.d/y.conf': '', 'stray/nginx.conf': mainConf });
  const elsewhere = workspace({ 'nginx.conf': mainConf, 'site.conf': '' });
  const at = (name: string) => path.join(folder, name);
  const roots = [at('nginx.conf'), at('nested/nginx.conf')];
  assert.equal(mainConfigFor(at('sites-enabled/x.conf'), roots, [folder]), at('nginx.conf'));
  assert.equal(mainConfigFor(at('nested/conf.d/y.conf'), roots, [folder]), at('nested/nginx.conf'));
  assert.equal(mainConfigFor(at('nginx.conf'), roots, [folder]), at('nginx.conf'));
  assert.equal(mainConfigFor(at('stray/nginx.conf'), [], [folder]), at('stray/nginx.conf'));
  assert.equal(mainConfigFor(path.join(elsewhere, 'site.conf'), [], [folder]), undefined);
  // An nginx.conf outside the workspace folders is never checked (nor its load-time code run).
  assert.equal(mainConfigFor(path.join(elsewhere, 'nginx.conf'), [], [folder]), undefined);
  assert.equal(mainConfigFor(path.join(elsewhere, 'nginx.conf'), [path.join(elsewhere, 'nginx.conf')], [folder]), undefined);
  // Nor one reached through a symbolic link inside them.
  fs.symlinkSync(elsewhere, at('link'));
  assert.equal(mainConfigFor(at('link/nginx.conf'), [], [folder]), undefined);
  assert.equal(mainConfigFor(at('nginx.conf'), roots, []), undefined);
});

test('an empty, relative or non-executable nginx path is refused and nothing runs', async () => {
  const root = site();
  const notExecutable = path.join(scratch, 'not-executable');
  fs.writeFileSync(notExecutable, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
  const cases: Array<[string, RegExp]> = [
    ['', /is empty/],
    ['nginx', /must be an absolute path, not "nginx"/],
    ['./usr/sbin/nginx', /must be an absolute path/],
    [scratch, /is not a file/],
    [notExecutable, /is not an executable file/],
    [path.join(scratch, 'missing'), /is not an executable file/],
  ];
  for (const [nginxPath, message] of cases) {
    assert.match(executablePathProblem(nginxPath) ?? '', message, nginxPath);
    const result = await checkWithNginx({ nginxPath, mainConfig: path.join(root, 'nginx.conf') });
    assert.equal(result.ok, false);
    assert.equal(result.output, '');
    assert.deepEqual(result.problems.map((p) => [p.file, p.line]), [[path.join(root, 'nginx.conf'), 0]]);
    assert.match(result.problems[0].message, message);
  }
});

test('a binary that does not finish is stopped at the timeout, and the check says so', async () => {
  const root = site();
  const hangs = script('hangs-on-t', 'if [ "$1" = -V ]; then echo "nginx version: nginx/1.22.1" >&2; exit 0; fi\nexec sleep 30');
  const started = Date.now();
  const result = await checkWithNginx({ nginxPath: hangs, mainConfig: path.join(root, 'nginx.conf'), timeoutMs: 300 });
  assert.ok(Date.now() - started < 5000, 'answered long before the 30 s sleep');
  assert.equal(result.ok, false);
  assert.deepEqual(result.problems, [{ file: path.join(root, 'nginx.conf'), line: 0, message: 'nginx -t did not finish within 300 ms and was stopped' }]);
});

test('an nginx older than 1.19.5 (no -e) is refused rather than let it open its own error log', async () => {
  const root = site();
  const old = script('old-nginx', 'echo "nginx version: nginx/1.18.0" >&2; echo "configure arguments: --prefix=/usr/share/nginx" >&2; exit 0');
  const result = await checkWithNginx({ nginxPath: old, mainConfig: path.join(root, 'nginx.conf') });
  assert.equal(result.ok, false);
  assert.match(result.problems[0].message, /^nginx\/1\.18\.0 is older than nginx 1\.19\.5/);
});

test('a valid workspace passes', { skip }, async () => {
  const root = site();
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf') });
  const { ran, ...rest } = result;
  assert.deepEqual(rest, { ok: true, problems: [], output: '', notes: [] });
  // What the Output channel logs: the command nginx -t ran as, and its exit status.
  assert.match(ran!.commandLine, new RegExp(`${NGINX} -t -q -p `));
  assert.equal(ran!.exitStatus, 0);
});

test('an error in an included site file is reported at that file and line, with nginx’s message', { skip }, async () => {
  const broken = appConf.replace('proxy_pass http://127.0.0.1:3000;', 'proxy_pass;');
  const root = site({ 'sites-enabled/app.conf': broken });
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf') });
  assert.equal(result.ok, false);
  assert.deepEqual(result.problems, [
    { file: path.join(root, 'sites-enabled/app.conf'), line: 5, message: 'invalid number of arguments in "proxy_pass" directive' },
  ]);
  assert.match(result.output, new RegExp(`in ${path.join(root, 'sites-enabled/app.conf')}:5\n`));
  assert.doesNotMatch(result.output, /nginx-check-/, 'no sandbox path in the output');
});

test('an error in a snippet included from a site is reported at the snippet', { skip }, async () => {
  const root = site({ 'snippets/websocket.conf': websocketConf.replace('proxy_http_version 1.1;', 'proxy_http_version 3.0;') });
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf') });
  assert.deepEqual(result.problems, [{ file: path.join(root, 'snippets/websocket.conf'), line: 1, message: 'invalid value "3.0"' }]);
});

test('open editor buffers are checked, not the files on disk', { skip }, async () => {
  const root = site();
  const app = path.join(root, 'sites-enabled/app.conf');
  const buffer = appConf.replace('listen 8080;', 'listen 8080;\n    bogus_directive on;');
  const openBuffer = (file: string) => (file === app ? buffer : undefined);
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf'), openBuffer });
  assert.deepEqual(result.problems, [{ file: app, line: 3, message: 'unknown directive "bogus_directive"' }]);
});

test('without confinement, pid, logs, temp and cache folders named in the config are not written; the sandbox is removed', { skip }, async () => {
  const outside = path.join(scratch, 'server-paths');
  const main = [
    `pid ${outside}/run/nginx.pid;`,
    `error_log ${outside}/var/log/nginx-test/error.log warn;`,
    'events {}',
    'http {',
    `    access_log ${outside}/var/log/nginx-test/access.log;`,
    `    proxy_temp_path ${outside}/var/lib/nginx/proxy 1 2;`,
    `    proxy_cache_path ${outside}/var/cache/nginx/app keys_zone=app:1m;`,
    '    include sites-enabled/*.conf;',
    '}',
    '',
  ].join('\n');
  const app = appConf.replace('listen 8080;', `listen 8080;\n    access_log "${outside}/var/log/nginx-test/app access.log" combined;\n    error_log ${outside}/var/log/nginx-test/app-error.log;`);
  const root = site({ 'nginx.conf': main, 'sites-enabled/app.conf': app });
  const calls = path.join(scratch, 'calls.log');
  const recording = script('recording-nginx', `echo "$@" >> ${calls}\nexec ${NGINX} "$@"`);
  const result = await checkWithNginx({ nginxPath: recording, mainConfig: path.join(root, 'nginx.conf'), confinement: unconfined });
  assert.equal(result.ok, true, result.output);
  assert.equal(fs.existsSync(outside), false, 'nothing of the configured paths was created');
  const prefix = /-t -q -p (\S+)\//.exec(fs.readFileSync(calls, 'utf8'))?.[1];
  assert.ok(prefix?.startsWith(path.join(tmpdir(), 'nginx-check-')), prefix);
  assert.equal(fs.existsSync(prefix!), false, 'the sandbox is removed');
});

// nginx -t (as root) creates its compiled-in pid file and access log and mkdirs the compiled-in
// temp folders even when the config names none: strace shows that the check stops all of that.
const strace = spawnSync('strace', ['-V']).status === 0;
test('without confinement, nginx -t writes nothing outside its sandbox, compiled-in defaults included (strace)', { skip: skip || (!strace && 'strace not installed') }, async () => {
  const root = site();
  const traces = path.join(scratch, 'traces');
  fs.mkdirSync(traces);
  const syscalls = 'open,openat,creat,mkdir,mkdirat,chown,fchownat,lchown,unlink,unlinkat,rename,renameat,renameat2,truncate,symlink,symlinkat,link,linkat,chmod,fchmodat';
  const traced = script('traced-nginx', `exec strace -f -qq -e trace=${syscalls} -o ${traces}/trace.$$ ${NGINX} "$@"`);
  const result = await checkWithNginx({ nginxPath: traced, mainConfig: path.join(root, 'nginx.conf'), confinement: unconfined });
  assert.equal(result.ok, true, result.output);
  const lines = fs.readdirSync(traces).flatMap((name) => fs.readFileSync(path.join(traces, name), 'utf8').split('\n'));
  const changes = lines.filter((line) => /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|mkdir|chown|unlink|rename|truncate|link\(|chmod|creat\(/.test(line) && !/= -1 /.test(line));
  assert.ok(changes.some((line) => line.includes('nginx-check-')), 'the trace saw the sandbox writes');
  const sandbox = path.join(tmpdir(), 'nginx-check-');
  const outside = changes.filter((line) => !line.includes(`"${sandbox}`) && !/"\/dev\/(null|tty)"/.test(line));
  assert.deepEqual(outside, []);
});

test('line numbers survive the rewrites (quoted, multi-line and injected arguments)', { skip }, async () => {
  const outside = path.join(scratch, 'lines');
  const main = [
    `pid "${outside}/nginx.pid";`,
    `error_log`,
    `    ${outside}/error.log;`,
    'events {}',
    'http { include "sites-enabled/*.conf";',
    `    access_log '${outside}/access`,
    `log';`,
    '    server_tokens maybe;',
    '}',
    '',
  ].join('\n');
  const root = site({ 'nginx.conf': main });
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf') });
  assert.deepEqual(result.problems.map((p) => [p.file, p.line]), [[path.join(root, 'nginx.conf'), 8]]);
  assert.match(result.problems[0].message, /invalid value "maybe"/);
});

test('a missing include is reported with the user’s path, not the sandbox’s', { skip }, async () => {
  const root = site({ 'nginx.conf': mainConf.replace('include sites-enabled/*.conf;', 'include conf.d/missing.conf;') });
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf') });
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0].file, path.join(root, 'nginx.conf'));
  assert.equal(result.problems[0].line, 3);
  assert.equal(result.problems[0].message, `open() "${path.join(root, 'conf.d/missing.conf')}" failed (2: No such file or directory)`);
});

test('absolute includes under /etc/nginx/ resolve to the workspace like the editor does', { skip }, async () => {
  // No /etc/nginx/sites-enabled/zz-nginx-check-test/ here, so the include falls back to the conf root.
  const root = site({
    'nginx.conf': mainConf.replace('include sites-enabled/*.conf;', 'include /etc/nginx/zz-nginx-check-test/*.conf;'),
    'zz-nginx-check-test/bad.conf': 'server {\n    listen 8080;\n    listen 8080;\n}\n',
  });
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf') });
  assert.deepEqual(result.problems.map((p) => [p.file, p.line]), [[path.join(root, 'zz-nginx-check-test/bad.conf'), 3]]);
  assert.match(result.problems[0].message, /duplicate listen/);
});

test('certificates this machine cannot read are replaced by a placeholder pair, with a note', { skip }, async () => {
  const tls = 'server {\n    listen 8443 ssl;\n    ssl_certificate /etc/letsencrypt/live/nginx-check.invalid/fullchain.pem;\n    ssl_certificate_key /etc/letsencrypt/live/nginx-check.invalid/privkey.pem;\n    ssl_dhparam /etc/letsencrypt/nginx-check-dhparams.pem;\n}\n';
  const root = site({ 'sites-enabled/tls.conf': tls });
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf') });
  assert.equal(result.ok, true, result.output);
  assert.deepEqual(result.notes, [
    '/etc/letsencrypt/live/nginx-check.invalid/fullchain.pem is not readable here: every ssl certificate and key was replaced by a placeholder pair',
    '/etc/letsencrypt/nginx-check-dhparams.pem is not readable here: replaced by a placeholder',
  ]);
});

test('readable certificates are checked for real, relative ones against the main config’s folder', { skip }, async () => {
  const { cert, key } = testCertificates();
  const tls = 'server {\n    listen 8443 ssl;\n    ssl_certificate certs/site.pem;\n    ssl_certificate_key certs/site.key;\n}\n';
  const good = site({ 'sites-enabled/tls.conf': tls, 'certs/site.pem': fs.readFileSync(cert, 'utf8'), 'certs/site.key': fs.readFileSync(key, 'utf8') });
  const ok = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(good, 'nginx.conf') });
  assert.deepEqual([ok.ok, ok.notes], [true, []], ok.output);

  const bad = site({ 'sites-enabled/tls.conf': tls, 'certs/site.pem': 'not a certificate\n', 'certs/site.key': fs.readFileSync(key, 'utf8') });
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(bad, 'nginx.conf') });
  assert.equal(result.ok, false);
  assert.match(result.problems[0].message, new RegExp(`^cannot load certificate "${path.join(bad, 'certs/site.pem')}"`));
});

const echoModule = '/usr/share/nginx/modules/ngx_http_echo_module.so';
test('relative load_module paths resolve against the binary’s --prefix, as outside the sandbox', { skip: skip || (!fs.existsSync(echoModule) && `no ${echoModule}`) }, async () => {
  const root = site({
    'nginx.conf': `load_module modules/ngx_http_echo_module.so;\n${mainConf}`,
    'sites-enabled/echo.conf': 'server {\n    listen 8081;\n    location / { echo hello; }\n}\n',
  });
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf') });
  assert.equal(result.ok, true, result.output);
});

const asRootWithWwwData = process.geteuid?.() === 0 && /^www-data:/m.test(fs.readFileSync('/etc/passwd', 'utf8'));
test('the user directive is kept and works when the check runs as root', { skip: skip || (!asRootWithWwwData && 'not root, or no www-data user') }, async () => {
  const root = site({ 'nginx.conf': `user www-data;\nworker_processes auto;\n${mainConf}` });
  const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf') });
  assert.equal(result.ok, true, result.output);
  const unknown = site({ 'nginx.conf': `user nginx-check-no-such-user;\n${mainConf}` });
  const failed = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(unknown, 'nginx.conf') });
  assert.deepEqual(failed.problems.map((p) => [p.line, p.message]), [[1, 'getpwnam("nginx-check-no-such-user") failed']]);
});

for (const confinement of [undefined, unconfined]) {
  const mode = confinement ? 'unconfined' : 'confined';
  const noConfinement = confinement === undefined && 'unavailable' in detectConfinement() ? 'no confinement on this machine' : false;
  const options = { skip: skip || noConfinement };

  test(`${mode}: an include whose name holds a line feed moves no line`, options, async () => {
    const root = site({
      'nginx.conf': 'events {}\nhttp {\n    include "sites\\nx.conf";\n    include "sites\nraw.conf";\n    server_tokens maybe;\n}\n',
      'sites\nx.conf': 'server {\n    listen 8080;\n}\n',
      'sites\nraw.conf': 'server {\n    listen 8081;\n}\n',
    });
    const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf'), confinement });
    assert.deepEqual(result.problems.map((p) => [p.file, p.line]), [[path.join(root, 'nginx.conf'), 6]], result.output);
    assert.match(result.problems[0].message, /invalid value "maybe"/);

    const inside = site({
      'nginx.conf': 'events {}\nhttp {\n    include "sites\\nx.conf";\n}\n',
      'sites\nx.conf': 'server {\n    listen 8080;\n    bogus_directive on;\n}\n',
    });
    const failed = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(inside, 'nginx.conf'), confinement });
    assert.deepEqual(failed.problems, [{ file: path.join(inside, 'sites\nx.conf'), line: 3, message: 'unknown directive "bogus_directive"' }]);
  });

  test(`${mode}: bytes that are not UTF-8 are copied as they are (no false "too long parameter")`, options, async () => {
    const latin1 = Buffer.from('é'.repeat(2000), 'latin1');
    const body = (tail: string) => Buffer.concat([
      Buffer.from('events {}\nhttp {\n    server {\n        listen 8080;\n        location / { return 200 "'), latin1, Buffer.from(`"; }\n${tail}    }\n}\n`),
    ]);
    const root = site();
    fs.writeFileSync(path.join(root, 'nginx.conf'), body(''));
    const ok = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf'), confinement });
    assert.deepEqual([ok.ok, ok.problems], [true, []], ok.output);
    fs.writeFileSync(path.join(root, 'nginx.conf'), body('        bogus_directive on;\n'));
    const failed = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf'), confinement });
    assert.deepEqual(failed.problems, [{ file: path.join(root, 'nginx.conf'), line: 6, message: 'unknown directive "bogus_directive"' }]);
  });

  test(`${mode}: an error 20 include levels deep is reported where it is (no false "open() failed")`, options, async () => {
    const levels = 20;
    const files: Record<string, string> = { 'nginx.conf': 'events {}\nhttp {\n    include level1.conf;\n}\n' };
    for (let level = 1; level < levels; level++) files[`level${level}.conf`] = `# level ${level}\ninclude level${level + 1}.conf;\n`;
    files[`level${levels}.conf`] = '# the deepest\nbogus_directive on;\n';
    const root = workspace(files);
    const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf'), confinement });
    assert.deepEqual(result.problems, [{ file: path.join(root, `level${levels}.conf`), line: 2, message: 'unknown directive "bogus_directive"' }]);
  });
}

test('unconfined: a map key named pid is data, not the pid directive: the pid file is still redirected', { skip }, async () => {
  const root = site({ 'nginx.conf': 'events {}\nhttp {\n    map $uri $x {\n        pid 1;\n    }\n}\n' });
  const calls = path.join(scratch, 'pid-calls.log');
  const recording = script('recording-pid-nginx', `echo "$@" >> ${calls}\nexec ${NGINX} "$@"`);
  const result = await checkWithNginx({ nginxPath: recording, mainConfig: path.join(root, 'nginx.conf'), confinement: unconfined });
  assert.equal(result.ok, true, result.output);
  const run = fs.readFileSync(calls, 'utf8').split('\n').find((line) => line.startsWith('-t '));
  assert.match(run ?? '', /-g pid \S*nginx-check-\S*\/run\/\d+-nginx\.pid;/);
});

test('the unshare confinement works where bwrap does not run (forced)', { skip: skip || ('unavailable' in probeConfinement('unshare') && 'unshare cannot create namespaces here') }, async () => {
  const outside = fs.mkdtempSync('/var/tmp/ngxchk-unshare-');
  try {
    fs.mkdirSync(path.join(outside, 'logs'));
    fs.writeFileSync(path.join(outside, 'big.conf'), `error_log ${outside}/logs/big.log;\n` + '# padding\n'.repeat(17 * 1024 * 1024 / 10));
    const root = site({ 'nginx.conf': `include ${outside}/big.conf;\n${mainConf}` });
    const result = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(root, 'nginx.conf'), confinement: probeConfinement('unshare') });
    assert.match(result.output, /big\.log" failed \(30: Read-only file system\)/);
    assert.deepEqual(fs.readdirSync(path.join(outside, 'logs')), []);
    const valid = await checkWithNginx({ nginxPath: NGINX, mainConfig: path.join(site(), 'nginx.conf'), confinement: probeConfinement('unshare') });
    assert.deepEqual([valid.ok, valid.problems], [true, []], valid.output);
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});
