// Where VS Code runs the extension, as the manifest says: next to the files (the remote host over
// SSH, WSL, a container), and in VS Code for the Web's worker, whose host picks only a `web` kind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const shipped = fs.readFileSync(path.join(repo, '.vscodeignore'), 'utf8').split('\n').filter((line) => line.startsWith('!')).map((line) => line.slice(1));
/** A manifest entry (`./dist/x.js`) as the path of the bundle esbuild.mjs writes and .vscodeignore ships. */
const bundle = (entry: string) => entry.replace(/^\.\//, '');

// vsce accepts only `ui` and `workspace`; the web worker host takes the `browser` entry.
test('the extension runs where the files are (workspace), and has a browser entry for the web', () => {
  assert.deepEqual(manifest.extensionKind, ['workspace']);
});

test('both entries are bundles the VSIX ships, each with its server', () => {
  assert.equal(manifest.main, './dist/extension.js');
  assert.equal(manifest.browser, './dist/browser/extension.js');
  for (const file of [manifest.main, manifest.browser, './dist/server.js', './dist/analysisWorker.js', './dist/browser/server.js']) assert.ok(shipped.includes(bundle(file)), file);
  // npm test builds first: the build writes every one of them.
  for (const file of [manifest.main, manifest.browser, './dist/server.js', './dist/analysisWorker.js', './dist/browser/server.js']) assert.ok(fs.existsSync(path.join(repo, bundle(file))), file);
});
