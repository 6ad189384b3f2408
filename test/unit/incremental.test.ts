/**
 * Incremental re-parsing (issue 7): after any edit, reparse() gives exactly the tree and errors that
 * parse() gives for the new text, while the nodes outside the edited block keep their identity.
 * Edits are random (typing, deleting, pasting words, braces, quotes, `#`, Lua bodies) and chained:
 * each result is the input of the next edit, as in an editor. Sources: the shared corpus when present,
 * else examples/ (the test names which).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { directivesNamed, parse, reparse, walk, type Directive, type ParseResult } from '../../server/src/parser';
import { analyze } from '../../server/src/analysis/analyze';
import { AnalysisCancelled } from '../../server/src/analysis/cancellation';
import type { Finding } from '../../server/src/analysis/types';
import { Workspace } from '../../server/src/analysis/workspace';
import { MAIN as MAIN_CONTEXT } from '../../server/src/analysis/context';
import { configurationsOf, type Placed } from '../../server/src/analysis/rules/load/configuration';
import { routingModel, type RouteLocation } from '../../server/src/analysis/routing/model';
import { securityRules } from '../../server/src/analysis/rules/security';
import { corpusAvailable, CORPUS_DIR } from '../support/corpus';
import { seededRandom } from '../support/mutants';

const REPO_ROOT = resolve(__dirname, '../..');
const useCorpus = corpusAvailable();
const sourceDir = useCorpus ? CORPUS_DIR : join(REPO_ROOT, 'examples');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() && !/\.(tsv|jsonl|md)$/.test(entry.name) && statSync(full).size < 1 << 20 ? [full] : [];
  });
}

const sources = filesUnder(sourceDir).sort().map((path) => readFileSync(path, 'latin1'));

/** What editors insert: whole lines, words, and the characters that change nginx's reading. */
const INSERTS = [
  'x', ' ', '\n', ';', '{', '}', '"', "'", '\\', '#', '$', '${a}', 'listen 80;', 'proxy_pass http://b;\n',
  'location /a { return 200; }', 'content_by_lua_block { local s = "}" }', '# a comment {\n', '}\n}', '{{',
];

/** The tree and errors, without what reparse() says of how it got them. */
const syntax = ({ root, errors }: ParseResult): ParseResult => ({ root, errors });

function randomEdit(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const kind = random();
  if (kind < 0.45) return text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(at);
  const end = Math.min(text.length, at + 1 + Math.floor(random() * (kind < 0.8 ? 3 : 80)));
  if (kind < 0.9) return text.slice(0, at) + text.slice(end);
  return text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(end);
}

test(`reparse() equals parse() after chains of random edits (${useCorpus ? 'the shared corpus' : 'examples/, no ../shared/corpus'})`, () => {
  assert.ok(sources.length > 0, `no sources under ${sourceDir}`);
  const random = seededRandom(17);
  let edits = 0;
  for (const source of sources) {
    let text = source;
    let tree = parse(text);
    for (let i = 0; i < 12; i++) {
      const next = randomEdit(text, random);
      tree = reparse(tree, text, next);
      text = next;
      assert.deepStrictEqual(syntax(tree), parse(text), `edit ${i} of a ${source.length}-char file`);
      edits++;
    }
  }
  assert.ok(edits >= 12 * sources.length);
});

const SITE = (name: string) => `    server {\n        server_name ${name};\n        location / {\n            proxy_pass http://app;\n        }\n    }\n`;
const CONFIG = `http {\n${SITE('a.test')}${SITE('b.test')}${SITE('c.test')}}\n`;

function serverNamed(root: ReturnType<typeof parse>['root'], name: string): Directive {
  const http = root.children[0] as Directive;
  return http.block!.children.find(
    (node): node is Directive => node.kind === 'directive' && node.name.value === 'server' && (node.block!.children[0] as Directive).args[0].value === name,
  )!;
}

test('reparse() equals parse() on a 60 KB file, where texts are compared a chunk at a time', () => {
  const random = seededRandom(23);
  let text = `http {\n${Array.from({ length: 500 }, (_, i) => SITE(`s${i}.test`)).join('')}}\n`;
  assert.ok(text.length > 50_000);
  let tree = parse(text);
  for (let i = 0; i < 40; i++) {
    const next = randomEdit(text, random);
    tree = reparse(tree, text, next);
    text = next;
    assert.deepStrictEqual(syntax(tree), parse(text), `edit ${i}`);
  }
});

test('an edit inside one location keeps every other directive, moved by the edit', () => {
  const old = parse(CONFIG);
  const first = serverNamed(old.root, 'a.test');
  const last = serverNamed(old.root, 'c.test');
  const lastStart = last.start;
  const at = CONFIG.indexOf('proxy_pass', CONFIG.indexOf('b.test'));
  const text = CONFIG.slice(0, at) + 'proxy_http_version 1.1;\n            ' + CONFIG.slice(at);
  const tree = reparse(old, CONFIG, text);
  assert.deepStrictEqual(syntax(tree), parse(text));
  assert.equal(tree.reread?.chain.at(-1)?.args[0].value, '/', 'the statements read again are in the location');
  // The texts differ from after the `proxy_` the new line shares with the next: that line is read again too.
  assert.deepEqual(tree.reread?.children.map((node) => node.kind === 'directive' && node.name.value), ['proxy_http_version', 'proxy_pass'], 'only the lines around the edit were read');
  assert.equal(serverNamed(tree.root, 'a.test'), first, 'the server before the edit is the same node');
  assert.equal(serverNamed(tree.root, 'c.test'), last, 'the server after the edit is the same node');
  assert.equal(last.start, lastStart + 'proxy_http_version 1.1;\n            '.length);
});

test('an edit between servers, or after the last block, re-reads the statements around it only', () => {
  const old = parse(CONFIG);
  const servers = ['a.test', 'b.test', 'c.test'].map((name) => serverNamed(old.root, name));
  const between = CONFIG.indexOf('    server {', servers[1].end);
  const lastStart = servers[2].start;
  const added = '    # a comment between servers\n    sendfile on;\n';
  const text = CONFIG.slice(0, between) + added + CONFIG.slice(between);
  const tree = reparse(old, CONFIG, text);
  assert.deepStrictEqual(syntax(tree), parse(text));
  assert.deepEqual(tree.reread?.chain.map((directive) => directive.name.value), ['http']);
  assert.deepEqual(tree.reread?.children.map((node) => (node.kind === 'directive' ? node.name.value : '#')), ['#', 'sendfile']);
  assert.deepEqual(['a.test', 'b.test', 'c.test'].map((name) => serverNamed(tree.root, name)), servers, 'every server is the same node');
  assert.equal(servers[2].start, lastStart + added.length, 'the server after the edit moved');

  const appended = `${text}# the end\n`;
  const atEnd = reparse(tree, text, appended);
  assert.deepStrictEqual(syntax(atEnd), parse(appended));
  assert.deepEqual(atEnd.reread?.chain, [], 'read at the top level');
  assert.deepEqual(atEnd.reread?.children.map((node) => node.kind), ['comment'], 'the comment only');
  assert.equal(atEnd.root.children[0], tree.root.children[0], 'the http block is the same node');
});

test('an edit that unbalances braces re-reads the enclosing blocks, up to the whole file', () => {
  const at = CONFIG.indexOf('proxy_pass');
  for (const inserted of ['{', '}', 'location /x {', '"']) {
    const text = CONFIG.slice(0, at) + inserted + CONFIG.slice(at);
    assert.deepStrictEqual(syntax(reparse(parse(CONFIG), CONFIG, text)), parse(text), `inserting ${inserted}`);
  }
});

test('findings after chains of edits equal those of a fresh analysis (entries and problems reused)', () => {
  const random = seededRandom(29);
  const path = '/etc/nginx/nginx.conf';
  const start = `http {\n${Array.from({ length: 40 }, (_, i) => SITE(`s${i}.test`)).join('')}    upstream app { server 127.0.0.1:8080; }\n}\n`;
  // Inside an http block, and as they are: edits at the file's top level re-read statements of the top level.
  const texts = [start, ...sources.slice(0, 60).map((source) => `http {\n${source}\n}\n`), ...sources.slice(0, 30)];
  let compared = 0;
  for (const first of texts) {
    let text = first;
    const workspace = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
    workspace.roots = [path];
    analyze(workspace.file(path)!, workspace);
    for (let i = 0; i < 8; i++) {
      text = randomEdit(text, random);
      const fresh = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
      fresh.roots = [path];
      assert.deepStrictEqual(analyze(workspace.file(path)!, workspace), analyze(fresh.file(path)!, fresh), `edit ${i}`);
      compared++;
    }
  }
  assert.ok(compared >= 8 * texts.length);
});

test('the name index and the include sites kept over edits equal those of a fresh parse', () => {
  const random = seededRandom(31);
  const path = '/etc/nginx/nginx.conf';
  let derived = 0;
  for (const source of sources.slice(0, 80)) {
    let text = `http {\n${source}\n    include snippets/*.conf;\n}\n`;
    const workspace = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
    for (let i = 0; i < 10; i++) {
      const file = workspace.file(path)!;
      const fresh = parse(text);
      if (file.tree.reread) derived++;
      const names = new Set<string>();
      walk(fresh.root, (directive) => void names.add(directive.name.value));
      for (const name of names) assert.deepStrictEqual(directivesNamed(file.tree, name), directivesNamed(fresh, name), `"${name}" after edit ${i}`);
      const freshWorkspace = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
      assert.deepStrictEqual(workspace.includesOf(file), freshWorkspace.includesOf(freshWorkspace.file(path)!), `includes after edit ${i}`);
      text = randomEdit(text, random);
    }
  }
  // Many edits re-read one block (the others unbalance braces or stand at the top): then the index and sites were derived from the previous ones.
  const edits = Math.min(sources.length, 80) * 10;
  assert.ok(derived > edits / 4, `${derived} of ${edits} derived`);
});

test('a map whose line an edit re-read is judged on its new lines: its keys are not taken for duplicates of the old ones', () => {
  const path = '/etc/nginx/nginx.conf';
  let text = 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; "" close; }\n}\n';
  const workspace = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
  workspace.roots = [path];
  const mapProblems = () => analyze(workspace.file(path)!, workspace).filter((finding) => finding.code === 'duplicate-map-key').map((finding) => finding.message);
  assert.deepEqual(mapProblems(), []);
  text = text.replace('default upgrade;', 'default keep;');
  assert.deepEqual(mapProblems(), []);
  assert.deepEqual(workspace.file(path)!.tree.reread?.chain.map((directive) => directive.name.value), ['http', 'map'], 'the edit re-read the map only');
  text = text.replace('"" close;', '"" close; default close;');
  assert.deepEqual(mapProblems(), ['duplicate default map parameter']);
});

test('unknown variables after edits: a definition added elsewhere clears a use kept from before, and a use re-read is judged by its new name', () => {
  const path = '/etc/nginx/nginx.conf';
  let text = 'events {}\nhttp {\n    server { listen 80; location / { return 200 $app_name; } }\n    server { listen 81; location / { return 204; } }\n}\n';
  const workspace = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
  workspace.roots = [path];
  const unknown = () => analyze(workspace.file(path)!, workspace)
    .filter((finding) => finding.code === 'unknown-variable')
    .map((finding) => `${finding.message} at ${text.slice(finding.span.start, finding.span.end)}`);
  assert.deepEqual(unknown(), ['unknown "app_name" variable at $app_name']);
  text = text.replace('return 204;', 'set $app_name x; return 204;');
  assert.deepEqual(unknown(), [], 'defined in the other server, which the edit re-read alone');
  assert.deepEqual(workspace.file(path)!.tree.reread?.chain.map((directive) => directive.name.value), ['http', 'server', 'location']);
  text = text.replace('return 200 $app_name;', 'return 200 $app_host;');
  assert.deepEqual(unknown(), ['unknown "app_host" variable at $app_host']);
  text = text.replace('set $app_name x; ', '');
  assert.deepEqual(unknown(), ['unknown "app_host" variable at $app_host']);
  text = text.replace('listen 80;', 'listen 8080;');
  assert.deepEqual(unknown(), ['unknown "app_host" variable at $app_host'], 'a use kept from before, moved by the edit');
});

test('a line added before a later line of its block makes that one the duplicate, though only the new line was read', () => {
  const path = '/etc/nginx/nginx.conf';
  const original = 'events {}\nhttp {\n    server { listen 8080; }\n    tcp_nopush off;\n}\n';
  let text = original;
  const workspace = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
  workspace.roots = [path];
  const duplicates = () => analyze(workspace.file(path)!, workspace).filter((finding) => finding.code === 'duplicate-directive').map((finding) => text.slice(finding.span.start, finding.span.end));
  assert.deepEqual(duplicates(), []);
  text = original.replace('    server', '    tcp_nopush on;\n    server');
  assert.deepEqual(duplicates(), ['tcp_nopush off;']);
  assert.deepEqual(workspace.file(path)!.tree.reread?.children.map((node) => node.kind === 'directive' && node.name.value), ['tcp_nopush'], 'only the new line was read');
  text = original;
  assert.deepEqual(duplicates(), []);
});

/**
 * A line added to or removed from one location, which re-reads that location only (the other
 * servers' findings are reused); one time in ten `atHttpLevel(text)`, an edit outside the servers.
 */
function locationLineEdit(text: string, random: () => number, lines: readonly string[], atHttpLevel: (text: string) => string): string {
  const at = text.indexOf('location /', Math.floor(random() * text.length));
  const open = text.indexOf('{', at) + 1;
  const close = text.indexOf('}', open);
  const kind = random();
  if (at < 0 || kind < 0.1) return atHttpLevel(text);
  if (kind < 0.6) return `${text.slice(0, open)} ${lines[Math.floor(random() * lines.length)]}${text.slice(open)}`;
  const semicolon = text.indexOf(';', open);
  return text.slice(0, open) + text.slice(semicolon >= 0 && semicolon < close ? semicolon + 1 : open);
}

/**
 * An edit at the http level between two servers that leaves what lies outside the servers alone: a
 * comment, a whole server (`site`) added, or the server there removed.
 */
function betweenServersEdit(text: string, random: () => number, site: string): string {
  const at = text.indexOf('\n    server {', Math.floor(random() * text.length)) + 1;
  const kind = random();
  if (at === 0) return `${text}# the end\n`;
  if (kind < 0.4) return `${text.slice(0, at)}    # between servers\n${text.slice(at)}`;
  if (kind < 0.7) return text.slice(0, at) + site + text.slice(at);
  return text.slice(0, at) + text.slice(text.indexOf('\n    }\n', at) + '\n    }\n'.length);
}

/** A line of `lines` added at the top of the http block, or one added earlier removed again. */
function httpLineEdit(text: string, random: () => number, lines: readonly string[]): string {
  const marker = ' # added\n';
  const added = text.indexOf(marker);
  if (added >= 0 && random() < 0.5) return text.slice(0, text.lastIndexOf('\n', added) + 1) + text.slice(added + marker.length);
  const at = text.indexOf('http {\n') + 'http {\n'.length;
  return `${text.slice(0, at)}    ${lines[Math.floor(random() * lines.length)]}${marker}${text.slice(at)}`;
}

/** A server of WebSocket locations that the rules have much to say about (headers, timeouts, TLS, keep-alive). */
const WS_SITE = (i: number) => [
  `    server {`,
  `        listen ${i % 3 === 0 ? '443 ssl' : String(8000 + i)}${i % 4 === 0 ? ' default_server' : ''};`,
  `        server_name s${i}.test;`,
  ...(i % 5 === 0 ? ['        ssl_session_cache shared:MozSSL:10m;'] : []),
  `        location /ws/ {`,
  `            proxy_pass http://${i % 2 === 0 ? 'pool' : 'app'};`,
  `            proxy_http_version 1.${i % 2};`,
  `            proxy_set_header Upgrade $http_upgrade;`,
  ...(i % 3 === 1 ? ['            proxy_set_header Connection $connection_upgrade;'] : []),
  `            proxy_read_timeout ${i % 2 === 0 ? '30s' : '3600s'};`,
  `        }`,
  `        location /socket.io/ { proxy_pass http://pool; }`,
  `        location / { proxy_pass http://pool; proxy_set_header Connection close; }`,
  `    }`,
  '',
].join('\n');

test('WebSocket findings kept for the servers an edit left alone equal those of a fresh analysis', () => {
  const random = seededRandom(41);
  const path = '/etc/nginx/nginx.conf';
  const maps = '    map $http_upgrade $connection_upgrade { default upgrade; "" close; }\n    upstream pool { server 127.0.0.1:9000; keepalive 8; }\n';
  let text = `events {}\nhttp {\n${maps}${Array.from({ length: 16 }, (_, i) => WS_SITE(i)).join('')}}\n`;
  const workspace = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
  workspace.roots = [path];
  const wsCodes = (findings: Finding[]) => findings.filter((finding) => finding.code.startsWith('ws-') || finding.code === 'upstream-keepalive-ineffective');
  assert.ok(wsCodes(analyze(workspace.file(path)!, workspace)).length > 40, 'the servers have WebSocket findings');
  const lines = ['proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";', 'proxy_set_header Connection "";', 'proxy_http_version 1.1;', 'proxy_read_timeout 3600s;', 'proxy_pass http://app;', 'allow 10.0.0.0/8;'];
  const atHttpLevel = (edited: string) => random() < 0.5
    ? betweenServersEdit(edited, random, WS_SITE(Math.floor(random() * 16)))
    : edited.replace(/default (upgrade|keep);/, (_, value) => `default ${value === 'upgrade' ? 'keep' : 'upgrade'};`);
  for (let i = 0; i < 150; i++) {
    // Mostly a line added to or removed from one location; else any edit inside a /ws/ block (which
    // may unbalance it, and then the rest of the file is read again).
    const at = text.indexOf('location /ws/', Math.floor(random() * text.length));
    const kind = random();
    if (at > 0 && kind < 0.2) text = text.slice(0, at + 14) + randomEdit(text.slice(at + 14, at + 120), random) + text.slice(at + 120);
    else if (kind < 0.4) text = httpLineEdit(text, random, [...lines, 'keepalive_timeout 30s;', 'gzip on;', 'proxy_set_header Connection $connection_upgrade;']);
    else text = locationLineEdit(text, random, lines, atHttpLevel);
    const fresh = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
    fresh.roots = [path];
    assert.deepStrictEqual(analyze(workspace.file(path)!, workspace), analyze(fresh.file(path)!, fresh), `edit ${i}`);
  }
});

/** A server that the security rules have much to say about (lost headers, SSRF, aliases, access, TLS, dotfiles). */
const SECURITY_SITE = (i: number) => [
  `    server {`,
  `        listen ${i % 2 === 0 ? '443 ssl' : String(8000 + i)};`,
  `        server_name s${i}.test;`,
  ...(i % 3 === 0 ? ['        add_header Strict-Transport-Security "max-age=31536000" always;'] : []),
  `        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`,
  `        location /static/ { add_header Cache-Control public; autoindex ${i % 2 === 0 ? 'on' : 'off'}; }`,
  `        location /api/ { proxy_set_header Host $host; proxy_pass http://$arg_target; }`,
  `        location /files { alias /srv/files/; }`,
  `        location /status { stub_status; }`,
  `        location /admin/ { return 200; allow 10.0.0.0/8; deny all; }`,
  ...(i % 4 === 0 ? ['        ssl_protocols TLSv1 TLSv1.2;'] : []),
  `    }`,
  '',
].join('\n');

test('security findings kept for the servers an edit left alone equal those of a fresh analysis', () => {
  const random = seededRandom(43);
  const path = '/etc/nginx/nginx.conf';
  let text = `events {}\nhttp {\n    server_tokens off;\n${Array.from({ length: 16 }, (_, i) => SECURITY_SITE(i)).join('')}}\n`;
  const workspace = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
  workspace.roots = [path];
  const securityCodes = new Set(securityRules.map((rule) => rule.id));
  const first = analyze(workspace.file(path)!, workspace).filter((finding) => securityCodes.has(finding.code));
  assert.ok(first.length > 60 && new Set(first.map((finding) => finding.code)).size >= 6, `the servers have security findings of several rules: ${first.length}`);
  // Lines that change what the rules find, added to or removed from one location at a time.
  const lines = ['add_header X-Frame-Options DENY;', 'autoindex on;', 'proxy_pass http://$host;', 'allow all;', 'return 301 /;', 'proxy_set_header X-Real-IP $remote_addr;', 'add_header Cache-Control private;', 'alias /tmp;'];
  const atHttpLevel = (edited: string) => random() < 0.5
    ? betweenServersEdit(edited, random, SECURITY_SITE(Math.floor(random() * 16)))
    : edited.replace(/server_tokens (on|off);/, (_, value) => `server_tokens ${value === 'on' ? 'off' : 'on'};`);
  const httpLines = [...lines, 'keepalive_timeout 30s;', 'gzip on;', 'server_tokens on;', 'ssl_protocols TLSv1 TLSv1.2;', 'resolver 127.0.0.53;', 'add_header_inherit merge;'];
  for (let i = 0; i < 150; i++) {
    text = random() < 0.2 ? httpLineEdit(text, random, httpLines) : locationLineEdit(text, random, lines, atHttpLevel);
    const fresh = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
    fresh.roots = [path];
    assert.deepStrictEqual(analyze(workspace.file(path)!, workspace), analyze(fresh.file(path)!, fresh), `edit ${i}`);
  }
});

/** A configuration as plain data: each directive where it is read, and the routing of its servers. */
function configurationShape(workspace: Workspace, path: string) {
  const [configuration] = configurationsOf(workspace.file(path)!, workspace, MAIN_CONTEXT);
  const at = (placed: Placed) => `${placed.file.path}:${placed.directive.start}`;
  for (const placed of configuration.directives) assert.equal(placed.file, workspace.file(placed.file.path), `${at(placed)} holds its file's current version`);
  const location = (route: RouteLocation): unknown => [at(route.placed), route.kind, route.name, route.internal, route.autoRedirect, route.children.map(location)];
  return {
    derived: configuration.reread !== undefined,
    directives: configuration.directives.map((placed, order) => [at(placed), placed.directive.name.value, placed.context, placed.parent && at(placed.parent), placed.order === order]),
    byName: [...configuration.byName].map(([name, list]) => [name, list.map(at)]).sort(),
    unresolved: [...configuration.unresolved].map(at),
    files: [...configuration.files.keys()],
    servers: routingModel(configuration).servers.map((server) => [at(server.placed), server.listens.map(({ address, port }) => `${address}:${port}`), server.names.map(({ name }) => name), server.mergeSlashes, server.locations.map(location), server.named.map(location)]),
  };
}

test('a configuration derived after an edit equals the configuration read anew, routing included', () => {
  const random = seededRandom(37);
  const path = '/etc/nginx/nginx.conf';
  const snippet = '/etc/nginx/snippets/proxy.conf';
  let derived = 0;
  for (const source of sources.slice(0, 60)) {
    const texts: Record<string, string> = {
      [path]: `events {}\nhttp {\n    merge_slashes off;\n${SITE('a.test')}    server {\n        listen 8080;\n        include snippets/proxy.conf;\n        location = /x { internal; }\n    }\n${source}\n}\n`,
      [snippet]: 'location /s/ { proxy_pass http://app; location ~ ^/s/(?<id>\\d+) { return 204; } }\n',
    };
    const fs = { readFile: (file: string) => texts[file], readDir: (dir: string) => (dir === '/etc/nginx/snippets' ? ['proxy.conf'] : undefined) };
    const workspace = new Workspace(fs);
    workspace.roots = [path];
    for (let i = 0; i < 8; i++) {
      const fresh = new Workspace({ ...fs });
      fresh.roots = [path];
      const shape = configurationShape(workspace, path);
      if (shape.derived) derived++;
      assert.deepStrictEqual({ ...shape, derived: false }, { ...configurationShape(fresh, path), derived: false }, `edit ${i}`);
      const edited = random() < 0.8 ? path : snippet;
      texts[edited] = randomEdit(texts[edited], random);
    }
  }
  // An edit that unbalances braces or touches an include is read anew.
  const edits = Math.min(sources.length, 60) * 8;
  assert.ok(derived > edits / 10, `${derived} of ${edits} derived`);
});

/** Whether a string holding `marker` is alive in this process's heap (a heap snapshot lists every string). */
async function heapHoldsString(marker: string): Promise<boolean> {
  const { getHeapSnapshot } = await import('node:v8');
  let snapshot = '';
  for await (const chunk of getHeapSnapshot()) snapshot += chunk;
  const { strings } = JSON.parse(snapshot) as { strings: string[] };
  return strings.some((value) => value.includes(marker));
}

test('a tree kept over edits holds no earlier text of the file (its words are strings of their own)', async () => {
  // Built at run time: a text written in this file would stay alive as a constant of the code.
  const version = (name: string) =>
    ['http {', `    server { server_name ${name}-text.example.test; }`, '    server { proxy_set_header X-Forwarded-Proto $scheme; }', '}', ''].join('\n');
  const marker = `first-version-of-the-${Date.now()}`;
  const edited = (() => {
    const first = version(marker);
    const second = version('second-version-of-the');
    // The edit re-reads the first server: the second keeps its nodes, read from the first text.
    return reparse(parse(first), first, second);
  })();
  assert.equal(edited.root.children.length, 1);
  assert.equal(await heapHoldsString(`server_name ${marker}`), false);
  // The check itself sees a text that a tree does hold.
  const kept = version(marker);
  const tree = parse(kept);
  assert.equal(await heapHoldsString(`server_name ${marker}`), true);
  assert.ok(tree.root.children.length > 0 && kept.length > 0);
});

test('an analysis cancelled once the configuration was derived leaves nothing stale for the next edit', () => {
  const path = '/etc/nginx/nginx.conf';
  const server = (name: string, extra: string) => `    server {\n        listen 80;\n        server_name ${name};\n        location / { root /srv; }\n${extra}    }\n`;
  let text = `events {}\nhttp {\n${server('a.test', '')}${server('b.test', '')}}\n`;
  const workspace = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
  workspace.roots = [path];
  analyze(workspace.file(path)!, workspace);
  // Server a gets a duplicate and an unreachable location; the analysis of that version stops at the
  // first load check, after the configuration was derived (the third checkpoint).
  text = text.replace('server_name a.test;\n', 'server_name a.test;\n        location = /x { }\n        location = /x { }\n        location ~ ^/ { }\n');
  let checkpoints = 0;
  assert.throws(() => analyze(workspace.file(path)!, workspace, {}, () => ++checkpoints >= 3), AnalysisCancelled);
  // The next edit is in server b: server a's locations must be judged as they now are.
  text = text.replace('server_name b.test;', 'server_name b2.test;');
  const fresh = new Workspace({ readFile: (file) => (file === path ? text : undefined), readDir: () => [] });
  fresh.roots = [path];
  const codes = (findings: Finding[]) => findings.map((finding) => finding.code);
  const expected = analyze(fresh.file(path)!, fresh);
  assert.ok(codes(expected).includes('duplicate-location') && codes(expected).includes('unreachable-location'), codes(expected).join(', '));
  assert.deepStrictEqual(analyze(workspace.file(path)!, workspace), expected);
});
