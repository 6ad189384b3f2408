/**
 * The generated nginx data:
 * 1. server/src/analysis/knowledge/nginx-directives.json, from nginx's source of every release in
 *    ../shared/nginx-src (scripts/generate-directive-data.mjs): regenerating it gives the committed file,
 *    and a sample of its argument counts, contexts and repeats matches the real nginx;
 * 2. server/src/analysis/data/third-party-directives.json (scripts/generate-third-party-data.mjs), the
 *    directives of nginx-extras' third-party modules, against the real nginx when it is installed;
 * 3. server/src/analysis/knowledge/reference-directives.json, the docs' facts of each directive
 *    (scripts/generate-reference-facts.mjs): regenerating it from the installed @nginx/reference-lib
 *    gives the committed file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import directiveJson from '../../server/src/analysis/knowledge/nginx-directives.json';
import thirdPartyJson from '../../server/src/analysis/data/third-party-directives.json';
import { acceptsArgumentCount, directiveSpecs, type DirectiveSpec } from '../../server/src/analysis/knowledge/directives';
import { targetVersion } from '../../server/src/analysis/knowledge/versions';
import { DEBIAN_NGINX_VERSION, nginxAvailable, nginxTest } from '../support/nginx';

interface ThirdPartyEntry {
  module: string;
  block: boolean;
  contexts?: string[];
}

const thirdParty = thirdPartyJson as Record<string, ThirdPartyEntry>;
const REPO = resolve(__dirname, '../..');
const SOURCES = resolve(REPO, '../shared/nginx-src');
const noSources = existsSync(join(SOURCES, 'nginx-1.22.1.tar.gz')) ? false : `no nginx sources at ${SOURCES}`;

// ---------------------------------------------------------------------------------------------
// 1. The directive data from nginx's source

test('directive data: regenerating it from ../shared/nginx-src gives the committed file', { skip: noSources }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'directive-data-'));
  try {
    const out = join(dir, 'nginx-directives.json');
    const run = spawnSync(process.execPath, [join(REPO, 'scripts/generate-directive-data.mjs'), SOURCES, out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(REPO, 'server/src/analysis/knowledge/nginx-directives.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('directive data: every release, well-formed forms, sorted names', () => {
  assert.deepEqual(directiveJson.releases, ['1.18.0', '1.20.2', '1.22.1', '1.24.0', '1.26.3', '1.28.3', '1.30.4', '1.31.4']);
  const names = Object.keys(directiveJson.directives);
  assert.ok(names.length > 600, `only ${names.length} directives`);
  assert.deepEqual(names, [...names].sort());
  for (const [name, forms] of Object.entries(directiveJson.directives) as Array<[string, Array<Omit<DirectiveSpec, 'name'>>]>) {
    for (const form of forms) {
      assert.ok(['core', 'http', 'stream', 'mail'].includes(form.family), `${name}: family ${form.family}`);
      assert.ok(form.contexts.length > 0, `${name} (${form.module}): contexts`);
      assert.ok(form.args.atLeast !== undefined || (form.args.counts ?? []).length > 0, `${name} (${form.module}): arguments`);
      assert.ok(form.releases.length > 0, `${name} (${form.module}): releases`);
    }
  }
  // Facts of nginx's source that the generator must find.
  const at = (name: string, version: string) => directiveSpecs(name, targetVersion(version)!);
  assert.equal(at('http2', '1.24.0').length, 0);
  assert.equal(at('http2', '1.26.3')[0].value?.kind, 'flag');
  assert.deepEqual(at('proxy_http_version', '1.30.4')[0].value?.values, ['1.0', '1.1', '2']);
  assert.deepEqual(at('proxy_set_header', '1.22.1')[0].args, { counts: [2] });
  assert.equal(at('proxy_set_header', '1.22.1')[0].duplicate, false, 'proxy_set_header adds to a list');
  assert.equal(at('worker_connections', '1.22.1')[0].duplicate, true, 'ngx_event_connections answers "is duplicate"');
  assert.equal(at('proxy_redirect', '1.22.1')[0].duplicate, false, 'proxy_redirect repeats; only after "off" is a repeat refused');
  assert.ok(at('post_action', '1.22.1').length > 0, 'undocumented but real');
  assert.ok(at('listen', '1.26.3').find((s) => s.family === 'http')!.parameters!.includes('quic'));
});

/** Minimal valid configs around a directive ('@'); what follows it only completes the block. */
const SCAFFOLDS: Record<string, string> = {
  main: '@\nevents {}',
  events: 'events {\n@\n}',
  http: 'events {}\nhttp {\n@\n}',
  server: 'events {}\nhttp {\nserver {\n@\n}\n}',
  location: 'events {}\nhttp {\nserver {\nlocation / {\n@\n}\n}\n}',
  upstream: 'events {}\nhttp {\nupstream u {\n@\nserver 127.0.0.1:1;\n}\n}',
};

/** nginx's first complaint about `statement` placed in `context`, at the statement's line. */
function verdictOn(context: string, statement: string): string | undefined {
  const lines = SCAFFOLDS[context].split('\n');
  const line = lines.indexOf('@') + 1;
  lines[line - 1] = statement;
  const result = nginxTest({ 'nginx.conf': lines.join('\n') + '\n' }, 'nginx.conf');
  return result.line === line ? result.message : undefined;
}

test('directive data: the argument counts of every http and core directive of 1.22.1 match nginx 1.22.1', (t) => {
  if (!nginxAvailable()) {
    t.skip('nginx not installed (apt-get install nginx-extras)');
    return;
  }
  const target = targetVersion(DEBIAN_NGINX_VERSION)!;
  let checked = 0;
  const notBuilt: string[] = [];
  const wrong: string[] = [];
  for (const name of Object.keys(directiveJson.directives)) {
    for (const spec of directiveSpecs(name, target).filter((s) => s.family === 'http' || s.family === 'core')) {
      const context = spec.contexts.find((c) => Object.hasOwn(SCAFFOLDS, c));
      // Blocks and include change what follows them; their counts are checked by the parity tests.
      if (!context || spec.block || name === 'include') continue;
      const counts = spec.args.atLeast !== undefined ? [spec.args.atLeast - 1, spec.args.atLeast, 8] : [0, 1, 2, 3, 4];
      // Another platform's event module (devpoll, eventport...), or a module Debian builds dynamically (geoip).
      if (verdictOn(context, `${name};`) === `unknown directive "${name}"`) {
        notBuilt.push(name);
        continue;
      }
      for (const count of counts.filter((c) => c >= 0)) {
        const message = verdictOn(context, `${name}${' 1'.repeat(count)};`);
        const countRefused = message === `invalid number of arguments in "${name}" directive`;
        if (countRefused === acceptsArgumentCount(spec, count)) wrong.push(`${name} with ${count}: nginx ${message ?? 'accepted'}`);
      }
      checked++;
    }
  }
  t.diagnostic(`${checked} directives checked; ${wrong.length} disagreements; not in Debian's build: ${notBuilt.join(', ')}`);
  assert.ok(checked > 400, `only ${checked} directives checked`);
  assert.deepEqual(wrong, []);
});

test('reference facts: regenerating them from the installed @nginx/reference-lib gives the committed file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reference-facts-'));
  try {
    const out = join(dir, 'reference-directives.json');
    const run = spawnSync(process.execPath, [join(REPO, 'scripts/generate-reference-facts.mjs'), out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(REPO, 'server/src/analysis/knowledge/reference-directives.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('third-party data: well-formed, sorted, and only names nginx itself lacks', () => {
  const names = Object.keys(thirdParty);
  assert.ok(names.length > 100, `only ${names.length} third-party directives`);
  assert.deepEqual(names, [...names].sort());
  for (const [name, entry] of Object.entries(thirdParty)) {
    assert.ok(!Object.hasOwn(directiveJson.directives, name), `${name} is one of nginx's own`);
    assert.match(entry.module, /^(ngx|ndk)_\w+_module$/, `${name}: module`);
    assert.equal(typeof entry.block, 'boolean', `${name}: block`);
    if (entry.contexts) assert.ok(entry.contexts.length > 0, `${name}: contexts`);
    if (name.endsWith('_by_lua_block')) assert.equal(entry.block, true, `${name} is a block`);
  }
  for (const name of ['content_by_lua_block', 'more_set_headers', 'echo', 'fancyindex', 'subs_filter', 'nchan_publisher']) {
    assert.ok(thirdParty[name], `${name} is missing`);
  }
});

// ---------------------------------------------------------------------------------------------
// 2. Third-party directives against the real nginx

const MODULES = '/usr/lib/nginx/modules';
const load = (...modules: string[]) => modules.map((m) => `load_module ${MODULES}/${m}.so;\n`).join('');

test('third-party data: a sample is known to the real nginx with its module, in its first context', (t) => {
  if (!nginxAvailable()) {
    t.skip('nginx not installed');
    return;
  }
  const modules: Record<string, string[]> = { ngx_http_lua_module: ['ndk_http_module', 'ngx_http_lua_module'] };
  for (const name of ['content_by_lua_block', 'access_by_lua_file', 'more_set_headers', 'echo', 'fair', 'nchan_publisher']) {
    const entry = thirdParty[name];
    const context = entry.contexts?.[0] ?? 'http';
    const body = (SCAFFOLDS[context] ?? SCAFFOLDS.http).replace('@', `${name}${entry.block ? ' {}' : ' x;'}`);
    const config = load(...(modules[entry.module] ?? [entry.module])) + body + '\n';
    const result = nginxTest({ 'nginx.conf': config }, 'nginx.conf');
    assert.notEqual(result.message, `unknown directive "${name}"`, `${name}: ${result.output}`);
    assert.notEqual(result.message, `"${name}" directive is not allowed here`, `${name}: ${result.output}`);
    const without = nginxTest({ 'nginx.conf': body + '\n' }, 'nginx.conf');
    assert.equal(without.message, `unknown directive "${name}"`, `${name} without its module: ${without.output}`);
  }
});
