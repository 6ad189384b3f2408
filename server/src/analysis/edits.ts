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

/** The file's indentation step: the first indented line's leading whitespace, else four spaces. */
export function indentUnit(file: ConfigFile): string {
  return /\n([ \t]+)\S/.exec(file.text)?.[1] ?? DEFAULT_INDENT_UNIT;
}

/** The end of the line holding `offset` (before its line break). */
export function lineEnd(file: ConfigFile, offset: number): number {
  const newline = file.text.indexOf('\n', offset);
  if (newline < 0) return file.text.length;
  return file.text[newline - 1] === '\r' ? newline - 1 : newline;
}

/**
 * Inserts `lines` on new lines after `anchor`, at the anchor's indentation: after its whole line
 * (keeping a trailing comment), or right after it when more code follows on that line
 * (`location / { proxy_pass x; }`).
 */
export function insertLinesAfter(file: ConfigFile, anchor: Span, lines: readonly string[]): TextEdit {
  const end = lineEnd(file, anchor.end);
  const rest = file.text.slice(anchor.end, end).trim();
  const at = rest === '' || rest.startsWith('#') ? end : anchor.end;
  const lineStart = file.text.lastIndexOf('\n', anchor.start - 1) + 1;
  const firstOnLine = file.text.slice(lineStart, anchor.start).trim() === '';
  const indent = indentAt(file, anchor.start) + (firstOnLine ? '' : indentUnit(file));
  const eol = eolOf(file);
  return { file: file.path, span: { start: at, end: at }, newText: lines.map((line) => eol + indent + line).join('') };
}

/** Inserts `lines` as the first lines inside `owner`'s block, one step deeper than `owner`. */
export function insertLinesAtBlockStart(file: ConfigFile, owner: Directive, lines: readonly string[]): TextEdit {
  const open = owner.block!.start;
  const indent = indentAt(file, owner.start) + indentUnit(file);
  const eol = eolOf(file);
  const at = lineEnd(file, open);
  // `location / { }` on one line: break the line after `{`.
  const insertAt = file.text.slice(open + 1, at).trim() === '' ? at : open + 1;
  return { file: file.path, span: { start: insertAt, end: insertAt }, newText: lines.map((line) => eol + indent + line).join('') };
}

/** Inserts lines into `owner`'s block: after the last of `after` that is in this file, else first. */
export function insertLinesIntoBlock(
  file: ConfigFile,
  owner: Directive,
  after: readonly Directive[],
  lines: readonly string[],
): TextEdit {
  const own = after.filter((directive) => owner.block!.children.includes(directive));
  const anchor = own.sort((a, b) => a.start - b.start)[own.length - 1];
  return anchor ? insertLinesAfter(file, anchor, lines) : insertLinesAtBlockStart(file, owner, lines);
}

/** The span of the whole lines that `span` covers, line break included (for deleting them). */
export function wholeLines(file: ConfigFile, span: Span): Span {
  const start = file.text.lastIndexOf('\n', span.start - 1) + 1;
  const newline = file.text.indexOf('\n', span.end);
  return { start, end: newline < 0 ? file.text.length : newline + 1 };
}
