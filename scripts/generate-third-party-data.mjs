#!/usr/bin/env node
// Generates server/src/analysis/data/third-party-directives.json, the directives of the third-party
// modules shipped with Debian's nginx-extras (lua, headers-more, echo, nchan...), which nginx's own
// source does not have (scripts/generate-directive-data.mjs reads that):
//
//     { "<name>": { "module", "block", "contexts"? } }
//
// found by asking nginx about every name-like string of the module files, and where each is allowed.
//
// Usage: node scripts/generate-third-party-data.mjs   (needs nginx-extras; NGINX and NGINX_MODULES
// override the paths of the binary and of the dynamic modules). Takes a minute or two: one `nginx -t`
// per case, since nginx stops at the first error.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const MODULES_DIR = process.env.NGINX_MODULES ?? '/usr/lib/nginx/modules';
const OUT_DIR = fileURLToPath(new URL('../server/src/analysis/data/', import.meta.url));
const NGINX_DATA = fileURLToPath(new URL('../server/src/analysis/knowledge/nginx-directives.json', import.meta.url));

// Official modules that Debian builds as dynamic modules; everything else in MODULES_DIR is third-party.
const OFFICIAL_DYNAMIC = {
  ngx_http_geoip_module: 'ngx_http_geoip_module',
  ngx_http_image_filter_module: 'ngx_http_image_filter_module',
  ngx_http_perl_module: 'ngx_http_perl_module',
  ngx_http_xslt_module: 'ngx_http_xslt_filter_module',
  ngx_stream_geoip_module: 'ngx_stream_geoip_module',
  ngx_stream_core_module: 'ngx_stream_module',
  ngx_mail_core_module: 'ngx_mail_module',
};
const OFFICIAL_FILES = new Set(Object.values(OFFICIAL_DYNAMIC));

// Modules that need another one loaded first (undefined symbols otherwise).
const DEPENDENCIES = {
  ngx_http_lua_module: ['ndk_http_module'],
  ngx_stream_geoip2_module: ['ngx_stream_module'],
  ngx_stream_geoip_module: ['ngx_stream_module'],
};

// Minimal valid configurations around the tested directive, which goes on the '@' line. The
// directive comes first in its block so that nginx, which stops at the first error, judges it
// before anything else; what follows it only makes the block complete (stream servers need a
// listen and a handler, upstreams a server...). `$uri` because `if` checks its variable at once.
const SCAFFOLDS = {
  main: { text: '@\nevents {}' },
  events: { text: 'events {\n@\n}' },
  http: { text: 'events {}\nhttp {\n@\n}' },
  server: { text: 'events {}\nhttp {\nserver {\n@\n}\n}' },
  location: { text: 'events {}\nhttp {\nserver {\nlocation / {\n@\n}\n}\n}' },
  'if in location': { text: 'events {}\nhttp {\nserver {\nlocation / {\nif ($uri) {\n@\n}\n}\n}\n}' },
  if: { text: 'events {}\nhttp {\nserver {\nif ($uri) {\n@\n}\n}\n}' },
  limit_except: { text: 'events {}\nhttp {\nserver {\nlocation / {\nlimit_except GET {\n@\n}\n}\n}\n}' },
  upstream: { text: 'events {}\nhttp {\nupstream u {\n@\nserver 127.0.0.1:1;\n}\n}' },
  stream: { text: 'events {}\nstream {\n@\n}', modules: ['ngx_stream_module'] },
  'stream server': {
    text: 'events {}\nstream {\nserver {\n@\nlisten 127.0.0.1:12345;\nreturn x;\n}\n}',
    modules: ['ngx_stream_module'],
  },
  'stream upstream': {
    text: 'events {}\nstream {\nupstream u {\n@\nserver 127.0.0.1:1;\n}\n}',
    modules: ['ngx_stream_module'],
  },
  mail: { text: 'events {}\nmail {\n@\n}', modules: ['ngx_mail_module'] },
  'mail server': {
    text: 'events {}\nmail {\nserver {\n@\nlisten 127.0.0.1:2525;\nprotocol smtp;\nauth_http 127.0.0.1:9/auth;\n}\n}',
    modules: ['ngx_mail_module'],
  },
};

// ---------------------------------------------------------------------------------------------
// Running nginx

const ERROR_LINE = /\[(?:emerg|alert|crit)\] (?:\d+#\d+: )?(.*?)(?: in (\/\S+):(\d+))?$/m;

/** One temp prefix per concurrent nginx run, so runs never see each other's files. */
function makeSlots(count) {
  return Array.from({ length: count }, () => mkdtempSync(join(tmpdir(), 'nginx-data-')));
}

/** Runs `nginx -t` on `config` in the slot's fresh prefix; resolves with the first error, if any. */
function nginxTest(slot, config) {
  rmSync(slot, { recursive: true, force: true }); // placeholder values may have created files
  mkdirSync(slot);
  const file = join(slot, 'nginx.conf');
  writeFileSync(file, config);
  return new Promise((resolve, reject) => {
    execFile(NGINX, ['-t', '-q', '-p', `${slot}/`, '-c', file], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && (error.killed || error.signal)) return reject(new Error(`nginx did not finish on:\n${config}`));
      const match = ERROR_LINE.exec(stdout + stderr);
      if (!error || !match) return resolve(null);
      resolve({ message: match[1], file: match[2], line: match[3] ? Number(match[3]) : undefined });
    });
  });
}

/**
 * Puts `name` with `count` placeholder arguments (and `{}` for blocks) into a scaffold and
 * classifies nginx's answer. nginx checks, in this order: the name ("unknown directive"), the
 * context ("not allowed here"), block or not, then the number of arguments; any later error
 * (an invalid value, a missing file...) means that the count was accepted.
 * @returns {Promise<'accepted' | 'count' | 'unknown' | 'not-allowed' | 'needs-block' | 'not-block'>}
 */
async function probe(slot, { name, count, block, context, modules = [] }) {
  const directive = `${name}${' x'.repeat(count)}${block ? ' {}' : ';'}`;
  const { config, line } = configWith(context, modules, directive);
  const error = await nginxTest(slot, config);
  // Errors elsewhere come after the count check: later directives, or checks at the end of the
  // enclosing block (reported on its first line). The scaffolds alone are valid (checkScaffolds).
  if (error?.line !== line) return 'accepted';
  switch (error.message) {
    case `invalid number of arguments in "${name}" directive`:
      return 'count';
    case `unknown directive "${name}"`:
      return 'unknown';
    case `"${name}" directive is not allowed here`:
      return 'not-allowed';
    case `directive "${name}" has no opening "{"`:
      return 'needs-block';
    case `directive "${name}" is not terminated by ";"`:
      return 'not-block';
    default:
      return 'accepted';
  }
}

/** The scaffold of `context` with `directive` on its '@' line, after the load_module lines. */
function configWith(context, modules, directive) {
  const scaffold = SCAFFOLDS[context];
  const loads = [...new Set([...(scaffold.modules ?? []), ...modules])].map((m) => `load_module ${MODULES_DIR}/${m}.so;`);
  const lines = [...loads, ...scaffold.text.split('\n')];
  const line = lines.indexOf('@') + 1;
  lines[line - 1] = directive;
  return { config: lines.join('\n') + '\n', line };
}

/** Every scaffold must pass `nginx -t` on its own, or any error would pass for an accepted count. */
async function checkScaffolds(slot) {
  for (const context of Object.keys(SCAFFOLDS)) {
    const { config } = configWith(context, [], '');
    const error = await nginxTest(slot, config);
    if (error) throw new Error(`scaffold "${context}" fails: ${error.message}\n${config}`);
  }
}

/** Runs `work(item, slot)` for every item, as many at a time as there are slots. */
async function inPool(slots, items, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    slots.map(async (slot) => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], slot);
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------------------------------------
// Families

/** Which configuration tree a module belongs to (`server` means something else in each). */
function familyOf(module) {
  const match = /^ngx_(http|stream|mail|mgmt)_/.exec(module);
  return match?.[1] ?? (module === 'ngx_otel_module' ? 'http' : 'core');
}

// The scaffolds where a directive of each family can be. nginx looks for stream directives only
// in stream blocks and so on ("unknown directive" elsewhere); core directives are in main/events.
const FAMILY_CONTEXTS = {
  http: ['main', 'events', 'http', 'server', 'location', 'if in location', 'if', 'limit_except', 'upstream'],
  stream: ['main', 'stream', 'stream server', 'stream upstream'],
  mail: ['main', 'mail', 'mail server'],
};

// ---------------------------------------------------------------------------------------------
// Third-party directives

/** The bytes of an ELF64 (little-endian) file's `.rodata` section, where `ngx_string("name")` literals live. */
function rodataOf(file) {
  const elf = readFileSync(file);
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) throw new Error(`${file}: not an ELF64 LE file`);
  const sections = Number(elf.readBigUInt64LE(0x28));
  const entrySize = elf.readUInt16LE(0x3a);
  const count = elf.readUInt16LE(0x3c);
  const header = (i) => {
    const at = sections + i * entrySize;
    return { name: elf.readUInt32LE(at), offset: Number(elf.readBigUInt64LE(at + 24)), size: Number(elf.readBigUInt64LE(at + 32)) };
  };
  const names = header(elf.readUInt16LE(0x3e));
  for (let i = 0; i < count; i++) {
    const section = header(i);
    const start = names.offset + section.name;
    if (elf.toString('latin1', start, elf.indexOf(0, start)) === '.rodata') {
      return elf.subarray(section.offset, section.offset + section.size);
    }
  }
  return Buffer.alloc(0);
}

/** Name-like strings of a module file: the candidates for its directive names. */
function candidateNames(file) {
  const names = new Set();
  for (const text of rodataOf(file).toString('latin1').split(/[^\x20-\x7e]+/)) {
    // The linker stores a string that ends another one only once, so a name can also be the
    // tail of a longer string: "fair" in "upstream_fair", "init_by_lua" in "=init_by_lua".
    const tail = /[a-z][a-z0-9_]*$/.exec(text)?.[0];
    if (!tail) continue;
    names.add(tail);
    for (let i = tail.indexOf('_'); i >= 0; i = tail.indexOf('_', i + 1)) {
      if (/^[a-z]/.test(tail.slice(i + 1))) names.add(tail.slice(i + 1));
    }
  }
  return [...names].filter((name) => name.length > 1);
}

async function generateThirdParty(slots, nginxNames) {
  const modules = readdirSync(MODULES_DIR)
    .filter((f) => f.endsWith('.so'))
    .map((f) => f.slice(0, -3))
    .filter((m) => !OFFICIAL_FILES.has(m))
    .sort();

  // Is `name` a directive of `module`? Known with the module loaded, unknown without it (so not a
  // core directive or one of a dependency). Any context answers that: "not allowed here" also
  // means that nginx knows the name.
  const cases = modules.flatMap((module) =>
    candidateNames(join(MODULES_DIR, `${module}.so`))
      .filter((name) => !nginxNames.has(name))
      .map((name) => ({ module, name, deps: DEPENDENCIES[module] ?? [] })),
  );
  const known = await inPool(slots, cases, async ({ module, name, deps }, slot) => {
    const withModule = await probe(slot, { name, count: 0, context: 'main', modules: [...deps, module] });
    if (withModule === 'unknown') return false;
    return (await probe(slot, { name, count: 0, context: 'main', modules: deps })) === 'unknown';
  });
  const found = cases.filter((_, i) => known[i]);

  // Where is it allowed, and is it a block? In an allowed context, a block used as `name;` fails
  // with 'has no opening "{"'.
  const contexts = Object.keys(SCAFFOLDS);
  const results = await inPool(slots, found, async ({ module, name, deps }, slot) => {
    const allowed = [];
    let block = false;
    for (const context of FAMILY_CONTEXTS[familyOf(module)] ?? FAMILY_CONTEXTS.http) {
      const result = await probe(slot, { name, count: 0, context, modules: [...deps, module] });
      if (result === 'not-allowed' || result === 'unknown') continue;
      allowed.push(context);
      if (result === 'needs-block') block = true;
    }
    return { allowed, block };
  });

  const entries = {};
  found.forEach(({ module, name }, i) => {
    const { allowed, block } = results[i];
    const previous = entries[name];
    // Same name in two modules (geoip2 for http and for stream): one entry, all contexts.
    const all = previous ? contexts.filter((c) => previous.contexts?.includes(c) || allowed.includes(c)) : allowed;
    entries[name] = {
      module: previous?.module ?? module,
      block: Boolean(previous?.block) || block,
      ...(all.length ? { contexts: all } : {}),
    };
  });
  return { entries, candidates: cases.length };
}

// ---------------------------------------------------------------------------------------------
// Output

/** Pretty enough for diffs: one entry per line, keys sorted (the header keys first). */
function writeJson(file, header, entries) {
  const keys = Object.keys(entries).sort();
  const lines = [
    ...Object.entries(header).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`),
    ...keys.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(entries[k])}`),
  ];
  writeFileSync(file, `{\n${lines.join(',\n')}\n}\n`);
}

async function main() {
  if (!existsSync(NGINX)) {
    console.error(`${NGINX} not found: install nginx-extras (or set NGINX) to generate the data.`);
    process.exit(1);
  }
  const started = Date.now();
  const slots = makeSlots(availableParallelism());
  try {
    await checkScaffolds(slots[0]);
    // Names nginx's own source has in any release are not third-party (generate-directive-data.mjs).
    const nginxNames = new Set(Object.keys(JSON.parse(readFileSync(NGINX_DATA, 'utf8')).directives));
    const thirdParty = await generateThirdParty(slots, nginxNames);
    mkdirSync(OUT_DIR, { recursive: true });
    writeJson(join(OUT_DIR, 'third-party-directives.json'), {}, thirdParty.entries);
    const byModule = {};
    for (const { module } of Object.values(thirdParty.entries)) byModule[module] = (byModule[module] ?? 0) + 1;
    console.log(`${slots.length} parallel runs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(`third-party directives: ${Object.keys(thirdParty.entries).length} of ${thirdParty.candidates} candidate names`);
    for (const [module, count] of Object.entries(byModule).sort()) console.log(`  ${module}: ${count}`);
  } finally {
    for (const slot of slots) rmSync(slot, { recursive: true, force: true });
  }
}

await main();
