// What glob(3) returns for an include pattern, as nginx calls it (ngx_open_glob() in
// src/os/unix/ngx_files.c: glob(pattern, 0, NULL, ...), in the C locale: bytes, no GLOB_PERIOD, no
// GLOB_ERR), for the patterns this can follow exactly: `*` and `?` only. Paths are byte strings
// (latin1: one character per byte), so that a file name that is not UTF-8 is matched as nginx
// matches it. Used when no confinement is available, to prove that the editor's expansion of an
// include is nginx's; undefined whenever it cannot.

import * as fs from 'node:fs';

/** The most directory entries one expansion reads before it gives up (and proves nothing). */
export const MAX_GLOB_ENTRIES = 10_000;

const WILDCARD = /[*?]/;

/** The byte string's path for fs calls. */
export const bytePath = (byteString: string) => Buffer.from(byteString, 'latin1');

/** `*` and `?` on bytes, a leading `.` only matched by a literal one (glob(3) without GLOB_PERIOD). */
function segmentMatches(segment: string, name: string): boolean {
  if (name.startsWith('.') && !segment.startsWith('.')) return false;
  // Classic two-pointer wildcard match, linear in practice: a mismatch lets the last `*` take one more byte.
  let s = 0;
  let n = 0;
  let star = -1;
  let starName = 0;
  while (n < name.length) {
    if (segment[s] === '*') {
      star = s++;
      starName = n;
    } else if (s < segment.length && (segment[s] === '?' || segment[s] === name[n])) {
      s++;
      n++;
    } else if (star >= 0) {
      s = star + 1;
      n = ++starName;
    } else return false;
  }
  while (segment[s] === '*') s++;
  return s === segment.length;
}

/** A file or folder of that name (a byte string) exists, dangling symlinks excepted. */
export function exists(byteString: string): boolean {
  try {
    fs.statSync(bytePath(byteString));
    return true;
  } catch {
    return false;
  }
}

/**
 * The paths glob(3) returns for an absolute pattern (unsorted), or undefined when this cannot say:
 * a class or an escape (`[`, `\`), a `..` after a wildcard, a segment that could match `.` or `..`
 * (glob(3) returns them), more than MAX_GLOB_ENTRIES entries.
 */
export function libcGlob(pattern: string): string[] | undefined {
  if (/[[\\]/.test(pattern)) return undefined;
  const segments = pattern.split('/').filter(Boolean);
  let current = ['/'];
  let entriesRead = 0;
  let afterWildcard = false;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (!WILDCARD.test(segment)) {
      if (afterWildcard && (segment === '..' || segment === '.')) return undefined;
      current = current.map((dir) => `${dir === '/' ? '' : dir}/${segment}`);
      // glob(3) checks a literal last segment with stat(), which follows symbolic links.
      if (last) current = current.filter(exists);
      continue;
    }
    if (segmentMatches(segment, '.') || segmentMatches(segment, '..')) return undefined;
    afterWildcard = true;
    const next: string[] = [];
    for (const dir of current) {
      let names: string[];
      try {
        // Directories that cannot be read match nothing (no GLOB_ERR).
        names = fs.readdirSync(bytePath(dir), { encoding: 'buffer' }).map((name) => name.toString('latin1'));
      } catch {
        continue;
      }
      entriesRead += names.length;
      if (entriesRead > MAX_GLOB_ENTRIES) return undefined;
      for (const name of names) if (segmentMatches(segment, name)) next.push(`${dir === '/' ? '' : dir}/${name}`);
    }
    current = next;
  }
  return current;
}
