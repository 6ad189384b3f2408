// The one module of file names and URIs, checked against Node's own conversions for Windows and
// POSIX (`{ windows: true }` gives the Windows ones on any platform) and against nginx's rules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { basename, dirname, fileToUri, isInside, joinPath, resolvePath, uriToFile } from '../../server/src/analysis/paths';

// As VS Code sends them: lower-case drive, `:` encoded.
const windowsUris = [
  'file:///c%3A/srv/nginx/nginx.conf',
  'file:///c%3A/Program%20Files/nginx/conf/sites%20enabled/app%231.conf',
  'file:///d%3A/',
  'file://fileserver/configs/nginx/nginx.conf',
];

test('Windows file URIs name the paths Node gives for Windows, and back to the same URI', () => {
  for (const uri of windowsUris) {
    const file = uriToFile(uri);
    assert.equal(file, fileURLToPath(uri, { windows: true }), uri);
    assert.equal(fileToUri(file), uri);
    // What Node makes of the path is the same file.
    assert.equal(uriToFile(pathToFileURL(file, { windows: true }).href), file);
  }
});

test('a Windows path in any spelling becomes one name: drive in lower case, `\\` separators', () => {
  assert.equal(uriToFile('file:///C:/srv/nginx/nginx.conf'), 'c:\\srv\\nginx\\nginx.conf');
  assert.equal(fileToUri('C:\\srv\\nginx\\nginx.conf'), 'file:///c%3A/srv/nginx/nginx.conf');
  assert.equal(fileToUri('C:/srv/nginx/nginx.conf'), 'file:///c%3A/srv/nginx/nginx.conf');
});

test('POSIX file URIs name the paths Node gives for POSIX', () => {
  for (const file of ['/etc/nginx/nginx.conf', '/srv/my sites/a#b.conf', '/srv/caf\u00e9/x.conf', '/']) {
    const uri = fileToUri(file);
    assert.equal(fileURLToPath(uri, { windows: false }), file);
    assert.equal(uriToFile(uri), file);
    assert.equal(uriToFile(pathToFileURL(file, { windows: false }).href), file);
  }
});

test('other URIs are their own names, and stay URIs on the way out', () => {
  // A file: URI with a malformed escape names no path: it stays the document's URI.
  for (const uri of ['untitled:Untitled-1', 'vscode-vfs://github/owner/repo/nginx.conf', 'file:///srv/50%zz.conf']) {
    assert.equal(uriToFile(uri), uri);
    assert.equal(fileToUri(uri), uri);
  }
});

test('dirname, basename, joinPath and isInside for each shape of name', () => {
  assert.equal(dirname('/etc/nginx/nginx.conf'), '/etc/nginx');
  assert.equal(dirname('/nginx.conf'), '/');
  assert.equal(dirname('c:\\srv\\nginx\\nginx.conf'), 'c:\\srv\\nginx');
  assert.equal(dirname('c:\\nginx.conf'), 'c:\\');
  assert.equal(dirname('\\\\server\\share\\nginx.conf'), '\\\\server\\share\\');
  assert.equal(dirname('vscode-vfs://github/o/r/conf/nginx.conf'), 'vscode-vfs://github/o/r/conf');
  assert.equal(basename('c:\\srv\\nginx\\mime.types'), 'mime.types');
  assert.equal(joinPath('c:\\srv\\nginx', 'conf.d/a.conf'), 'c:\\srv\\nginx\\conf.d\\a.conf');
  assert.equal(joinPath('c:\\srv\\nginx', 'conf.d\\..\\snippets\\ws.conf'), 'c:\\srv\\nginx\\snippets\\ws.conf');
  assert.equal(joinPath('c:\\', '..\\..\\a.conf'), 'c:\\a.conf');
  assert.equal(joinPath('/etc/nginx', './sites/../a.conf'), '/etc/nginx/a.conf');
  // `\` is a character of a POSIX file name, as nginx on Linux reads it.
  assert.equal(joinPath('/etc/nginx', 'a\\b.conf'), '/etc/nginx/a\\b.conf');
  assert.equal(joinPath('vscode-vfs://github/o/r', 'sites/a.conf'), 'vscode-vfs://github/o/r/sites/a.conf');
  assert.ok(isInside('c:\\srv\\nginx\\conf.d\\a.conf', 'c:\\srv\\nginx'));
  assert.ok(!isInside('c:\\srv\\nginx2\\a.conf', 'c:\\srv\\nginx'));
  assert.ok(isInside('c:\\a.conf', 'c:\\'));
  assert.ok(!isInside('/etc/nginx2/a.conf', '/etc/nginx'));
});

test('names in a configuration resolve as ngx_get_full_name() resolves them', () => {
  // POSIX: absolute when it starts with `/`.
  assert.equal(resolvePath('/etc/nginx', 'sites/*.conf'), '/etc/nginx/sites/*.conf');
  assert.equal(resolvePath('/etc/nginx', '/usr/share/nginx/x.conf'), '/usr/share/nginx/x.conf');
  // Windows (ngx_test_full_name, NGX_WIN32): a drive is absolute, `//` is absolute, `/x` is on the prefix's drive.
  const prefix = 'c:\\nginx\\conf';
  assert.equal(resolvePath(prefix, 'sites\\*.conf'), 'c:\\nginx\\conf\\sites\\*.conf');
  assert.equal(resolvePath(prefix, 'D:/shared/ws.conf'), 'd:\\shared\\ws.conf');
  assert.equal(resolvePath(prefix, '/etc/nginx/x.conf'), 'c:\\etc\\nginx\\x.conf');
  assert.equal(resolvePath(prefix, '//fileserver/configs/x.conf'), '\\\\fileserver\\configs\\x.conf');
  // A second character `/`: nginx opens it from its working directory, which we do not know.
  assert.equal(resolvePath(prefix, 'a/b.conf'), undefined);
  assert.equal(resolvePath('\\\\server\\share\\nginx', 'conf.d/a.conf'), '\\\\server\\share\\nginx\\conf.d\\a.conf');
  // A URI: `/` is the root of its authority.
  assert.equal(resolvePath('vscode-vfs://github/o/r/etc', '/x.conf'), 'vscode-vfs://github/x.conf');
});
