/**
 * The generated nginx data (scripts/generate-nginx-data.mjs):
 * 1. the derivation of argument counts from the reference's Markdown syntax;
 * 2. the committed JSON files against the reference (complete, consistent with the derivation);
 * 3. a sample of entries, corrected ones included, against the real nginx when it is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Format, getDirectives } from '@nginx/reference-lib';
import arityJson from '../../server/src/analysis/data/nginx-arity.json';
import thirdPartyJson from '../../server/src/analysis/data/third-party-directives.json';
// @ts-expect-error -- plain JS shared with the generator (which runs without a build step): no types.
import * as derivation from '../../scripts/arity-from-syntax.mjs';
import { nginxAvailable, nginxTest } from '../support/nginx';

interface Arity {
  min: number;
  max: number | null;
}
interface ArityEntry extends Arity {
  verified: boolean;
  corrected?: true;
}
interface ThirdPartyEntry {
  module: string;
  block: boolean;
  contexts?: string[];
}

const { arityFromSyntax, arityFromSyntaxLines } = derivation as {
  arityFromSyntax(syntax: string): Arity;
  arityFromSyntaxLines(lines: readonly string[]): Arity;
};
const { nginxVersion, ...arity } = arityJson as unknown as { nginxVersion: string } & Record<string, ArityEntry>;
const thirdParty = thirdPartyJson as Record<string, ThirdPartyEntry>;
const reference = getDirectives(Format.Markdown);
const keyOf = (d: { module: string; name: string }) => `${d.module}/${d.name}`;

// ---------------------------------------------------------------------------------------------
// 1. Derivation

test('derivation: plain values, optional parts and repetition', () => {
  const cases: [string, Arity][] = [
    ['', { min: 0, max: 0 }],
    ['`on` | `off`', { min: 1, max: 1 }],
    ['*`timeout`* [*`header_timeout`*]', { min: 1, max: 2 }],
    ['*`path`* [*`level1`* [*`level2`* [*`level3`*]]]', { min: 1, max: 4 }],
    ['*`name`* ...', { min: 1, max: null }],
    ['*`file`* ... *`uri`*', { min: 2, max: null }],
    ['[*`code`* ...] *`time`*', { min: 1, max: null }],
    ['*`code`* ... [`=`[*`response`*]] *`uri`*', { min: 2, max: null }],
    ['[`SSLv2`] [`SSLv3`] [`TLSv1`]', { min: 0, max: 3 }],
    ['[`two` [*`method`*]]', { min: 0, max: 2 }],
    // "parameters" stands for any number of them (upstream server, health_check).
    ['*`address`* [*`parameters`*]', { min: 1, max: null }],
  ];
  for (const [syntax, expected] of cases) assert.deepEqual(arityFromSyntax(syntax), expected, syntax);
});

test('derivation: alternatives', () => {
  const cases: [string, Arity][] = [
    ['*`address`* [`transparent`] | `off`', { min: 1, max: 2 }],
    ['`none` | *`browser`* ...', { min: 1, max: null }],
    ['`error` | `timeout` | `http_500` | `off` ...', { min: 1, max: null }],
    ['`off` | `none` | [`builtin`[:*`size`*]] [`shared`:*`name`*:*`size`*]', { min: 0, max: 2 }],
    ['*`$value`* ... [`error`=`401` | `403`]', { min: 1, max: null }],
    // A glued | offers values of one argument, however long they are.
    ['*`$variable`* *`module`*::*`function`*|\'sub { ... }\'', { min: 2, max: 2 }],
    ['[`write`=`on`|`off`]', { min: 0, max: 1 }],
  ];
  for (const [syntax, expected] of cases) assert.deepEqual(arityFromSyntax(syntax), expected, syntax);
});

test('derivation: glued pieces, key=value and code spans are one argument each', () => {
  const cases: [string, Arity][] = [
    ['*`address`*[:*`port`*] [`default_server`] [`ssl`]', { min: 1, max: 3 }],
    ['[*`protocol`*://]*`address`*', { min: 1, max: 1 }],
    ['`zone`=*`name`*:*`size`* [`state`=*`file`*] [`type`=`string`|`ip`|`prefix`]', { min: 1, max: 3 }],
    ['*`path`* *`format`* [`buffer`=*`size`*] [`gzip[=]`]', { min: 2, max: 4 }],
    ['*`address`* [`transparent `] | `off`', { min: 1, max: 2 }],
    // A code span with blanks inside holds several arguments.
    ['*`module.js`* | *`export_name from module.js`*', { min: 1, max: 3 }],
  ];
  for (const [syntax, expected] of cases) assert.deepEqual(arityFromSyntax(syntax), expected, syntax);
});

test('derivation: blocks count the arguments before {', () => {
  assert.deepEqual(arityFromSyntax(' `{...}`'), { min: 0, max: 0 });
  assert.deepEqual(arityFromSyntax('*`string`* *`$variable`* `{...}`'), { min: 2, max: 2 });
  assert.deepEqual(arityFromSyntax('[ `=` | `~` | `~*` | `^~` ] *`uri`* `{...}`'), { min: 1, max: 2 });
  assert.deepEqual(arityFromSyntax('(*`condition`*) `{...}`'), { min: 1, max: 1 });
});

test('derivation: several syntax lines give the union of their ranges', () => {
  assert.deepEqual(arityFromSyntaxLines(['`off`', '`max`=*`N`* [`inactive`=*`time`*]']), { min: 1, max: 2 });
  assert.deepEqual(arityFromSyntaxLines(['*`cpumask`* ...', '`auto` [*`cpumask`*]']), { min: 1, max: null });
  assert.deepEqual(arityFromSyntaxLines(['`off`', '`test`', '`resize` *`width`* *`height`*']), { min: 1, max: 3 });
  assert.deepEqual(arityFromSyntaxLines([]), { min: 0, max: 0 });
});

test('derivation: unbalanced brackets are an error, not a guess', () => {
  assert.throws(() => arityFromSyntax('[`a`'));
  assert.throws(() => arityFromSyntax('`a`]'));
});

// ---------------------------------------------------------------------------------------------
// 2. The committed JSON against the reference

test('arity data: one entry per reference directive, and nothing else', () => {
  assert.match(nginxVersion, /^\d+\.\d+\.\d+$/);
  const expected = reference.map(keyOf).sort();
  assert.deepEqual(Object.keys(arity).sort(), expected);
});

test('arity data: entries are well-formed and keys sorted (regenerating gives no diff noise)', () => {
  const keys = Object.keys(arity);
  assert.deepEqual(keys, [...keys].sort());
  for (const [key, entry] of Object.entries(arity)) {
    assert.ok(Number.isInteger(entry.min) && entry.min >= 0, `${key}: min`);
    assert.ok(entry.max === null || (Number.isInteger(entry.max) && entry.max >= entry.min), `${key}: min <= max`);
    assert.equal(typeof entry.verified, 'boolean', `${key}: verified`);
    if ('corrected' in entry) assert.ok(entry.corrected === true && entry.verified, `${key}: only nginx corrects`);
  }
});

test('arity data: agrees with the derivation except where nginx corrected it', () => {
  let corrected = 0;
  for (const directive of reference) {
    const key = keyOf(directive);
    const { min, max, corrected: isCorrected } = arity[key];
    const derived = arityFromSyntaxLines(directive.syntax);
    if (isCorrected) {
      corrected++;
      assert.notDeepEqual({ min, max }, derived, `${key} is marked corrected but equals the derivation`);
    } else {
      assert.deepEqual({ min, max }, derived, `${key}: derivation changed? rerun scripts/generate-nginx-data.mjs`);
    }
  }
  assert.ok(corrected > 0, 'nginx corrected nothing: was the data checked against nginx?');
});

test('third-party data: well-formed, sorted, and only names the reference lacks', () => {
  const names = Object.keys(thirdParty);
  assert.ok(names.length > 100, `only ${names.length} third-party directives`);
  assert.deepEqual(names, [...names].sort());
  const referenceNames = new Set(reference.map((d) => d.name));
  for (const [name, entry] of Object.entries(thirdParty)) {
    assert.ok(!referenceNames.has(name), `${name} is in the reference`);
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
// 3. Spot checks against the real nginx

const MODULES = '/usr/lib/nginx/modules';
const load = (...modules: string[]) => modules.map((m) => `load_module ${MODULES}/${m}.so;\n`).join('');

// Minimal valid configs around a directive ('@'); what follows it only completes the block.
const SCAFFOLDS: Record<string, string> = {
  main: '@\nevents {}',
  http: 'events {}\nhttp {\n@\n}',
  server: 'events {}\nhttp {\nserver {\n@\n}\n}',
  location: 'events {}\nhttp {\nserver {\nlocation / {\n@\n}\n}\n}',
  upstream: 'events {}\nhttp {\nupstream u {\n@\nserver 127.0.0.1:1;\n}\n}',
  'stream server': `${load('ngx_stream_module')}events {}\nstream {\nserver {\n@\nlisten 127.0.0.1:12345;\nreturn x;\n}\n}`,
  mail: `${load('ngx_mail_module')}events {}\nmail {\n@\n}`,
};

// A sample over contexts, blocks, open-ended and fixed counts; * = corrected by nginx.
const SAMPLE: [key: string, context: string][] = [
  ['Core functionality/worker_processes', 'main'],
  ['Core functionality/error_log', 'main'], // *
  ['Core functionality/events', 'main'],
  ['ngx_http_core_module/keepalive_timeout', 'http'],
  ['ngx_http_core_module/keepalive_disable', 'http'], // *
  ['ngx_http_limit_req_module/limit_req_zone', 'http'], // *
  ['ngx_http_map_module/map', 'http'],
  ['ngx_http_core_module/listen', 'server'], // *
  ['ngx_http_core_module/location', 'server'],
  ['ngx_http_rewrite_module/if', 'server'], // *
  ['ngx_http_ssl_module/ssl_session_cache', 'server'], // *
  ['ngx_http_ssl_module/ssl_protocols', 'server'], // *
  ['ngx_http_proxy_module/proxy_pass', 'location'],
  ['ngx_http_proxy_module/proxy_cookie_flags', 'location'], // *
  ['ngx_http_rewrite_module/return', 'location'],
  ['ngx_http_core_module/try_files', 'location'],
  ['ngx_http_headers_module/add_header', 'location'],
  ['ngx_http_stub_status_module/stub_status', 'location'], // *
  ['ngx_http_upstream_module/server', 'upstream'],
  ['ngx_http_upstream_module/keepalive', 'upstream'], // *
  ['ngx_stream_proxy_module/proxy_pass', 'stream server'],
  ['ngx_mail_ssl_module/ssl_protocols', 'mail'], // *
];

/** Does nginx accept `count` placeholder arguments? Any error but the count one means yes. */
function nginxAcceptsCount(name: string, isBlock: boolean, context: string, count: number): boolean {
  const lines = SCAFFOLDS[context].split('\n');
  const line = lines.indexOf('@') + 1;
  lines[line - 1] = `${name}${' x'.repeat(count)}${isBlock ? ' {}' : ';'}`;
  const result = nginxTest({ 'nginx.conf': lines.join('\n') + '\n' }, 'nginx.conf');
  assert.ok(result.message !== `unknown directive "${name}"`, result.output);
  assert.ok(result.message !== `"${name}" directive is not allowed here`, result.output);
  return !(result.line === line && result.message === `invalid number of arguments in "${name}" directive`);
}

test('arity data: a sample matches the real nginx', (t) => {
  if (!nginxAvailable()) {
    t.skip('nginx not installed');
    return;
  }
  assert.ok(SAMPLE.filter(([key]) => arity[key]?.corrected).length >= 8, 'the sample has corrected entries');
  for (const [key, context] of SAMPLE) {
    const entry = arity[key];
    const directive = reference.find((d) => keyOf(d) === key);
    assert.ok(entry?.verified && directive, `${key} is a verified reference directive`);
    const accepts = (count: number) => nginxAcceptsCount(directive.name, directive.isBlock, context, count);

    if (entry.min > 0) assert.equal(accepts(entry.min - 1), false, `${key}: ${entry.min - 1} arguments`);
    assert.equal(accepts(entry.min), true, `${key}: ${entry.min} arguments`);
    if (entry.max === null) {
      assert.equal(accepts(12), true, `${key}: 12 arguments (no limit)`);
    } else {
      assert.equal(accepts(entry.max), true, `${key}: ${entry.max} arguments`);
      assert.equal(accepts(entry.max + 1), false, `${key}: ${entry.max + 1} arguments`);
    }
  }
});

test('third-party data: a sample is known to the real nginx with its module, in its first context', (t) => {
  if (!nginxAvailable()) {
    t.skip('nginx not installed');
    return;
  }
  const modules: Record<string, string[]> = { ngx_http_lua_module: ['ndk_http_module', 'ngx_http_lua_module'] };
  for (const name of ['content_by_lua_block', 'access_by_lua_file', 'more_set_headers', 'echo', 'fair', 'nchan_publisher']) {
    const entry = thirdParty[name];
    const context = entry.contexts?.[0] ?? 'http';
    const body = SCAFFOLDS[context].replace('@', `${name}${entry.block ? ' {}' : ' x;'}`);
    const config = load(...(modules[entry.module] ?? [entry.module])) + body + '\n';
    const result = nginxTest({ 'nginx.conf': config }, 'nginx.conf');
    assert.notEqual(result.message, `unknown directive "${name}"`, `${name}: ${result.output}`);
    assert.notEqual(result.message, `"${name}" directive is not allowed here`, `${name}: ${result.output}`);
    const without = nginxTest({ 'nginx.conf': body + '\n' }, 'nginx.conf');
    assert.equal(without.message, `unknown directive "${name}"`, `${name} without its module: ${without.output}`);
  }
});
