/**
 * Every read and glob on a budget (issue 17): the disk is read in bounded amounts and never under
 * /proc, /sys or /dev; globs, the include graph's files, bytes and depth are budgeted, and an
 * include-budget Information says what was not followed and why; expansions and the graph are
 * kept until files change; large files are checked by a pass that finds the parser's own errors.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis/analyze';
import { includeGraph, MAX_CONFIGURATION_BYTES } from '../../server/src/analysis/fileContext';
import {
  LARGE_FILE_CHARS, LARGE_FILE_STATEMENTS, MAX_GLOB_ENTRIES, MAX_GLOB_ENTRIES_PER_INCLUDE, MAX_GLOB_MS, MAX_INCLUDE_DEPTH, MAX_INCLUDED_FILES,
  Workspace, type FileSystem,
} from '../../server/src/analysis/workspace';
import { findMainConfigs, MAX_FILE_BYTES, MAX_MAIN_CONFIGS, nodeFileSystem } from '../../server/src/nodeFileSystem';
import { checkSyntax, parse, recheckSyntax } from '../../server/src/parser';
import { SYNTAX_CHECKPOINT_CHARS } from '../../server/src/parser/parser';
import { seededRandom } from '../support/mutants';
import { indexedFs } from '../support/memoryFs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-budgets-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));


/** The include-budget messages of a file's analysis. */
function budgetFindings(workspace: Workspace, filePath: string): string[] {
  return analyze(workspace.file(filePath)!, workspace).filter((f) => f.code === 'include-budget').map((f) => f.message);
}

function workspaceOf(files: Record<string, string>, fs: FileSystem = indexedFs(files)): Workspace {
  const workspace = new Workspace(fs);
  workspace.roots = Object.keys(files).filter((file) => file.endsWith('/nginx.conf'));
  return workspace;
}

// ---------------------------------------------------------------------------------------------
// The disk

test('the disk: regular files and symlinks to them are read; past MAX_FILE_BYTES nothing is', () => {
  const small = path.join(tmp, 'small.conf');
  fs.writeFileSync(small, 'events {}\n');
  fs.symlinkSync(small, path.join(tmp, 'link.conf'));
  assert.equal(nodeFileSystem.readFile(path.join(tmp, 'link.conf')), 'events {}\n');
  assert.equal(nodeFileSystem.fileStatus(small), 'readable');
  const large = path.join(tmp, 'large.conf');
  fs.writeFileSync(large, Buffer.alloc(MAX_FILE_BYTES + 1, 0x61));
  assert.equal(nodeFileSystem.readFile(large), undefined);
  assert.deepEqual(nodeFileSystem.fileStatus(large), { refused: 'it is larger than 16 MB' });
  fs.writeFileSync(large, Buffer.alloc(MAX_FILE_BYTES, 0x61));
  assert.equal(nodeFileSystem.readFile(large)?.length, MAX_FILE_BYTES);
  assert.equal(nodeFileSystem.fileStatus(path.join(tmp, 'none.conf')), 'missing');
  assert.equal(nodeFileSystem.fileStatus(tmp), 'missing', 'a directory is skipped, not refused');
});

test('the disk: /proc, /sys and /dev are never read, even through a symlink; a FIFO is not a regular file', () => {
  fs.symlinkSync('/proc/self/pagemap', path.join(tmp, 'pagemap.conf'));
  for (const [file, tree] of [['/proc/self/pagemap', '/proc'], [path.join(tmp, 'pagemap.conf'), '/proc'], ['/dev/zero', '/dev'], ['/sys/kernel/notes', '/sys']]) {
    assert.equal(nodeFileSystem.readFile(file), undefined, file);
    const status = nodeFileSystem.fileStatus(file);
    if (status !== 'missing') assert.deepEqual(status, { refused: `it is under ${tree}` }, file);
  }
  assert.equal(nodeFileSystem.readDir('/proc/self'), undefined);
  const fifo = path.join(tmp, 'fifo.conf');
  execFileSync('mkfifo', [fifo]);
  assert.deepEqual(nodeFileSystem.fileStatus(fifo), { refused: 'it is not a regular file' });
  // Opening a FIFO without a writer would block a plain read forever.
  assert.equal(nodeFileSystem.readFile(fifo), undefined);
});

test(`main-config discovery keeps the first ${MAX_MAIN_CONFIGS} nginx.conf files of a folder tree`, () => {
  const folder = path.join(tmp, 'many');
  for (let i = 0; i < MAX_MAIN_CONFIGS + 20; i++) {
    fs.mkdirSync(path.join(folder, `site${String(i).padStart(3, '0')}`), { recursive: true });
    fs.writeFileSync(path.join(folder, `site${String(i).padStart(3, '0')}`, 'nginx.conf'), 'events {}\n');
  }
  const found = findMainConfigs(folder);
  assert.equal(found.length, MAX_MAIN_CONFIGS);
  assert.equal(found[0], path.join(folder, 'site000/nginx.conf'));
  assert.equal(found[MAX_MAIN_CONFIGS - 1], path.join(folder, `site${String(MAX_MAIN_CONFIGS - 1).padStart(3, '0')}/nginx.conf`));
});

// ---------------------------------------------------------------------------------------------
// Globs

test('one include\'s glob stops once it has read MAX_GLOB_ENTRIES_PER_INCLUDE directory entries, and says so', () => {
  const files: Record<string, string> = { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include d*/*.conf;\n}\n' };
  // Three directories of 6,000 entries: the third is not read.
  for (const dir of ['d1', 'd2', 'd3']) {
    for (let i = 0; i < 6000; i++) files[`/etc/nginx/${dir}/x${i}`] = '';
    files[`/etc/nginx/${dir}/a.conf`] = 'server { listen 80; }\n';
  }
  const workspace = workspaceOf(files);
  assert.deepEqual(budgetFindings(workspace, '/etc/nginx/nginx.conf'), [
    `"d*/*.conf" is not followed in full: its glob was stopped after ${MAX_GLOB_ENTRIES_PER_INCLUDE} directory entries`,
  ]);
  assert.deepEqual(workspace.resolveInclude('d*/*.conf', '/etc/nginx/nginx.conf'), ['/etc/nginx/d1/a.conf', '/etc/nginx/d2/a.conf']);
});

test('all globs together stop after MAX_GLOB_ENTRIES entries until the files change', () => {
  const perDirectory = MAX_GLOB_ENTRIES_PER_INCLUDE - 10;
  const directories = Math.ceil(MAX_GLOB_ENTRIES / perDirectory) + 1;
  const includes = Array.from({ length: directories }, (_, d) => `  include d${d}/*.conf;\n`).join('');
  const files: Record<string, string> = { '/etc/nginx/nginx.conf': `events {}\nhttp {\n${includes}}\n` };
  for (let d = 0; d < directories; d++) for (let i = 0; i < perDirectory; i++) files[`/etc/nginx/d${d}/x${i}`] = '';
  const workspace = workspaceOf(files);
  const spent = `the globs of the workspace have read their ${MAX_GLOB_ENTRIES} directory entries`;
  assert.deepEqual(budgetFindings(workspace, '/etc/nginx/nginx.conf'), [`"d${directories - 1}/*.conf" is not followed: ${spent}`]);
  // The budget is spent until the files change; then it is whole again.
  assert.match(workspace.expansion('d0b/*.conf', '/etc/nginx/nginx.conf').stopped ?? '', /have read their/);
  workspace.filesChanged();
  assert.equal(workspace.expansion(`d${directories - 1}/*.conf`, '/etc/nginx/nginx.conf').stopped, undefined);
});

test('all globs together stop after MAX_GLOB_MS of listing', () => {
  const SLOW_LISTING_MS = MAX_GLOB_MS / 4;
  const files: Record<string, string> = { '/etc/nginx/nginx.conf': '' };
  const slow: FileSystem = {
    readFile: (filePath) => files[filePath],
    readDir: () => {
      // A listing that takes long (a network file system): time is what is budgeted here.
      const until = performance.now() + SLOW_LISTING_MS;
      while (performance.now() < until);
      return ['a.conf'];
    },
  };
  const workspace = workspaceOf(files, slow);
  const stopped = Array.from({ length: 8 }, (_, i) => workspace.expansion(`d${i}/*`, '/etc/nginx/nginx.conf').stopped);
  // Each listing takes a quarter of the budget at least: the fifth cannot start (a loaded machine may stop an earlier one).
  const expanded = stopped.findIndex((why) => why !== undefined);
  assert.ok(expanded >= 1 && expanded <= 4, `${expanded} expansions before the stop`);
  assert.deepEqual(new Set(stopped.slice(expanded)), new Set([`the globs of the workspace have taken their ${MAX_GLOB_MS} ms`]));
});

test('expansions and the include graph are kept until a text or a file changes', () => {
  const files: Record<string, string> = {
    '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n',
    '/etc/nginx/conf.d/a.conf': 'server { listen 80; }\n',
  };
  const disk = indexedFs(files);
  const workspace = workspaceOf(files, disk);
  const graph = includeGraph(workspace);
  assert.deepEqual([...graph.keys()], ['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/a.conf']);
  const listings = disk.listings;
  assert.equal(includeGraph(workspace), graph, 'the same graph for the next request');
  workspace.resolveInclude('conf.d/*.conf', '/etc/nginx/nginx.conf');
  assert.equal(disk.listings, listings, 'no directory read again');
  // A text that changes (seen when the file is read): the graph is built again, the listing kept.
  files['/etc/nginx/nginx.conf'] = 'events {}\nhttp {\n  include conf.d/*.conf;\n  include b.conf;\n}\n';
  files['/etc/nginx/b.conf'] = 'map $a $b { }\n';
  workspace.file('/etc/nginx/nginx.conf');
  assert.deepEqual([...includeGraph(workspace).keys()], ['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/a.conf', '/etc/nginx/b.conf']);
  assert.equal(disk.listings, listings);
  // A new file: seen once the files are said to have changed.
  files['/etc/nginx/conf.d/c.conf'] = 'server { listen 81; }\n';
  (disk as unknown as { readDir: FileSystem['readDir'] }).readDir = indexedFs(files).readDir;
  assert.equal(includeGraph(workspace).has('/etc/nginx/conf.d/c.conf'), false);
  workspace.filesChanged();
  assert.equal(includeGraph(workspace).has('/etc/nginx/conf.d/c.conf'), true);
});

// ---------------------------------------------------------------------------------------------
// The include graph's budgets

test('the include graph holds at most MAX_CONFIGURATION_BYTES of text', () => {
  const big = 'server { listen 80; }\n'.repeat(Math.ceil(MAX_CONFIGURATION_BYTES / 3 / 22));
  const files: Record<string, string> = {
    '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include big*.conf;\n}\n',
    '/etc/nginx/big1.conf': big,
    '/etc/nginx/big2.conf': big,
    '/etc/nginx/big3.conf': big,
  };
  const workspace = workspaceOf(files);
  assert.deepEqual(budgetFindings(workspace, '/etc/nginx/nginx.conf'), [
    `"big*.conf" is not followed in full: /etc/nginx/big3.conf would take the configuration over ${MAX_CONFIGURATION_BYTES / 1048576} MB`,
  ]);
  assert.deepEqual([...includeGraph(workspace).keys()], ['/etc/nginx/nginx.conf', '/etc/nginx/big1.conf', '/etc/nginx/big2.conf']);
});

test('the include graph holds at most MAX_INCLUDED_FILES files, and MAX_INCLUDE_DEPTH levels', () => {
  const files: Record<string, string> = { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include a/*.conf;\n  include b/*.conf;\n}\n' };
  // Each folder holds more than half the budget: a/ fits, b/ does not in full.
  for (let i = 0; i < MAX_INCLUDED_FILES * 0.6; i++) files[`/etc/nginx/a/${i}.conf`] = files[`/etc/nginx/b/${i}.conf`] = '';
  assert.deepEqual(budgetFindings(workspaceOf(files), '/etc/nginx/nginx.conf'), [
    `"b/*.conf" is not followed in full: the configuration already has ${MAX_INCLUDED_FILES} files`,
  ]);
  const chain: Record<string, string> = { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include c0.conf;\n}\n' };
  for (let i = 0; i < MAX_INCLUDE_DEPTH + 4; i++) chain[`/etc/nginx/c${i}.conf`] = `include c${i + 1}.conf;\n`;
  const workspace = workspaceOf(chain);
  const deepest = `/etc/nginx/c${MAX_INCLUDE_DEPTH - 1}.conf`;
  assert.deepEqual(budgetFindings(workspace, deepest), [`"c${MAX_INCLUDE_DEPTH}.conf" is not followed: it is ${MAX_INCLUDE_DEPTH} includes deep`]);
  assert.deepEqual(budgetFindings(workspace, `/etc/nginx/c${MAX_INCLUDE_DEPTH - 2}.conf`), []);
});

// ---------------------------------------------------------------------------------------------
// Large files

/** Random nginx-ish text: words, braces, quotes, escapes, comments, Lua blocks, line ends. */
function soup(random: () => number, length: number): string {
  const pieces = ['a', 'server', ' ', '\n', ';', '{', '}', '"', "'", '\\', '#', '$', '${x}', 'content_by_lua_block {', '--[[', ']]', '\r\n', 'x'.repeat(300)];
  let text = '';
  while (text.length < length) text += pieces[Math.floor(random() * pieces.length)];
  return text;
}

test('the large-file syntax check finds exactly the parser\'s errors, and stops at its cap', () => {
  const random = seededRandom(42);
  for (let i = 0; i < 3000; i++) {
    const text = soup(random, Math.floor(random() * 400));
    const errors = parse(text).errors;
    assert.deepEqual(checkSyntax(text, Infinity).errors, errors, JSON.stringify(text));
    assert.deepEqual(checkSyntax(text, 2).errors, errors.slice(0, 2), JSON.stringify(text));
  }
});

test('more than LARGE_FILE_STATEMENTS statements: syntax only, said by the large-file Information', () => {
  const files: Record<string, string> = { '/etc/nginx/conf.d/many.conf': 'a;\n'.repeat(LARGE_FILE_STATEMENTS + 1) };
  const workspace = new Workspace(indexedFs(files));
  const findings = analyze(workspace.file('/etc/nginx/conf.d/many.conf')!, workspace);
  assert.deepEqual(findings.map((f) => `${f.code}: ${f.message}`), [
    `large-file: This file has more than ${LARGE_FILE_STATEMENTS} statements: only syntax is checked above that.`,
  ]);
  files['/etc/nginx/conf.d/many.conf'] = 'a;\n'.repeat(LARGE_FILE_STATEMENTS);
  const judged = analyze(workspace.file('/etc/nginx/conf.d/many.conf')!, workspace);
  assert.equal(judged[0].code, 'unknown-directive', 'at the limit, directives are judged');
});

test('a large file has no tree, and its syntax is checked again after an edit', () => {
  const body = 'server { listen 80; }\n'.repeat(Math.ceil(LARGE_FILE_CHARS / 22) + 1);
  const files: Record<string, string> = { '/etc/nginx/conf.d/big.conf': body };
  const workspace = new Workspace(indexedFs(files));
  const file = workspace.file('/etc/nginx/conf.d/big.conf')!;
  assert.deepEqual(file.tree.root.children, []);
  assert.deepEqual(file.tree.errors, []);
  files['/etc/nginx/conf.d/big.conf'] = `}${body}server {`;
  const edited = workspace.file('/etc/nginx/conf.d/big.conf')!;
  assert.deepEqual(edited.tree.errors.map((e) => [e.start, e.message]), [
    [0, 'unexpected "}"'],
    [edited.text.length, 'unexpected end of file, expecting "}"'],
  ]);
  // Back under the limit: a full tree again.
  files['/etc/nginx/conf.d/big.conf'] = 'server { listen 80; }\n';
  assert.equal(workspace.file('/etc/nginx/conf.d/big.conf')!.tree.root.children.length, 1);
});

test('a large file\'s syntax check after an edit reads again around it only, and equals a fresh check', () => {
  const random = seededRandom(7);
  // A few checkpoints' worth of blocks and statements, with some errors, so that edits meet checkpoints.
  const unit = 'http {\n  server { listen 80; location / { return 200 "x"; } }\n}\nevents { worker_connections 10; }\n';
  let text = unit.repeat(Math.ceil((6 * SYNTAX_CHECKPOINT_CHARS) / unit.length));
  let check = checkSyntax(text, Infinity);
  assert.ok(check.checkpoints!.length >= 5, `${check.checkpoints!.length} checkpoints`);
  const pieces = ['}', '{', ';', '"', "'", 'x', ' ', '\n', 'server {', 'location / { return 200; }', '#', '\\', ''];
  for (let step = 0; step < 300; step++) {
    const start = Math.floor(random() * text.length);
    const end = Math.min(text.length, start + Math.floor(random() * 20));
    const inserted = Array.from({ length: Math.floor(random() * 3) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const edited = text.slice(0, start) + inserted + text.slice(end);
    const maxErrors = step % 3 === 0 ? 5 : Infinity;
    const fresh = checkSyntax(edited, maxErrors);
    const again = recheckSyntax(maxErrors === Infinity ? check : checkSyntax(text, maxErrors), text, edited, maxErrors);
    assert.deepEqual(again.errors, fresh.errors, `step ${step}: ${JSON.stringify(inserted)} at ${start}-${end}`);
    if (maxErrors === Infinity) {
      assert.deepEqual(again.checkpoints!.map((c) => c.offset).filter((offset, i, all) => i === 0 || offset > all[i - 1]), again.checkpoints!.map((c) => c.offset), 'checkpoints in order');
      text = edited;
      check = again;
    }
  }
});
