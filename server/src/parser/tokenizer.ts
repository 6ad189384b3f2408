// A tokenizer that follows nginx's own lexical rules, ngx_conf_read_token() in
// src/core/ngx_conf_file.c (nginx 1.22):
// - words are separated by space, tab, CR and LF; `;` and `{` end a word, `}` only starts one;
// - `#` starts a comment only where a word could start (`a#b` is one word);
// - "double" and 'single' quotes; a backslash escapes the next character everywhere;
// - `${` inside a word does not open a block (`${var}`), nor does any `{` right after it (`${{`);
// - after a closing quote only whitespace, `;`, `{` or `)` may follow ("unexpected "x"" otherwise),
//   and a `)` there starts the next word;
// - a token is "too long" when nginx's buffer of NGX_CONF_BUFFER (4096) bytes cannot hold it with
//   the bytes nginx reads before it moves on (tooLong());
// - a UTF-8 byte order mark is read as part of the first word, as nginx does not skip it.
// It never throws: problems are returned as error tokens and tokenizing goes on.

import type { Span, Word } from './ast';

export type Token =
  | { type: 'word'; word: Word }
  | { type: ';' | '{' | '}'; start: number; end: number }
  | { type: 'comment'; start: number; end: number; text: string }
  | { type: 'error'; start: number; end: number; message: string; openedAt?: Span }
  | { type: 'eof'; start: number; end: number };

/** NGX_CONF_BUFFER in ngx_conf_file.c: the longest token nginx can read. */
const NGX_CONF_BUFFER = 4096;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

const BACKSLASH = 0x5c;
const escapes: Record<string, string> = { t: '\t', r: '\r', n: '\n', '"': '"', "'": "'", '\\': '\\' };

/** Resolves backslash escapes the way ngx_conf_read_token() copies a word. */
function unescape(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    const replacement = c === '\\' ? escapes[raw[i + 1]] : undefined;
    if (replacement !== undefined) {
      out += replacement;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * A copy of a string cut from a text, that holds no reference to that text. V8 cuts a string of 13
 * characters or more as a view into the text it comes from: a tree kept over edits (reparse() keeps
 * every node outside the edited block) would keep each earlier text of the file alive, 4 MB a
 * version for a large file. A string read back from JSON is always a string of its own.
 */
export function detached(value: string): string {
  return value.length < 13 ? value : JSON.parse(JSON.stringify(value));
}

/**
 * UTF-8 length of one UTF-16 code unit (a surrogate pair counts 2 + 2). U+FFFD counts 1: it stands
 * for a byte that is not UTF-8 (a Latin-1 `é`), which nginx reads as one byte.
 */
function utf8Length(code: number): number {
  if (code < 0x80 || code === 0xfffd) return 1;
  if (code < 0x800 || (code >= 0xd800 && code <= 0xdfff)) return 2;
  return 3;
}

/** The UTF-8 bytes of text[start, end), counted up to `limit`. */
function bytesBetween(text: string, start: number, end: number, limit: number): number {
  let bytes = 0;
  for (let i = start; i < end && bytes < limit; i++) bytes += utf8Length(text.charCodeAt(i));
  return bytes;
}

/** nginx's words for a token that is too long: its first 10 bytes (whole characters here). */
function tooLongMessage(text: string, start: number): string {
  let end = start;
  let bytes = 0;
  while (end < text.length && bytes + utf8Length(text.charCodeAt(end)) <= 10) bytes += utf8Length(text.charCodeAt(end++));
  return `too long parameter "${text.slice(start, end)}..." started`;
}

export class Tokenizer {
  private pos: number;
  /** Set after a closing quote: the next character must be a separator. */
  private needSpace = false;
  /** A word to return after the error that it is too long: the statement keeps its words. */
  private pending: Token | undefined;
  /**
   * Each distinct word value once, for a tree: a configuration repeats its directive names and
   * values thousands of times, and a tree of 128k lines kept a string for each. A syntax check
   * keeps no words, and shares none (a large file has too many distinct ones to keep a map of).
   */
  private readonly values: Map<string, string> | undefined;

  /**
   * `start`: where to begin reading, 0 for a whole file; elsewhere a token must start there.
   * `forTree`: the words are kept in a tree (their values are shared and cut loose from the text).
   */
  constructor(private readonly text: string, start = 0, forTree = false) {
    this.values = forTree ? new Map() : undefined;
    this.pos = start;
  }

  /**
   * Whether nginx finds a token too long: ngx_conf_read_token() keeps the token from `start` in its
   * buffer of NGX_CONF_BUFFER bytes and refuses it when the buffer is full of it and more must be
   * read (`len == NGX_CONF_BUFFER`, checked before each refill). `next` is the first byte read with
   * the token's start still in place: the terminator of a word, the byte after a word's blank, after
   * a closing quote and its blank, the LF that ends a comment. At the end of the file nothing is
   * refilled: a token that ends there with exactly the buffer's bytes is read.
   */
  private tooLong(start: number, next: number): boolean {
    const text = this.text;
    // Fewer than NGX_CONF_BUFFER bytes for certain: a UTF-16 unit is at most 3 bytes.
    if ((next - start) * 3 < NGX_CONF_BUFFER) return false;
    const end = Math.min(next, text.length);
    const needed = next < text.length ? NGX_CONF_BUFFER : NGX_CONF_BUFFER + 1;
    return bytesBetween(text, start, end, needed) >= needed;
  }

  /** The byte after a word's end that nginx reads with the word's start in place (a blank's next byte). */
  private nextRead(end: number): number {
    return end < this.text.length && isSpace(this.text.charCodeAt(end)) ? end + 1 : end;
  }

  get offset(): number {
    return this.pos;
  }

  next(): Token {
    const text = this.text;
    if (this.pending) {
      const pending = this.pending;
      this.pending = undefined;
      return pending;
    }
    if (this.needSpace) {
      this.needSpace = false;
      const c = text.charCodeAt(this.pos);
      if (this.pos < text.length && !isSpace(c) && c !== 0x3b && c !== 0x7b && c !== 0x29) {
        const start = this.pos;
        // Report the character, then read on as if a word started here.
        return { type: 'error', start, end: start + 1, message: `unexpected "${text[start]}"` };
      }
      // `)` after a quote ends the word as a space would and starts a word of its own, as in
      // `if ($a = "b")`: ngx_conf_read_token() sets last_space and reads on without skipping it.
    }
    while (this.pos < text.length && isSpace(text.charCodeAt(this.pos))) this.pos++;
    const start = this.pos;
    if (start >= text.length) return { type: 'eof', start, end: start };
    const ch = text[start];
    switch (ch) {
      case ';':
      case '{':
      case '}':
        this.pos++;
        return { type: ch, start, end: start + 1 };
      case '#': {
        const lineEnd = text.indexOf('\n', start);
        let end = lineEnd < 0 ? text.length : lineEnd;
        // A comment is a token to the buffer: nginx reads it up to its LF with its start in place.
        if (this.tooLong(start, end)) {
          this.pos = end;
          return { type: 'error', start, end, message: tooLongMessage(text, start) };
        }
        if (text.charCodeAt(end - 1) === 0x0d) end--;
        this.pos = end;
        return { type: 'comment', start, end, text: this.kept(text.slice(start + 1, end)) };
      }
      case '"':
      case "'":
        return this.quoted(ch);
      default:
        return this.bare();
    }
  }

  private quoted(quote: '"' | "'"): Token {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    while (i < text.length && text[i] !== quote) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
    i = Math.min(i, text.length);
    // The token starts after the quote; still inside the quotes when the buffer is full of it.
    if (this.tooLong(start + 1, i)) {
      // Read on from the next line: the quote was most likely never closed.
      const eol = text.indexOf('\n', start);
      this.pos = eol < 0 ? text.length : eol;
      return {
        type: 'error', start, end: start + 1, openedAt: { start, end: start + 1 },
        message: `too long parameter, probably missing terminating "${quote}" character`,
      };
    }
    if (i >= text.length) {
      this.pos = text.length;
      return {
        type: 'error', start: text.length, end: text.length, openedAt: { start, end: start + 1 },
        message: 'unexpected end of file, expecting ";" or "}"',
      };
    }
    this.pos = i + 1;
    this.needSpace = true;
    const word: Token = { type: 'word', word: { start, end: i + 1, value: this.value(text.slice(start + 1, i)), quote } };
    return this.tooLong(start + 1, this.nextRead(i + 1)) ? this.tooLongFirst(start + 1, word) : word;
  }

  /** The error that a word is too long, the word itself next. */
  private tooLongFirst(start: number, word: Token & { type: 'word' }): Token {
    this.pending = word;
    return { type: 'error', start: word.word.start, end: word.word.end, message: tooLongMessage(this.text, start) };
  }

  private bare(): Token {
    const text = this.text;
    const start = this.pos;
    let i = start;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) {
        i += 2;
      } else if (c === 0x24 /* $ */) {
        // `${name}`: a `{` right after `$` does not start a block, nor do the ones after it
        // (ngx_conf_read_token(): `if (ch == '{' && variable) continue;` keeps `variable` set).
        i++;
        while (text.charCodeAt(i) === 0x7b /* { */) i++;
      } else if (isSpace(c) || c === 0x3b /* ; */ || c === 0x7b /* { */) {
        break;
      } else {
        i++;
      }
    }
    i = Math.min(i, text.length);
    this.pos = i;
    const word: Token = { type: 'word', word: { start, end: i, value: this.value(text.slice(start, i)) } };
    return this.tooLong(start, this.nextRead(i)) ? this.tooLongFirst(start, word) : word;
  }

  /** The value of a word written as `raw`: escapes resolved, one string per distinct value. */
  private value(raw: string): string {
    if (!this.values) return unescape(raw);
    let value = this.values.get(raw);
    if (value === undefined) this.values.set(raw, (value = detached(unescape(raw))));
    return value;
  }

  /** A string cut from the text, copied out of it when a tree keeps it (a syntax check or the formatter keeps none). */
  private kept(cut: string): string {
    return this.values ? detached(cut) : cut;
  }

  /**
   * Reads the body of a `*_by_lua_block {`, with Lua's lexical rules (strings, long brackets,
   * comments), up to the matching `}` - as ngx_http_lua_conf_read_lua_token() does.
   * Returns the body span (without the braces) and whether the closing brace was found.
   */
  readLuaBody(): { body: Span; closed: boolean } {
    const text = this.text;
    const start = this.pos;
    let depth = 1;
    let i = start;
    while (i < text.length) {
      const c = text[i];
      if (c === '-' && text[i + 1] === '-') {
        const long = this.longBracketEnd(i + 2);
        if (long !== undefined) {
          i = long;
        } else {
          const eol = text.indexOf('\n', i);
          i = eol < 0 ? text.length : eol;
        }
      } else if (c === '[') {
        i = this.longBracketEnd(i) ?? i + 1;
      } else if (c === '"' || c === "'") {
        i++;
        while (i < text.length && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
        i++;
      } else if (c === '{') {
        depth++;
        i++;
      } else if (c === '}') {
        depth--;
        if (depth === 0) {
          this.pos = i + 1;
          return { body: { start, end: i }, closed: true };
        }
        i++;
      } else {
        i++;
      }
    }
    this.pos = text.length;
    return { body: { start, end: text.length }, closed: false };
  }

  /** For `[[`, `[==[` at i: the offset after the matching `]]`/`]==]`; undefined if not a long bracket. */
  private longBracketEnd(i: number): number | undefined {
    const text = this.text;
    if (text[i] !== '[') return undefined;
    let j = i + 1;
    while (text[j] === '=') j++;
    if (text[j] !== '[') return undefined;
    const close = ']' + '='.repeat(j - i - 1) + ']';
    const end = text.indexOf(close, j + 1);
    return end < 0 ? text.length : end + close.length;
  }
}
