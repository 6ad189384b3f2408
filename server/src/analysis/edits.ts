// Text edits that insert configuration lines the way a person would: on their own lines, with the
// indentation of the block they go into and the file's line ending. "Line" is a line as the editor
// (LSP) counts it: it ends at `\n`, `\r\n` or a lone `\r` (LineIndex).

import type { Directive, Span } from '../parser';
import type { TextEdit } from './types';
import type { ConfigFile } from './workspace';

const DEFAULT_INDENT_UNIT = '    ';

/**
 * The line break of new lines: CRLF when the file's first LF has a CR before it, else LF. Never a
 * lone CR, even in a file of lone CRs: nginx ends a comment at LF only (ngx_conf_read_token), so a
 * line after a comment and a lone CR would be part of the comment for nginx.
 */
export function eolOf(file: ConfigFile): string {
  let eol = eols.get(file);
  if (eol === undefined) {
    const firstLf = file.text.indexOf('\n');
    eol = firstLf > 0 && file.text[firstLf - 1] === '\r' ? '\r\n' : '\n';
    eols.set(file, eol);
  }
  return eol;
}

const eols = new WeakMap<ConfigFile, string>();

/** The whitespace before the first character of the line holding `offset`. */
export function indentAt(file: ConfigFile, offset: number): string {
  // From the line index, not a scan back: cheap even on a megabyte-long line.
  const lineStart = file.lines.lineSpan(file.lines.positionAt(offset).line).start;
  let end = lineStart;
  while (end < offset && (file.text[end] === ' ' || file.text[end] === '\t')) end++;
  return file.text.slice(lineStart, end);
}

/** True when only whitespace precedes `offset` on its line. */
export function startsLine(file: ConfigFile, offset: number): boolean {
  // Scans back only to the first non-blank character: cheap even on a megabyte-long line.
  for (let i = offset - 1; i >= 0 && file.text[i] !== '\n' && file.text[i] !== '\r'; i--) {
    if (file.text[i] !== ' ' && file.text[i] !== '\t') return false;
  }
  return true;
}

/**
 * The file's indentation step: how much deeper the first line after a `{` is indented (not fooled by
 * aligned continuation lines), else the first indented line's leading whitespace, else four spaces.
 */
export function indentUnit(file: ConfigFile): string {
  let unit = indentUnits.get(file);
  if (unit === undefined) {
    unit = measureIndentUnit(file.text);
    indentUnits.set(file, unit);
  }
  return unit;
}

const indentUnits = new WeakMap<ConfigFile, string>();

/**
 * One pass over the lines, read one at a time (no regular expression that could backtrack over a
 * long line): the answer is usually in the first lines, and a 4 MB file is not split for it.
 */
function measureIndentUnit(text: string): string {
  const LINE_BREAK = /\r\n?|\n/g;
  let at = 0;
  /** The next line, or undefined past the last one (as text.split() would give them). */
  const nextLine = (): string | undefined => {
    if (at > text.length) return undefined;
    LINE_BREAK.lastIndex = at;
    const lineBreak = LINE_BREAK.exec(text);
    const line = text.slice(at, lineBreak ? lineBreak.index : text.length);
    at = lineBreak ? LINE_BREAK.lastIndex : text.length + 1;
    return line;
  };
  const leading = (line: string) => line.slice(0, line.length - line.trimStart().length);
  let firstIndented: string | undefined;
  let line = nextLine();
  while (line !== undefined) {
    let next = nextLine();
    if (line.trim() === '') {
      line = next;
      continue;
    }
    const indent = leading(line);
    if (indent && firstIndented === undefined) firstIndented = indent;
    const code = line.split('#')[0].trimEnd();
    if (code.endsWith('{')) {
      while (next !== undefined && next.trim() === '') next = nextLine();
      const nextIndent = next !== undefined ? leading(next) : '';
      if (nextIndent.startsWith(indent) && nextIndent.length > indent.length) return nextIndent.slice(indent.length);
    }
    line = next;
  }
  return firstIndented ?? DEFAULT_INDENT_UNIT;
}

/** The end of the line holding `offset` (before its line break). */
export function lineEnd(file: ConfigFile, offset: number): number {
  // From the line index, not a scan forward: cheap even on a megabyte-long line.
  return file.lines.lineSpan(file.lines.positionAt(offset).line).end;
}

/**
 * The end of a comment that starts at `hash`, as nginx reads it: up to the LF (before a CRLF's CR),
 * past any lone CR (ngx_conf_read_token ends a comment at LF only).
 */
function commentEnd(text: string, hash: number): number {
  const lf = text.indexOf('\n', hash);
  if (lf < 0) return text.length;
  return text[lf - 1] === '\r' ? lf - 1 : lf;
}

/**
 * The indentation of `owner`'s block body: that of its first child that starts a line, else one
 * step deeper than the owner's line.
 */
export function blockIndent(file: ConfigFile, owner: Directive): string {
  const child = owner.block!.children.find((node) => startsLine(file, node.start));
  return child ? indentAt(file, child.start) : indentAt(file, owner.start) + indentUnit(file);
}

/**
 * Inserts `lines` on lines of their own into `owner`'s block, at the block's indentation: after the
 * last of `after` that is a child of the block (after its whole line, keeping a trailing comment),
 * else right after the `{`. When code follows on that line (`location / { proxy_pass x; }`), it
 * moves to a line of its own: the closing `}` at the owner's indentation.
 */
export function insertLinesIntoBlock(
  file: ConfigFile,
  owner: Directive,
  after: readonly Directive[],
  lines: readonly string[],
): TextEdit {
  const own = after.filter((directive) => owner.block!.children.includes(directive)).sort((a, b) => a.start - b.start);
  const from = own.length > 0 ? own[own.length - 1].end : owner.block!.start + 1;
  const eol = eolOf(file);
  const indent = blockIndent(file, owner);
  const newText = lines.map((line) => eol + indent + line).join('');
  const end = lineEnd(file, from);
  const rest = file.text.slice(from, end);
  if (rest.trim() === '') return { file: file.path, span: { start: end, end }, newText };
  if (rest.trim().startsWith('#')) {
    const after = commentEnd(file.text, from + rest.indexOf('#'));
    return { file: file.path, span: { start: after, end: after }, newText };
  }
  const spaces = /^[ \t]*/.exec(rest)![0].length;
  const restIndent = rest.trim().startsWith('}') ? indentAt(file, owner.start) : indent;
  return { file: file.path, span: { start: from, end: from + spaces }, newText: newText + eol + restIndent };
}

/** The span of the whole lines that `span` covers, line break included (for deleting them). */
export function wholeLines(file: ConfigFile, span: Span): Span {
  const { lines } = file;
  return {
    start: lines.lineSpan(lines.positionAt(span.start).line).start,
    end: lines.offsetAt({ line: lines.positionAt(span.end).line + 1, character: 0 }),
  };
}

/** Applies non-overlapping edits (sorted or not) to a text. */
export function applyEdits(text: string, edits: ReadonlyArray<{ span: Span; newText: string }>): string {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    out += text.slice(at, edit.span.start) + edit.newText;
    at = edit.span.end;
  }
  return out + text.slice(at);
}
