// The extension's face in package.json: the problem matcher reads the real nginx's errors, every
// command the client registers is contributed (and the other way round), the icons, walkthrough
// media and user README exist and are packaged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nginxAvailable, nginxTest } from '../support/nginx';

const repo = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const skip = nginxAvailable() ? false : 'nginx not installed';

test('the $nginx problem matcher finds file, line and message in what nginx -t prints, and only errors', { skip }, () => {
  const [matcher] = manifest.contributes.problemMatchers;
  assert.equal(matcher.name, 'nginx');
  const pattern = new RegExp(matcher.pattern.regexp);
  const cases: Array<Record<string, string>> = [
    { 'nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n', 'conf.d/app.conf': 'server {\n  listen 80;\n  proxy_pas http://a;\n}\n' },
    { 'nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80\n  }\n}\n' },
    { 'nginx.conf': 'events {}\nhttp {\n  gzip maybe;\n}\n' },
  ];
  for (const files of cases) {
    const result = nginxTest(files, 'nginx.conf');
    assert.equal(result.ok, false);
    const matches = result.output.split('\n').map((line) => pattern.exec(line)).filter((match) => match !== null);
    assert.equal(matches.length, 1, result.output);
    const match = matches[0];
    assert.equal(match[matcher.pattern.message], result.message);
    assert.ok(match[matcher.pattern.file].endsWith(`/${result.file}`), match[matcher.pattern.file]);
    assert.equal(Number(match[matcher.pattern.line]), result.line);
  }
  // A warning and the closing verdict are not problems.
  assert.equal(pattern.test('nginx: [warn] the "ssl" directive is deprecated in /etc/nginx/nginx.conf:12'), false);
  assert.equal(pattern.test('nginx: configuration file /etc/nginx/nginx.conf test failed'), false);
  assert.ok(pattern.test('2026/12/01 10:00:00 [emerg] 12#12: unknown directive "x" in /etc/nginx/nginx.conf:3'));
});

test('the commands the client registers are the commands package.json contributes', () => {
  const client = fs.readFileSync(path.join(repo, 'client/src/extension.ts'), 'utf8');
  const registered = [...client.matchAll(/registerCommand\('([^']+)'/g)].map((match) => match[1]).sort();
  assert.deepEqual(manifest.contributes.commands.map((command: { command: string }) => command.command).sort(), registered);
  assert.ok(registered.includes('nginx.testConfiguration'));
});

test('icons, walkthrough media and the user README exist and are packaged; the developer README keeps its first commands', () => {
  const language = manifest.contributes.languages[0];
  const shipped = [manifest.icon, language.icon.light, language.icon.dark,
    ...manifest.contributes.walkthroughs.flatMap((walkthrough: { steps: Array<{ media: { markdown: string } }> }) => walkthrough.steps.map((step) => step.media.markdown)),
    'USER_README.md', 'CHANGELOG.md',
    // The screenshots the user README shows (copied from test-results/e2e/ after `npm run test:e2e`).
    ...[...fs.readFileSync(path.join(repo, 'USER_README.md'), 'utf8').matchAll(/!\[[^\]]*\]\((images\/screenshots\/[^)]+)\)/g)].map((match) => match[1])];
  assert.ok(shipped.filter((file) => file.startsWith('images/screenshots/')).length >= 3, 'the user README shows screenshots');
  const ignore = fs.readFileSync(path.join(repo, '.vscodeignore'), 'utf8').split('\n');
  for (const file of shipped) {
    const relative = file.replace(/^\.\//, '');
    assert.ok(fs.statSync(path.join(repo, relative)).size > 0, relative);
    assert.ok(ignore.some((line) => line.startsWith('!') && path.matchesGlob(relative, line.slice(1))), `${relative} is packaged`);
  }
  assert.equal(fs.readFileSync(path.join(repo, manifest.icon)).subarray(1, 4).toString(), 'PNG', 'the marketplace wants a PNG icon');
  assert.match(manifest.scripts.package, /--readme-path USER_README\.md/);
  const developer = fs.readFileSync(path.join(repo, 'README.md'), 'utf8').split('\n').slice(0, 6).join('\n');
  assert.match(developer, /npm ci && npm run build && node dist\/cli\.js examples/);
  assert.match(developer, /npm test {2,}/);
});
