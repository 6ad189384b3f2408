import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDirOf, compareVersions, configureArguments, ORACLE_RELEASES, tarballOf } from '../../scripts/build-nginx.mjs';
import { nginxAvailable, nginxTest, testCertificates, wrapInHttp } from '../support/nginx';
import { nginxBinaries } from '../support/nginxBuilds';
import { judgeInSandbox, unknownThirdPartyDirective, type Sandbox } from '../support/nginxOracle';

const skip = nginxAvailable() ? false : 'nginx not installed';

test('wrapInHttp puts the body on line 3', () => {
  assert.equal(wrapInHttp('server {}'), 'events {}\nhttp {\nserver {}\n}\n');
});

test('a valid config is ok', { skip }, () => {
  const result = nginxTest({ 'nginx.conf': wrapInHttp('server {\n  listen 8080;\n}') }, 'nginx.conf');
  assert.equal(result.ok, true, result.output);
  assert.equal(result.file, undefined);
  assert.equal(result.line, undefined);
  assert.equal(result.message, undefined);
});

test('a syntax error reports file, line and message', { skip }, () => {
  const result = nginxTest({ 'nginx.conf': 'events {}\nhttp {}\n}\n' }, 'nginx.conf');
  assert.equal(result.ok, false);
  assert.equal(result.file, 'nginx.conf');
  assert.equal(result.line, 3);
  assert.equal(result.message, 'unexpected "}"');
  assert.match(result.output, /\[emerg\]/);
});

test('an error in an included file is reported relative to the prefix', { skip }, () => {
  const result = nginxTest(
    {
      'nginx.conf': wrapInHttp('include conf.d/*.conf;'),
      'conf.d/ws.conf': 'server {\n  listen 8080;\n  location / {\n    proxy_pass;\n  }\n}\n',
    },
    'nginx.conf',
  );
  assert.equal(result.ok, false);
  assert.equal(result.file, 'conf.d/ws.conf');
  assert.equal(result.line, 4);
  assert.equal(result.message, 'invalid number of arguments in "proxy_pass" directive');
});

test('an error without a location has only a message', { skip }, () => {
  const body = 'server {\n  listen 8443 ssl;\n  ssl_certificate /nonexistent/cert.pem;\n  ssl_certificate_key /nonexistent/key.pem;\n}';
  const result = nginxTest({ 'nginx.conf': wrapInHttp(body) }, 'nginx.conf');
  assert.equal(result.ok, false);
  assert.match(result.message ?? '', /^cannot load certificate "\/nonexistent\/cert\.pem"/);
  assert.equal(result.file, undefined);
  assert.equal(result.line, undefined);
});

test('testCertificates are accepted by nginx', { skip }, () => {
  const { cert, key } = testCertificates();
  assert.equal(testCertificates().cert, cert, 'generated once per process');
  const body = `server {\n  listen 8443 ssl;\n  ssl_certificate ${cert};\n  ssl_certificate_key ${key};\n}`;
  const result = nginxTest({ 'nginx.conf': wrapInHttp(body) }, 'nginx.conf');
  assert.equal(result.ok, true, result.output);
});

// ---- nginx releases built from ../shared/nginx-src (scripts/build-nginx.mjs, test/support/nginxBuilds.ts)

test('configure arguments follow the release: PCRE1 builds tolerate warnings, HTTP/3 from 1.25.0', () => {
  const v18 = configureArguments('1.18.0');
  assert.ok(v18.includes('--with-cc-opt=-Wno-error'));
  assert.ok(!v18.includes('--with-http_v3_module'));
  const v24 = configureArguments('1.24.0');
  assert.ok(!v24.includes('--with-cc-opt=-Wno-error'));
  assert.ok(!v24.includes('--with-http_v3_module'));
  assert.ok(configureArguments('1.25.0').includes('--with-http_v3_module'));
  for (const module of ['--with-http_ssl_module', '--with-http_v2_module', '--with-stream_ssl_preread_module', '--with-mail_ssl_module', '--with-threads']) {
    assert.ok(v24.includes(module), module);
  }
});

test('compareVersions orders releases numerically', () => {
  assert.equal(compareVersions('1.9.15', '1.18.0'), -1);
  assert.equal(compareVersions('1.21.5', '1.21.5'), 0);
  assert.equal(compareVersions('1.31.4', '1.30.10'), 1);
});

/** Runs `body` with the environment variables set (undefined: removed), then restores them. */
function withEnv<T>(vars: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const assign = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  assign(vars);
  try {
    return body();
  } finally {
    assign(saved);
  }
}

/** A stand-in for an nginx binary: prints what `nginx -v` prints. */
function fakeNginx(dir: string, version: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nginx'), `#!/bin/sh\necho "nginx version: nginx/${version}" >&2\n`, { mode: 0o755 });
}

const noSources = existsSync(tarballOf('1.24.0')) ? false : `no ${tarballOf('1.24.0')}`;

test('a build is found in NGINX_BUILDS by its tarball\'s hash; a stale one is not', { skip: noSources }, () => {
  const root = mkdtempSync(join(tmpdir(), 'nginx-builds-'));
  try {
    withEnv({ NGINX_BUILDS: root, ORACLE_VERSIONS: undefined }, () => {
      const hash = createHash('sha256').update(readFileSync(tarballOf('1.24.0'))).digest('hex');
      assert.equal(buildDirOf('1.24.0'), join(root, `1.24.0-${hash.slice(0, 16)}`));
      fakeNginx(buildDirOf('1.24.0'), '1.24.0');
      fakeNginx(join(root, '1.26.3-0123456789abcdef'), '1.26.3');
      const { binaries, missing } = nginxBinaries();
      const built = binaries.filter((b) => !b.debian);
      assert.deepEqual(built.map((b) => [b.version, b.path]), [['1.24.0', join(buildDirOf('1.24.0'), 'nginx')]]);
      assert.deepEqual(missing.filter((m) => m.version !== '1.22.1').map((m) => m.version), ORACLE_RELEASES.filter((v) => v !== '1.24.0'));
      assert.match(missing.find((m) => m.version === '1.26.3')!.reason, /^not built: node scripts\/build-nginx\.mjs 1\.26\.3/);
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('ORACLE_VERSIONS keeps the binaries listed and reports a listed version without one', { skip: noSources }, () => {
  const root = mkdtempSync(join(tmpdir(), 'nginx-builds-'));
  try {
    withEnv({ NGINX_BUILDS: root, ORACLE_VERSIONS: '1.24.0, 1.99.0' }, () => {
      fakeNginx(buildDirOf('1.24.0'), '1.24.0');
      const { binaries, missing } = nginxBinaries();
      assert.deepEqual(binaries.map((b) => b.label), ['1.24.0 (source build)']);
      assert.deepEqual(missing, [{ version: '1.99.0', reason: 'no binary of that version (ORACLE_VERSIONS)' }]);
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

const { binaries: realBinaries } = nginxBinaries();
const noModuleLoads = existsSync('/etc/nginx/modules-enabled') ? false : 'no /etc/nginx/modules-enabled (Debian nginx-extras)';

/**
 * A sandbox like nginx-oracle's: a wrapper that loads Debian's modules (relative to the prefix's
 * `modules`), then includes the file in http.
 */
function makeSandbox(): Sandbox {
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-sandbox-'));
  mkdirSync(join(prefix, 'logs'));
  symlinkSync('/usr/lib/nginx/modules', join(prefix, 'modules'));
  const target = join(prefix, 'site.conf');
  const wrapper = join(prefix, '.oracle-wrapper.conf');
  writeFileSync(wrapper, `include /etc/nginx/modules-enabled/*.conf;\npid ${prefix}/nginx.pid;\nevents {}\nhttp { include ${target}; }\n`);
  return { prefix, target, wrapper, text: '' };
}

for (const binary of realBinaries) {
  test(`nginx ${binary.label} judges in an oracle sandbox: a line and a message; a third-party directive as the build has it`, { skip: noModuleLoads }, async () => {
    const sandbox = makeSandbox();
    try {
      assert.deepEqual(await judgeInSandbox(sandbox, 'server {\n  listen 8080;\n}\n', binary), { ok: true });
      const broken = await judgeInSandbox(sandbox, 'server {\n  listen 8080;\n  location / { proxy_pass; }\n}\n', binary);
      assert.equal(broken.line, 3);
      assert.equal(broken.message, 'invalid number of arguments in "proxy_pass" directive');
      const headersMore = await judgeInSandbox(sandbox, 'server {\n  more_set_headers "X-A: b";\n}\n', binary);
      if (binary.debian) assert.deepEqual(headersMore, { ok: true });
      else {
        assert.equal(headersMore.line, 2);
        assert.equal(unknownThirdPartyDirective(headersMore), true);
        assert.equal(unknownThirdPartyDirective(broken), false);
      }
    } finally {
      rmSync(sandbox.prefix, { recursive: true, force: true });
    }
  });
}

/**
 * nginx 1.25.1 added the `http2` directive (ngx_http_v2_module.c, ngx_http_v2_commands) and dropped
 * the `ssl` one (ngx_http_ssl_module.c, ngx_http_ssl_commands): 1.24.0 has only the latter, 1.26.3
 * only the former.
 */
const HTTP2_DIRECTIVE_SINCE = '1.25.1';

for (const binary of realBinaries) {
  test(`nginx ${binary.label} is the release it says: "http2" and "ssl" as of ${HTTP2_DIRECTIVE_SINCE}`, { skip: noModuleLoads }, async () => {
    const sandbox = makeSandbox();
    try {
      const newer = compareVersions(binary.version, HTTP2_DIRECTIVE_SINCE) >= 0;
      const http2 = await judgeInSandbox(sandbox, 'server {\n  http2 on;\n}\n', binary);
      const ssl = await judgeInSandbox(sandbox, 'server {\n  ssl off;\n}\n', binary);
      const unknown = (name: string) => ({ ok: false, message: `unknown directive "${name}"`, environmental: false, line: 2 });
      assert.deepEqual(http2, newer ? { ok: true } : unknown('http2'));
      assert.deepEqual(ssl, newer ? unknown('ssl') : { ok: true });
    } finally {
      rmSync(sandbox.prefix, { recursive: true, force: true });
    }
  });
}
