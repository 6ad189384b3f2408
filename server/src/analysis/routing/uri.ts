// The request URI as nginx reads it: the path decoded and normalised by ngx_http_parse_complex_uri()
// (ngx_http_parse.c), the arguments kept apart. Strings here hold bytes, one char per byte (0-255),
// as nginx compares them: a decoded `%C3%A9` is two chars.

/** The normalised path (r->uri) and the arguments (r->args), or the 400 nginx answers. */
export type ParsedUri = { path: string; args: string } | { error: string };

/** The bytes of a text as a string of one char per byte (UTF-8, as a client sends it). */
export function toBytes(text: string): string {
  // ASCII is its own UTF-8: most names and URIs are.
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let bytes = '';
  for (const byte of new TextEncoder().encode(text)) bytes += String.fromCharCode(byte);
  return bytes;
}

const hexValue = (c: string) => (/^[0-9a-f]$/i.test(c) ? parseInt(c, 16) : -1);

type State = 'usual' | 'slash' | 'dot' | 'dotDot';

/**
 * ngx_http_parse_complex_uri() over the request target's path (bytes, from its `/`): `%XX` decoded,
 * `//` merged when `merge_slashes` is on, `.` and `..` segments resolved, a `..` above the root
 * refused. A decoded byte is read again in the state it was found in, so `%2F` is a slash and
 * `%2E%2E` a `..`; a decoded `%`, `#`, `?` is kept as a plain byte, a decoded NUL refused.
 */
export function parseComplexUri(target: string, mergeSlashes: boolean): ParsedUri {
  const invalid = { error: 'Bad Request: invalid URI' };
  let out = '';
  let state: State = 'usual';
  let i = 0;
  // Back to the `/` before the last segment, as `u -= 4` and the loop after it do.
  const dropSegment = (): boolean => {
    let u = out.length - 4;
    while (u >= 0 && out[u] !== '/') u--;
    if (u < 0) return false;
    out = out.slice(0, u + 1);
    return true;
  };
  const end = (args: string): ParsedUri => ({ path: out, args });
  const argsFrom = (at: number) => target.slice(at).split('#')[0];
  while (i < target.length) {
    let ch = target[i++];
    if (ch === '%') {
      const high = hexValue(target[i] ?? '');
      const low = hexValue(target[i + 1] ?? '');
      if (high < 0 || low < 0) return invalid;
      i += 2;
      ch = String.fromCharCode(high * 16 + low);
      if (ch === '\0') return invalid;
      if (ch === '%' || ch === '#' || ch === '?') {
        out += ch;
        state = 'usual';
        continue;
      }
    } else if (ch === '?') {
      if (state === 'dot') out = out.slice(0, -1);
      else if (state === 'dotDot' && !dropSegment()) return invalid;
      return end(argsFrom(i));
    } else if (ch === '#') {
      if (state === 'dot') out = out.slice(0, -1);
      else if (state === 'dotDot' && !dropSegment()) return invalid;
      return end('');
    }
    switch (state) {
      case 'usual':
        if (ch === '/') state = 'slash';
        out += ch;
        break;
      case 'slash':
        if (ch === '/') {
          if (!mergeSlashes) out += ch;
        } else {
          state = ch === '.' ? 'dot' : 'usual';
          out += ch;
        }
        break;
      case 'dot':
        if (ch === '/') {
          state = 'slash';
          out = out.slice(0, -1);
        } else {
          state = ch === '.' ? 'dotDot' : 'usual';
          out += ch;
        }
        break;
      case 'dotDot':
        if (ch === '/') {
          if (!dropSegment()) return invalid;
          state = 'slash';
        } else {
          state = 'usual';
          out += ch;
        }
        break;
    }
  }
  if (state === 'dot') out = out.slice(0, -1);
  else if (state === 'dotDot' && !dropSegment()) return invalid;
  return end('');
}

/** Bytes that ngx_escape_uri(NGX_ESCAPE_URI) writes as `%XX` (ngx_string.c): controls, space, `"#%<>?\^\`{|}`, DEL and above. */
const ESCAPED_IN_URI = /[\x00-\x20"#%<>?\\^`{|}\x7f-\xff]/g;

/** ngx_escape_uri(NGX_ESCAPE_URI) over bytes. */
export function escapeUri(bytes: string): string {
  return bytes.replace(ESCAPED_IN_URI, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Bytes shown as text: UTF-8 where they are, `%XX` for a byte that is not. */
export function showBytes(bytes: string): string {
  const array = Uint8Array.from(bytes, (c) => c.charCodeAt(0));
  const text = new TextDecoder('utf-8', { fatal: false }).decode(array);
  return text.includes('\ufffd') ? bytes.replace(/[\x80-\xff]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : text;
}
