// Text edits that insert configuration lines the way a person would: on their own lines, with the
// indentation of the block they go into and the file's line ending.

import type { Directive, Span } from '../parser';
import type { TextEdit } from './types';
import type { ConfigFile } from './workspace';

const DEFAULT_INDENT_UNIT = '    ';

export function eolOf(file: ConfigFile): string {
  return file.text.includes('\r\n') ? '\r\n' : '\n';
}

/** The whitespace before the first character of the line holding `offset`. */
export function indentAt(file: ConfigFile, offset: number): string {
  const lineStart = file.text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(file.text.slice(lineStart, offset))![0];
}

/** True when only whitespace precedes `offset` on its line. */
export function startsLine(file: ConfigFile, offset: number): boolean {
  const lineStart = file.text.lastIndexOf('\n', offset - 1) + 1;
  return file.text.slice(lineStart, offset).trim() === '';
}

/**
 * The file's indentation step: how much deeper the first line after a `{` is indented (not fooled by
 * aligned continuation lines), else the first indented line's leading whitespace, else four spaces.
 */
export function indentUnit(file: ConfigFile): string {
  return (
    /^([ \t]*)(?=\S)[^\n#]*\{[ \t]*\r?\n(?:[ \t]*\r?\n)*\1([ \t]+)\S/m.exec(file.text)?.[2] ??
    /\n([ \t]+)\S/.exec(file.text)?.[1] ??
    DEFAULT_INDENT_UNIT
  );
}

/** The end of the line holding `offset` (before its line break). */
export function lineEnd(file: ConfigFile, offset: number): number {
  const newline = file.text.indexOf('\n', offset);
  if (newline < 0) return file.text.length;
  return file.text[newline - 1] === '\r' ? newline - 1 : newline;
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
  if (rest.trim() === '' || rest.trim().startsWith('#')) return { file: file.path, span: { start: end, end }, newText };
  const spaces = /^[ \t]*/.exec(rest)![0].length;
  const restIndent = rest.trim().startsWith('}') ? indentAt(file, owner.start) : indent;
  return { file: file.path, span: { start: from, end: from + spaces }, newText: newText + eol + restIndent };
}

/** The span of the whole lines that `span` covers, line break included (for deleting them). */
export function wholeLines(file: ConfigFile, span: Span): Span {
  const start = file.text.lastIndexOf('\n', span.start - 1) + 1;
  const newline = file.text.indexOf('\n', span.end);
  return { start, end: newline < 0 ? file.text.length : newline + 1 };
}
