// Every file name the core handles, and every conversion between editor URIs and those names, in
// one place. A file is named by a string of one of three shapes, told apart by how it starts:
// - a POSIX path:   /etc/nginx/nginx.conf
// - a Windows path: c:\nginx\conf\nginx.conf, \\server\share\nginx.conf (drive letters lower
//   case and `\` separators, as VS Code's fsPath gives them)
// - a URI, for files that are not on a local disk (github.dev's vscode-vfs://, untitled:).
// The shape decides, not the platform the server runs on: a Windows client's file URIs name
// Windows paths even when the server runs elsewhere, so the tests run the Windows cases anywhere.
// Pure string work, no node: modules: the browser build of the server uses it too.

type Shape = 'posix' | 'windows' | 'uri';

const DRIVE_PATH = /^[a-zA-Z]:(?:[\\/]|$)/;
const UNC_PATH = /^[\\/]{2}[^\\/]+[\\/][^\\/]+/;
/** A URI scheme, two characters at least (a single letter and a colon is a drive). */
const URI_PREFIX = /^[a-zA-Z][\w+.-]+:/;

function shapeOf(file: string): Shape {
  if (DRIVE_PATH.test(file) || UNC_PATH.test(file)) return 'windows';
  return URI_PREFIX.test(file) ? 'uri' : 'posix';
}

/**
 * A file name split into its root and its path segments (for walking a glob one directory at a
 * time): `/`, `c:\`, `\\server\share\`, or `scheme://authority/` for a URI.
 */
export function pathSegments(file: string): { root: string; segments: string[] } {
  const shape = shapeOf(file);
  let root: string;
  let rest: string;
  if (shape === 'windows') {
    const unc = UNC_PATH.exec(file);
    root = unc ? `\\\\${unc[0].slice(2).replace('/', '\\')}\\` : `${file.slice(0, 2).toLowerCase()}\\`;
    rest = file.slice(unc ? unc[0].length : 2);
  } else if (shape === 'uri') {
    const authority = /^[a-zA-Z][\w+.-]+:(?:\/\/[^/]*)?/.exec(file)![0];
    root = `${authority}/`;
    rest = file.slice(authority.length);
  } else {
    root = file.startsWith('/') ? '/' : '';
    rest = file;
  }
  return { root, segments: rest.split(shape === 'windows' ? /[\\/]/ : '/').filter(Boolean) };
}

const separatorOf = (file: string) => (shapeOf(file) === 'windows' ? '\\' : '/');

/** The segments after `.` and `..` are applied (`..` never climbs above the root), as path.join normalizes. */
function normalized(segments: readonly string[]): string[] {
  const result: string[] = [];
  for (const segment of segments) {
    if (segment === '..') result.pop();
    else if (segment !== '.') result.push(segment);
  }
  return result;
}

function build(root: string, segments: readonly string[], separator: string): string {
  const joined = root + segments.join(separator);
  return joined === '' ? '.' : joined;
}

/** The directory a file is in (the root for a file at the root). */
export function dirname(file: string): string {
  const { root, segments } = pathSegments(file);
  return build(root, segments.slice(0, -1), separatorOf(file));
}

/** The file's last segment (its name). */
export function basename(file: string): string {
  return pathSegments(file).segments.at(-1) ?? '';
}

/**
 * `relative` below `dir`, `.` and `..` applied. For a Windows directory `relative` may use `/`
 * and `\` alike (nginx for Windows passes both to the system, which takes both).
 */
export function joinPath(dir: string, relative: string): string {
  const { root, segments } = pathSegments(dir);
  const windows = shapeOf(dir) === 'windows';
  const added = relative.split(windows ? /[\\/]/ : '/').filter(Boolean);
  return build(root, normalized([...segments, ...added]), separatorOf(dir));
}

/** A directory's name with one entry name (as a directory listing gives it) added. */
export function childPath(dir: string, name: string): string {
  const { root, segments } = pathSegments(dir);
  return build(root, [...segments, name], separatorOf(dir));
}

/** Whether `file` is `dir` or lies below it. */
export function isInside(file: string, dir: string): boolean {
  const separator = separatorOf(dir);
  return file === dir || file.startsWith(dir.endsWith(separator) ? dir : dir + separator);
}

/**
 * The file a name in a configuration (an include pattern, a main config setting) stands for,
 * relative to `prefix` (the conf root), as ngx_get_full_name() (core/ngx_file.c) resolves it:
 * on POSIX, absolute when it starts with `/`. nginx for Windows (ngx_test_full_name()) takes a
 * name with a drive (`c:...`) or starting with `//` as it is, and a name starting with `/` on the
 * prefix's drive. Undefined for a Windows name nginx opens relative to its working directory
 * (a second character `/`, as in `a/b.conf`), which the workspace does not know.
 */
export function resolvePath(prefix: string, name: string): string | undefined {
  const { root } = pathSegments(prefix);
  if (shapeOf(prefix) !== 'windows') return name.startsWith('/') ? joinPath(root, name) : joinPath(prefix, name);
  // `c:name` is relative to the drive's current directory for Windows: taken from the drive's root here.
  if (/^[a-zA-Z]:/.test(name)) return joinPath(`${name.slice(0, 2).toLowerCase()}\\`, name.slice(2));
  if (UNC_PATH.test(name)) return joinPath(pathSegments(name).root, name.slice(pathSegments(name).root.length));
  if (name[1] === '/') return undefined;
  return name.startsWith('/') ? joinPath(root, name) : joinPath(prefix, name);
}

/** The URI the editor knows a file by: VS Code's form (`file:///c%3A/dir/a%20b.conf`); a URI stays as it is. */
export function fileToUri(file: string): string {
  const shape = shapeOf(file);
  if (shape === 'uri' || !file.startsWith('/') && shape === 'posix') return file;
  const { root, segments } = pathSegments(file);
  const path = segments.map(encodeURIComponent).join('/');
  if (shape === 'posix') return `file:///${path}`;
  if (root.startsWith('\\\\')) {
    const [host, share] = root.slice(2).split('\\');
    return `file://${host.toLowerCase()}/${encodeURIComponent(share)}/${path}`;
  }
  return `file:///${root[0]}%3A/${path}`;
}

/**
 * The file a URI names: a file: URI's path (a Windows one when it has a drive or a host, whatever
 * the platform the server runs on); any other URI is its own name.
 */
export function uriToFile(uri: string): string {
  const file = /^file:\/\/([^/]*)(\/[^?#]*)?/i.exec(uri);
  if (!file) return uri;
  const [, host, encodedPath = '/'] = file;
  let path: string;
  try {
    path = decodeURIComponent(encodedPath);
  } catch {
    return uri; // a malformed escape: no path of a disk, so the URI names the document
  }
  const windowsPath = (root: string, rest: string) => root + rest.split('/').filter(Boolean).join('\\');
  if (host !== '' && host.toLowerCase() !== 'localhost') return windowsPath(`\\\\${host}\\`, path);
  const drive = /^\/([a-zA-Z]):(?:\/|$)/.exec(path);
  return drive ? windowsPath(`${drive[1].toLowerCase()}:\\`, path.slice(3)) : path;
}
