// The built CLI over the shipped examples: the format users put in their CI, and the exit status.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(repo, 'dist/cli.js'), ...args], { cwd: repo, encoding: 'utf8' });

test('reports file:line:col: severity code message and exits 1 on errors', () => {
  const result = cli('examples');
  assert.equal(result.status, 1);
  const lines = result.stdout.trim().split('\n');
  assert.ok(lines.includes('examples/broken/nginx.conf:10:13: error unknown-directive unknown directive "proxy_pas" (did you mean "proxy_pass"?)'), result.stdout);
  assert.ok(lines.includes('examples/broken/nginx.conf:20:1: error syntax unexpected "}"'), result.stdout);
  assert.ok(lines.every((line) => /^[^:]+:\d+:\d+: (error|warning|information|hint) [a-z-]+ .+$/.test(line)), result.stdout);
  assert.match(result.stderr, /file\(s\) checked for nginx 1\.30\.4, [1-9]\d* error\(s\)/);
});

test('--nginx-version judges for that release, and a bad version is a usage error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-version-'));
  try {
    const file = path.join(dir, 'nginx.conf');
    fs.writeFileSync(file, 'events {}\nhttp {\n  server {\n    listen 443 ssl; ssl_certificate /etc/ssl/a.pem; ssl_certificate_key /etc/ssl/a.key;\n    http2 on;\n  }\n}\n');
    assert.equal(cli(file).status, 0);
    const old = cli('--nginx-version', '1.24', file);
    assert.equal(old.status, 1);
    assert.match(old.stdout, /:5:5: error unknown-directive unknown directive "http2" \(appeared in nginx 1\.25\.1; the target is nginx 1\.24\)/);
    assert.match(old.stderr, /checked for nginx 1\.24,/);
    assert.equal(cli('--nginx-version=1.30.4', file).status, 0);
    const bad = cli('--nginx-version', 'latest', file);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--nginx-version takes a release such as 1\.24 or 1\.30\.4/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('exits 0 when only warnings and information are found', () => {
  const result = cli('examples/nginx.conf', 'examples/sites-enabled');
  assert.equal(result.status, 0, result.stdout);
  assert.match(result.stdout, /legacy-app\.conf:10:5: warning ws-headers-not-inherited/);
});

test('exits 2 on a missing path or no argument', () => {
  assert.equal(cli('no/such/dir').status, 2);
  assert.equal(cli().status, 2);
});

test('a file named alone is judged in the configuration of the nearest nginx.conf above it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-fragment-'));
  try {
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), 'events {}\nhttp {\n  upstream php { server 127.0.0.1:9000; }\n  include conf.d/*.conf;\n}\n');
    const site = path.join(dir, 'conf.d', 'site.conf');
    fs.writeFileSync(site, 'server {\n  listen 80;\n  location ~ \\.php$ { fastcgi_pass php; }\n}\n');
    // Alone, the upstream would be missing: "no port in upstream" (judged in this file alone).
    const result = cli('--format', 'json', site);
    assert.equal(result.status, 0, result.stdout);
    assert.deepEqual(JSON.parse(result.stdout).filter((finding: { code: string }) => finding.code === 'no-port-in-upstream'), []);
    fs.rmSync(path.join(dir, 'nginx.conf'));
    const alone = JSON.parse(cli('--format', 'json', site).stdout).filter((finding: { code: string }) => finding.code === 'no-port-in-upstream');
    assert.equal(alone.length, 1, 'without the nginx.conf, the fragment is judged alone');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A main config `mainName` in `dir` includes FOLDER/*.conf, one of which has a typo: the CLI on the main config alone reports it. */
function assertIncludedTypoReported(dir: string, mainName: string, folder: string) {
  fs.mkdirSync(path.join(dir, folder));
  const main = path.join(dir, mainName);
  fs.writeFileSync(main, `events {}\nhttp {\n  include ${folder}/*.conf;\n}\n`);
  fs.writeFileSync(path.join(dir, folder, 'site.conf'), 'server {\n  listen 80;\n  proxy_pas http://127.0.0.1:1;\n}\n');
  const result = cli(main);
  assert.equal(result.status, 1, result.stdout);
  assert.match(result.stdout, new RegExp(`${folder.replace('.', '\\.')}/site\\.conf:3:3: error unknown-directive unknown directive "proxy_pas"`));
}

test('a main config named as a file is checked with the files it includes, as nginx -t checks them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-includes-'));
  try {
    assertIncludedTypoReported(dir, 'nginx.conf', 'conf.d');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an nginx.conf that holds only what an http block holds is judged as the fragment it is; a main config of another name is checked with its includes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-roots-'));
  try {
    // Docker images copy such a file into conf.d: read as a main config, each line would be "not allowed here".
    const fragment = path.join(dir, 'nginx.conf');
    fs.writeFileSync(fragment, 'proxy_cache_path /tmp/c keys_zone=c:1m;\nmap $http_upgrade $u { default ""; }\nserver {\n  listen 80;\n}\n');
    const alone = cli('--format', 'json', fragment);
    assert.equal(alone.status, 0, alone.stdout);
    assert.deepEqual(JSON.parse(alone.stdout).filter((finding: { severity: string }) => finding.severity === 'error'), []);
    fs.rmSync(fragment);
    assertIncludedTypoReported(dir, 'main.conf', 'sites');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
