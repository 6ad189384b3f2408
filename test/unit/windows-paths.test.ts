// The core as it runs on Windows: files named by the paths VS Code gives there (drive letter,
// `\`), from the URIs a Windows VS Code sends, converted as Node converts them for Windows.
// Includes written with `/` or `\`, as nginx for Windows takes both.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fileToUri, uriToFile } from '../../server/src/analysis/paths';
import { checkWithNginx, mainConfigFor, NOT_POSIX_PATH } from '../../server/src/nginxCheck';
import { findMainConfigs, type DirectoryEntry } from '../../server/src/analysis/mainConfigs';
import { nearestMainConfig } from '../../server/src/analysis/workspace';
import { LanguageService } from '../../server/src/features/service';
import { memoryFs } from '../support/memoryFs';
import { serviceWithCursor } from '../support/service';

/** The Windows path of a file under the conf root, from the URI a Windows VS Code sends for it. */
const win = (relative: string) => {
  const uri = `file:///c%3A/srv/nginx/${relative}`;
  const file = uriToFile(uri);
  assert.equal(file, fileURLToPath(uri, { windows: true }));
  return file;
};

const MAIN = win('nginx.conf');
const SITE_A = win('sites-enabled/a.conf');
const SITE_B = win('sites-enabled/b.conf');
const SNIPPET = win('snippets/ws.conf');

const files: Record<string, string> = {
  [MAIN]:
    'events {}\nhttp {\n  map $http_upgrade $connection_upgrade {\n    default upgrade;\n  }\n  upstream app {\n    server 127.0.0.1:3000;\n  }\n  include sites-enabled\\*.conf;\n}\n',
  [SITE_A]:
    'server {\n  location /ws/ {\n    proxy_pass http://app;\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n  }\n  include snippets/ws.conf;\n}\n',
  [SITE_B]: 'server {\n  location /b/ {\n    proxy_pass http://app/b/;\n  }\n}\n',
  [SNIPPET]: 'location /chat/ { proxy_pass http://app; }\n',
};

function cursorOn(file: string, marker: string, at = 1) {
  const text = files[file];
  const index = text.indexOf(marker) + at;
  return serviceWithCursor({ ...files, [file]: text.slice(0, index) + '|' + text.slice(index) }, file);
}

test('includes resolve against the conf root with `\\` and `/`, to Windows paths', () => {
  const service = new LanguageService(memoryFs(files));
  service.setRoots([MAIN]);
  assert.deepEqual(service.workspace.resolveInclude('sites-enabled\\*.conf', MAIN), [SITE_A, SITE_B]);
  // Relative to the conf root (the main config's folder), not to the including file's.
  assert.deepEqual(service.workspace.resolveInclude('snippets/ws.conf', SITE_A), [SNIPPET]);
  assert.deepEqual(service.workspace.resolveInclude('C:\\srv\\nginx\\snippets\\ws.conf', SITE_A), [SNIPPET]);
  assert.deepEqual(service.workspace.resolveInclude('/srv/nginx/snippets/ws.conf', SITE_A), [SNIPPET]);
  // A checkout of a Linux server's /etc/nginx on Windows: looked up under the conf root too.
  assert.deepEqual(service.workspace.resolveInclude('/etc/nginx/snippets/ws.conf', SITE_A), [SNIPPET]);
});

test('main-config discovery walks a Windows folder and names what it finds by Windows paths', () => {
  const tree: Record<string, DirectoryEntry[]> = {
    'c:\\srv': [{ name: 'nginx', kind: 'directory' }, { name: 'node_modules', kind: 'directory' }, { name: 'other', kind: 'directory' }],
    'c:\\srv\\nginx': [{ name: 'sites-enabled', kind: 'directory' }, { name: 'nginx.conf', kind: 'file' }],
    'c:\\srv\\nginx\\sites-enabled': [{ name: 'a.conf', kind: 'file' }],
    'c:\\srv\\node_modules': [{ name: 'nginx.conf', kind: 'file' }],
    'c:\\srv\\other': [{ name: 'nginx.conf', kind: 'directory' }],
  };
  // A directory named nginx.conf is walked, not taken; node_modules is skipped.
  const listed: string[] = [];
  const found = findMainConfigs(uriToFile('file:///c%3A/srv'), (dir) => (listed.push(dir), tree[dir]));
  assert.deepEqual(found, [MAIN]);
  assert.deepEqual(listed.sort(), ['c:\\srv', 'c:\\srv\\nginx', 'c:\\srv\\nginx\\sites-enabled', 'c:\\srv\\other', 'c:\\srv\\other\\nginx.conf']);
});

test('the main config found for an included file is the nearest nginx.conf above it', () => {
  const outer = 'c:\\srv\\nginx.conf';
  assert.equal(nearestMainConfig(SITE_A, [outer, MAIN]), MAIN);
  assert.equal(nearestMainConfig('c:\\srv\\nginx2\\a.conf', [MAIN]), undefined);
  assert.equal(nearestMainConfig('d:\\srv\\nginx\\a.conf', [MAIN]), undefined);
});

test('an included site is judged in its include context: the map and upstream of nginx.conf count', () => {
  const service = new LanguageService(memoryFs(files));
  service.setRoots([MAIN]);
  const codes = service.diagnose(SITE_A).map((finding) => `${finding.code}@${finding.file}`);
  assert.ok(codes.includes(`ws-missing-connection@${SITE_A}`), codes.join('\n'));
  assert.ok(!codes.some((code) => code.startsWith('unknown-variable') || code.startsWith('include-not-found')), codes.join('\n'));
});

test('quick-fix edits name the Windows path of the file they change', () => {
  const service = new LanguageService(memoryFs(files));
  service.setRoots([MAIN]);
  const text = files[SITE_A];
  const location = { start: text.indexOf('location /ws/'), end: text.indexOf('location /ws/') + 1 };
  const fixes = service.quickFixes(SITE_A, location);
  assert.ok(fixes.length > 0);
  // The site itself, or the main config where a fix adds an http-level map.
  for (const { fix } of fixes) for (const edit of fix.edits) assert.ok([SITE_A, MAIN].includes(edit.file), `${fix.title}: ${edit.file}`);
  assert.ok(fixes.some(({ fix }) => fix.edits.some((edit) => edit.file === SITE_A)));
});

test('definition, references and rename across Windows files', () => {
  const { service, offset } = cursorOn(SITE_B, 'http://app', 8);
  assert.deepEqual(service.definition(SITE_B, offset).map((location) => location.file), [MAIN]);
  const upstream = cursorOn(MAIN, 'upstream app', 10);
  const references = upstream.service.references(MAIN, upstream.offset, true).map((location) => location.file);
  assert.deepEqual([...new Set(references)].sort(), [MAIN, SITE_A, SITE_B, SNIPPET].sort());
  const renamed = upstream.service.rename(MAIN, upstream.offset, 'backend');
  assert.ok('edits' in renamed);
  assert.deepEqual([...new Set(renamed.edits.map((edit) => edit.file))].sort(), [MAIN, SITE_A, SITE_B, SNIPPET].sort());
});

test('include definitions and document links lead to the Windows paths', () => {
  const { service, offset } = cursorOn(MAIN, 'sites-enabled\\*.conf', 2);
  assert.deepEqual(service.definition(MAIN, offset).map((location) => location.file), [SITE_A, SITE_B]);
  assert.deepEqual(new LanguageService(memoryFs(files)).documentLinks(SITE_A).map((link) => link.target), []);
  const rooted = new LanguageService(memoryFs(files));
  rooted.setRoots([MAIN]);
  assert.deepEqual(rooted.documentLinks(SITE_A).map((link) => link.target), [SNIPPET]);
});

test('nginx -t on save: a Windows main config is named, and refused at its own URI rather than run', async () => {
  // Not on this disk: not inside the folder (its real path cannot be told), as for any file outside.
  assert.equal(mainConfigFor(SITE_A, [MAIN], ['c:\\srv\\nginx']), undefined);
  const result = await checkWithNginx({ nginxPath: '/usr/sbin/nginx', mainConfig: MAIN });
  assert.deepEqual(result.problems, [{ file: MAIN, line: 0, message: NOT_POSIX_PATH }]);
  assert.equal(fileToUri(result.problems[0].file), 'file:///c%3A/srv/nginx/nginx.conf');
});
