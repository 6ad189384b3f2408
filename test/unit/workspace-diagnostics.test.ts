import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isNginxFile, onePathPerFile, WorkspaceDiagnostics } from '../../server/src/workspaceDiagnostics';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
const language = manifest.contributes.languages.find((entry: { id: string }) => entry.id === 'nginx');

/** package.json's glob (`**`, `*`) as a regular expression over a path, as the editor reads it. */
const globRegExp = (glob: string) =>
  new RegExp(`^${glob.split('/').map((part) => (part === '**' ? '(?:.*/)?' : `${part.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}/`)).join('').slice(0, -1)}$`);

const samples = [
  '/etc/nginx/nginx.conf', '/etc/nginx/mime.types', '/etc/nginx/proxy_params', '/etc/nginx/fastcgi_params', '/etc/nginx/fastcgi.conf',
  '/etc/nginx/scgi_params', '/etc/nginx/uwsgi_params', '/etc/nginx/modules-enabled/50-mod-http-echo.conf', '/srv/nginx/extra/a.conf',
  '/srv/conf.d/a.conf', '/srv/conf.d/a.txt', '/srv/sites-enabled/app', '/srv/sites-available/default', '/srv/snippets/ssl.conf',
  '/srv/app.nginx', '/srv/app.nginxconf', '/srv/app.conf', '/srv/README.md', '/srv/mime.types.bak', '/srv/modules-enabled/a.load',
];

test('isNginxFile gives the language to the files package.json gives it to, and to no others', () => {
  for (const sample of samples) {
    const name = path.basename(sample);
    const byManifest = language.filenames.includes(name) ||
      language.extensions.some((extension: string) => name.endsWith(extension)) ||
      language.filenamePatterns.some((glob: string) => globRegExp(glob).test(sample));
    assert.equal(isNginxFile(sample), byManifest, sample);
  }
  assert.ok(samples.filter(isNginxFile).length > 10 && samples.some((sample) => !isNginxFile(sample)));
});

test('a file reached through several paths is one, shown under the open path, else the first one met', () => {
  const real = (file: string) => file.replace('/sites-enabled/', '/sites-available/');
  const paths = ['/n/sites-enabled/app', '/n/conf.d/a.conf', '/n/sites-available/app'];
  assert.deepEqual(onePathPerFile(paths, () => false, real), ['/n/sites-enabled/app', '/n/conf.d/a.conf']);
  assert.deepEqual(onePathPerFile(paths, (file) => file === '/n/sites-available/app', real), ['/n/sites-available/app', '/n/conf.d/a.conf']);
});

test('a pass made stale by a newer change stops; the newer one publishes what changed and clears the files that left', async () => {
  const published: Array<[string, number]> = [];
  let files = ['/a', '/b', '/open', '/c'];
  const diagnostics = new WorkspaceDiagnostics<string>({
    files: async () => files,
    isOpen: (file) => file === '/open',
    realPath: (file) => file,
    analyse: async (paths) => new Map(paths.map((file) => [file, [`problem in ${file}`]])),
    publish: (file, list) => published.push([file, list.length]),
  });
  const settled = () => new Promise((resolve) => setTimeout(resolve, 1_000));
  diagnostics.schedule();
  diagnostics.schedule();
  await settled();
  assert.deepEqual(published, [['/a', 1], ['/b', 1], ['/c', 1]]);
  published.length = 0;
  // /a's problems are what the client has: not sent again.
  files = ['/a'];
  diagnostics.schedule();
  await settled();
  assert.deepEqual(published, [['/b', 0], ['/c', 0]]);
  published.length = 0;
  // Opened and closed meanwhile: the server cleared it on close, the next pass sends it again.
  diagnostics.forget('/a');
  diagnostics.schedule();
  await settled();
  assert.deepEqual(published, [['/a', 1]]);
  published.length = 0;
  diagnostics.clear();
  assert.deepEqual(published, [['/a', 0]]);
});
