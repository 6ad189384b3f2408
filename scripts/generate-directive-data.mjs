#!/usr/bin/env node
// Generates server/src/analysis/knowledge/nginx-directives.json from nginx's own source: every
// `ngx_command_t` entry (name, context and argument flags, set handler) and every built-in variable
// of each release in ../shared/nginx-src, plus the release in which nginx's change log
// (docs/xml/nginx/changes.xml) says a directive or a variable appeared.
//
//   { "releases": ["1.18.0", ...],
//     "directives": { "<name>": [ { "family", "module", "contexts", "block", "args", "duplicate",
//                                   "value"?, "parameters"? (listen), "warning"? (deprecated, obsolete),
//                                   "releases": [indexes into releases] } ] },
//     "variables": { "http"|"stream": { "<name>": [release indexes], "<prefix>_*": [...] } },
//     "fixedVariables": { "http"|"stream": { "<name>": [release indexes] } }  (every build's, not changeable),
//     "appeared": { "<name>": "1.25.1" }, "removed": { "<name>": "1.25.1" },
//     "variablesAppeared": { "<name>": "1.19.10" } }
//
// Usage: node scripts/generate-directive-data.mjs [SOURCE_DIR [OUT]]   (default ../shared/nginx-src and the
// committed file; needs tar)

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = process.argv[2] ?? join(REPO, '../shared/nginx-src');
const OUT = process.argv[3] ?? join(REPO, 'server/src/analysis/knowledge/nginx-directives.json');

// cf->cmd_type of each block, as ngx_conf_handler() tests it (`cmd->type & cf->cmd_type`), named as
// the docs name contexts (src/core/ngx_conf_file.h, src/http/ngx_http_config.h, ...).
const CONTEXT_FLAGS = {
  NGX_MAIN_CONF: 'main',
  NGX_EVENT_CONF: 'events',
  NGX_HTTP_MAIN_CONF: 'http',
  NGX_HTTP_SRV_CONF: 'server',
  NGX_HTTP_LOC_CONF: 'location',
  NGX_HTTP_UPS_CONF: 'upstream',
  NGX_HTTP_SIF_CONF: 'if',
  NGX_HTTP_LIF_CONF: 'if in location',
  NGX_HTTP_LMT_CONF: 'limit_except',
  NGX_STREAM_MAIN_CONF: 'stream',
  NGX_STREAM_SRV_CONF: 'server',
  NGX_STREAM_UPS_CONF: 'upstream',
  NGX_MAIL_MAIN_CONF: 'mail',
  NGX_MAIL_SRV_CONF: 'server',
};
const TAKES = { NGX_CONF_NOARGS: [0], NGX_CONF_TAKE1: [1], NGX_CONF_TAKE2: [2], NGX_CONF_TAKE3: [3], NGX_CONF_TAKE4: [4],
  NGX_CONF_TAKE5: [5], NGX_CONF_TAKE6: [6], NGX_CONF_TAKE7: [7], NGX_CONF_TAKE12: [1, 2], NGX_CONF_TAKE13: [1, 3],
  NGX_CONF_TAKE23: [2, 3], NGX_CONF_TAKE123: [1, 2, 3], NGX_CONF_TAKE1234: [1, 2, 3, 4] };

// The ngx_conf_set_*_slot handlers of src/core/ngx_conf_file.c that answer "is duplicate" when the
// field is already set, and how each reads its value (the bitmask, keyval and array slots accumulate).
const SLOTS = {
  ngx_conf_set_flag_slot: 'flag',
  ngx_conf_set_str_slot: 'str',
  ngx_conf_set_num_slot: 'num',
  ngx_conf_set_size_slot: 'size',
  ngx_conf_set_off_slot: 'off',
  ngx_conf_set_msec_slot: 'msec',
  ngx_conf_set_sec_slot: 'sec',
  ngx_conf_set_bufs_slot: 'bufs',
  ngx_conf_set_enum_slot: 'enum',
  ngx_conf_set_path_slot: 'path',
};
const VALUE_SLOTS = {
  ngx_conf_set_bitmask_slot: 'bitmask',
  // A size unless it has variables (src/http/ngx_http_script.c): limit_rate, limit_rate_after.
  ngx_http_set_complex_value_size_slot: 'complexSize',
  ...SLOTS,
};

function versionOf(tarball) {
  return /nginx-(\d+\.\d+\.\d+)\.tar\.gz$/.exec(tarball)?.[1];
}

const compareVersions = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
};

function filesUnder(dir, suffix) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path, suffix));
    else if (entry.name.endsWith(suffix)) found.push(path);
  }
  return found;
}

/** The C source without comments, so that commented-out entries are not read. */
const withoutComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, ' ');

/** The body of each `TYPE name[] = { ... };` array of the file, by name. */
function arrays(text, type) {
  const found = new Map();
  const start = new RegExp(`${type}\\s+(\\w+)\\[\\]\\s*=\\s*\\{`, 'g');
  for (let match; (match = start.exec(text)); ) {
    const end = text.indexOf('\n};', match.index);
    found.set(match[1], text.slice(match.index + match[0].length, end));
  }
  return found;
}

/**
 * Handlers of the file that answer "is duplicate" whatever the arguments: the check comes before the
 * handler reads a value (`ngx_event_connections`, `ngx_http_core_root`...).
 */
function duplicateHandlers(text) {
  const found = new Set();
  const handler = /^(\w+)\(ngx_conf_t \*cf, ngx_command_t \*cmd, void \*conf\)\n\{([\s\S]*?)\n\}/gm;
  for (const [, name, body] of text.matchAll(handler)) {
    const before = body.split('"is duplicate"')[0];
    // `if (plcf->redirect == 0)`: a repeat is an error only after `off`, not "is duplicate" as such.
    const condition = before.slice(before.lastIndexOf('if ('));
    if (before !== body && !/value\[|cf->args->nelts|ngx_str\w*cmp/.test(before) && !/== (?:0|NULL)\b/.test(condition)) found.add(name);
  }
  return found;
}

/**
 * The parameters the `listen` handlers compare their arguments with (`ngx_strcmp(value[n].data,
 * "ssl")`, `ngx_strncmp(value[n].data, "backlog=", 8)`): the words after the address that nginx
 * takes; a prefix compared with strncmp ends in `=` (or is one, such as `ipv6only=o`).
 */
function listenParameters(text, handler) {
  const body = (new RegExp(`^${handler}\\(ngx_conf_t \\*cf, ngx_command_t \\*cmd, void \\*conf\\)\\n\\{([\\s\\S]*?)\\n\\}`, 'm').exec(text)?.[1] ?? '')
    // setfib= is FreeBSD's (auto/os/freebsd sets NGX_HAVE_SETFIB): on Linux it is an invalid parameter.
    .replace(/#if \(NGX_HAVE_SETFIB\)[\s\S]*?#endif/g, '');
  return [...new Set([...body.matchAll(/ngx_strn?cmp\(value\[\w+\]\.data, "([^"]+)"/g)].map((m) => m[1]))].sort();
}

/**
 * What nginx warns when it reads the directive: the ngx_conf_deprecated() post handler of
 * src/core/ngx_conf_file.c, an `_obsolete` handler such as ngx_http_v2_obsolete() (with a
 * replacement, or ignored without one), or ngx_http_v2_spdy_deprecated() (the spdy_* directives
 * nginx read until 1.19.x).
 */
function warningOf(name, handler, deprecation) {
  if (handler === 'ngx_http_v2_spdy_deprecated') return `invalid directive "${name}": ngx_http_spdy_module was superseded by ngx_http_v2_module`;
  if (handler.endsWith('_obsolete')) {
    return deprecation ? `the "${deprecation.old}" directive is obsolete, use the "${deprecation.replacement}" directive instead` : `the "${name}" directive is obsolete, ignored`;
  }
  return deprecation && `the "${deprecation.old}" directive is deprecated, use the "${deprecation.replacement}" directive instead`;
}

/** The `ngx_conf_num_bounds_t NAME = { ngx_conf_check_num_bounds, LOW, HIGH }` of a file (HIGH -1: no upper bound). */
function numBounds(text) {
  const found = new Map();
  for (const match of text.matchAll(/ngx_conf_num_bounds_t\s+(\w+)\s*=\s*\{\s*ngx_conf_check_num_bounds\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*\}/g)) {
    found.set(match[1], [Number(match[2]), Number(match[3])]);
  }
  return found;
}

/** `ngx_string("a")` names of an ngx_conf_enum_t / ngx_conf_bitmask_t array. */
const namesOf = (body) => [...body.matchAll(/ngx_string\("([^"]*)"\)/g)].map((m) => m[1]);

/** The family a source file's directives belong to: which tree of blocks ngx_conf_handler() looks them up in. */
function familyOf(file) {
  const top = file.split('/')[0];
  return top === 'http' || top === 'stream' || top === 'mail' ? top : 'core';
}

function directivesOf(srcDir) {
  const directives = [];
  for (const file of filesUnder(srcDir, '.c')) {
    const text = withoutComments(readFileSync(file, 'latin1'));
    const path = relative(srcDir, file);
    const enums = new Map([...arrays(text, 'ngx_conf_enum_t'), ...arrays(text, 'ngx_conf_bitmask_t')]);
    const bounds = numBounds(text);
    const deprecations = new Map([...text.matchAll(/ngx_conf_deprecated_t\s+(\w+)\s*=\s*\{\s*ngx_conf_deprecated\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"\s*\}/g)]
      .map((match) => [match[1], { old: match[2], replacement: match[3] }]));
    const duplicates = duplicateHandlers(text);
    const module = /ngx_module_t\s+(\w+)\s*=\s*\{/.exec(text)?.[1] ?? path;
    for (const body of arrays(text, 'ngx_command_t').values()) {
      const entry = /\{\s*ngx_string\("([^"]+)"\),\s*([^,]+),\s*(\w+),\s*([^,]+),\s*([^,]+(?:\([^)]*\))?[^,]*),\s*([^}]+?)\s*\}/g;
      for (let match; (match = entry.exec(body)); ) {
        const [, name, flagText, handler, , , post] = match;
        const flags = flagText.split('|').map((flag) => flag.trim());
        const anyContext = flags.includes('NGX_ANY_CONF');
        const contexts = anyContext ? ['any'] : [...new Set(flags.map((flag) => CONTEXT_FLAGS[flag]).filter(Boolean))];
        const takes = [...new Set(flags.flatMap((flag) => TAKES[flag] ?? []))].sort();
        const args =
          flags.includes('NGX_CONF_ANY') ? { atLeast: 0 }
          : flags.includes('NGX_CONF_FLAG') ? { counts: [1] }
          : flags.includes('NGX_CONF_1MORE') ? { atLeast: 1 }
          : flags.includes('NGX_CONF_2MORE') ? { atLeast: 2 }
          : { counts: takes };
        const kind = VALUE_SLOTS[handler];
        const postName = /&(\w+)/.exec(post)?.[1];
        const value =
          kind === 'enum' || kind === 'bitmask' ? (enums.has(postName) ? { kind, values: namesOf(enums.get(postName)) } : undefined)
          : kind === 'num' && bounds.has(postName) ? { kind, bounds: bounds.get(postName) }
          : kind && kind !== 'str' && kind !== 'path' ? { kind }
          : undefined;
        const parameters = /^ngx_(?:http|stream|mail)_core_listen$/.test(handler) ? listenParameters(text, handler) : undefined;
        const warning = warningOf(name, handler, deprecations.get(postName));
        directives.push({
          name,
          family: familyOf(path),
          module,
          contexts,
          block: flags.includes('NGX_CONF_BLOCK'),
          args,
          duplicate: Object.hasOwn(SLOTS, handler) || duplicates.has(handler),
          ...(value ? { value } : {}),
          ...(parameters ? { parameters } : {}),
          ...(warning ? { warning } : {}),
        });
      }
    }
  }
  return directives;
}

/**
 * Built-in variables of the http and stream trees: the `ngx_http_variable_t` arrays (prefix ones end
 * in `_*`), and the names a module adds one by one from a static string, as the slice, secure_link,
 * referer, userid and gzip modules do (`ngx_http_add_variable(cf, &ngx_http_slice_range_name, 0)`).
 */
function variablesOf(srcDir) {
  const variables = { http: new Set(), stream: new Set() };
  const fixed = { http: new Set(), stream: new Set() };
  for (const file of filesUnder(srcDir, '.c')) {
    const family = familyOf(relative(srcDir, file));
    if (family !== 'http' && family !== 'stream') continue;
    const text = withoutComments(readFileSync(file, 'latin1'));
    const always = ALWAYS_BUILT_VARIABLE_FILES.includes(relative(srcDir, file));
    for (const body of arrays(text, `ngx_${family}_variable_t`).values()) {
      for (const match of body.matchAll(/\{\s*ngx_string\("([^"]+)"\)([^}]*)\}/g)) {
        const prefix = match[2].includes('_VAR_PREFIX');
        variables[family].add(prefix ? `${match[1]}*` : match[1]);
        if (always && !prefix && !match[2].includes('_VAR_CHANGEABLE')) fixed[family].add(match[1]);
      }
    }
    const staticNames = new Map([...text.matchAll(/static\s+ngx_str_t\s+(\w+)\s*=\s*ngx_string\("([^"]+)"\)/g)].map((match) => [match[1], match[2]]));
    for (const match of text.matchAll(new RegExp(`ngx_${family}_add_variable\\(cf,\\s*&(\\w+)\\s*,`, 'g'))) {
      if (staticNames.has(match[1])) variables[family].add(staticNames.get(match[1]));
    }
  }
  return { variables, fixed };
}

/**
 * The files whose variables every build has (the core and upstream modules of each tree): a variable
 * of theirs that is not NGX_HTTP_VAR_CHANGEABLE cannot be defined again by `set`, `map`, `geo`...
 * ("the duplicate ... variable", ngx_http_add_variable()). An optional module's may be absent.
 */
const ALWAYS_BUILT_VARIABLE_FILES = ['http/ngx_http_variables.c', 'http/ngx_http_upstream.c', 'stream/ngx_stream_variables.c', 'stream/ngx_stream_upstream.c'];

/**
 * The release where changes.xml first names each directive as a new feature (`the "a", "b", and "c"
 * directives`), and where it says one is no longer supported; and each variable's (`the $a and $b
 * variables`, `the "$prefix_..." variables` for a prefix family, written `prefix_*` as the tables do).
 */
function changeLog(changesXml) {
  const appeared = new Map();
  const removed = new Map();
  const variablesAppeared = new Map();
  const releases = [...changesXml.matchAll(/<changes ver="([\d.]+)"[\s\S]*?<\/changes>/g)];
  // Oldest first, so that the first feature mention wins.
  for (const [text, version] of releases.reverse()) {
    for (const change of text.matchAll(/<change type="feature">([\s\S]*?)<\/change>/g)) {
      const english = /<para lang="en">([\s\S]*?)<\/para>/.exec(change[1])?.[1].replace(/\s+/g, ' ') ?? '';
      // `the "a", "b", and "c" directives` at the start of a feature, or of one of its parts
      // (`session affinity support; the "sticky" directive ...`): the directives it adds.
      for (const part of english.split('; ')) {
        const listed = /^\s*the ((?:"[a-z0-9_]+"(?:,? and |, )?)+) directives?\b/.exec(part);
        for (const name of listed ? listed[1].matchAll(/"([a-z0-9_]+)"/g) : []) if (!appeared.has(name[1])) appeared.set(name[1], version);
      }
      const variables = /^\s*the ((?:"?\$[a-z0-9_]+(?:\.\.\.)?"?(?:,? and |, )?)+) variables?\b/.exec(english);
      for (const [, name, prefix] of variables ? variables[1].matchAll(/\$([a-z0-9_]+)(\.\.\.)?/g) : []) {
        const key = prefix ? `${name}*` : name;
        if (!variablesAppeared.has(key)) variablesAppeared.set(key, version);
      }
    }
    for (const change of text.matchAll(/<change type="change">([\s\S]*?)<\/change>/g)) {
      const english = /<para lang="en">([\s\S]*?)<\/para>/.exec(change[1])?.[1].replace(/\s+/g, ' ') ?? '';
      const gone = /the (?:deprecated |obsolete )?"([a-z0-9_]+)" directive (?:is not supported anymore|was removed|has been removed)/.exec(english);
      if (gone) removed.set(gone[1], version);
    }
  }
  return { appeared, removed, variablesAppeared };
}

/** Dates of the change log that the sources confirm: between the last release before the change and the first after it. */
function confirmed(dates, releases, changed) {
  const kept = {};
  for (const [name, version] of dates) {
    const at = changed(name);
    if (at <= 0) continue;
    if (compareVersions(version, releases[at - 1]) > 0 && compareVersions(version, releases[at]) <= 0) kept[name] = version;
  }
  return kept;
}

function main() {
  const tarballs = readdirSync(SOURCES).filter(versionOf).sort((a, b) => compareVersions(versionOf(a), versionOf(b)));
  const releases = tarballs.map(versionOf);
  const work = mkdtempSync(join(tmpdir(), 'nginx-src-'));
  const shapes = new Map(); // name -> Map(shape JSON -> release indexes)
  const variables = { http: new Map(), stream: new Map() };
  const fixedVariables = { http: new Map(), stream: new Map() };
  let changes = '';
  try {
    tarballs.forEach((tarball, index) => {
      const dir = join(work, releases[index]);
      execFileSync('mkdir', ['-p', dir]);
      execFileSync('tar', ['-xzf', join(SOURCES, tarball), '-C', dir, '--strip-components=1', '--wildcards', '*/src/*', '*/docs/xml/nginx/changes.xml']);
      for (const directive of directivesOf(join(dir, 'src'))) {
        const { name, ...shape } = directive;
        const byShape = shapes.get(name) ?? new Map();
        shapes.set(name, byShape);
        const key = JSON.stringify(shape);
        const indexes = byShape.get(key) ?? [];
        if (indexes[indexes.length - 1] !== index) indexes.push(index);
        byShape.set(key, indexes);
      }
      const found = variablesOf(join(dir, 'src'));
      for (const family of ['http', 'stream']) {
        for (const name of found.variables[family]) variables[family].set(name, [...(variables[family].get(name) ?? []), index]);
        for (const name of found.fixed[family]) fixedVariables[family].set(name, [...(fixedVariables[family].get(name) ?? []), index]);
      }
      changes = readFileSync(join(dir, 'docs/xml/nginx/changes.xml'), 'utf8');
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const directives = {};
  for (const name of [...shapes.keys()].sort()) {
    directives[name] = [...shapes.get(name)].map(([key, indexes]) => ({ ...JSON.parse(key), releases: indexes }));
  }
  const present = (name) => new Set(directives[name]?.flatMap((form) => form.releases) ?? []);
  const log = changeLog(changes);
  const appeared = confirmed(log.appeared, releases, (name) => releases.findIndex((_, i) => present(name).has(i)));
  const removed = confirmed(log.removed, releases, (name) => {
    const has = present(name);
    return releases.findIndex((_, i) => i > 0 && has.has(i - 1) && !has.has(i));
  });
  // A variable's date, where the tables of the releases around it confirm it (in either tree).
  const variableReleases = (name) => new Set([...(variables.http.get(name) ?? []), ...(variables.stream.get(name) ?? [])]);
  const variablesAppeared = confirmed(log.variablesAppeared, releases, (name) => releases.findIndex((_, i) => variableReleases(name).has(i)));
  const sortedByName = (byFamily) => Object.fromEntries(
    Object.entries(byFamily).map(([family, map]) => [family, Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)))]),
  );
  const familyLines = (byFamily) => Object.entries(sortedByName(byFamily)).map(([f, v]) => `    ${JSON.stringify(f)}: ${JSON.stringify(v)}`).join(',\n');
  const lines = [
    `  "releases": ${JSON.stringify(releases)}`,
    `  "appeared": ${JSON.stringify(appeared)}`,
    `  "removed": ${JSON.stringify(removed)}`,
    `  "variablesAppeared": ${JSON.stringify(variablesAppeared)}`,
    `  "variables": {\n${familyLines(variables)}\n  }`,
    `  "fixedVariables": {\n${familyLines(fixedVariables)}\n  }`,
    `  "directives": {\n${Object.entries(directives).map(([n, forms]) => `    ${JSON.stringify(n)}: ${JSON.stringify(forms)}`).join(',\n')}\n  }`,
  ];
  writeFileSync(OUT, `{\n${lines.join(',\n')}\n}\n`);
  console.log(`${releases.join(', ')}: ${Object.keys(directives).length} directives, ${Object.keys(appeared).length} appearances and ${Object.keys(removed).length} removals and ${Object.keys(variablesAppeared).length} variables dated by changes.xml, ` +
    `${variables.http.size} http and ${variables.stream.size} stream variables -> ${OUT} (${statSync(OUT).size} bytes)`);
}

main();
