// The fix for blocks the end of the file left open: nginx reads to the end of the file and answers
// `unexpected end of file, expecting "}"` (ngx_conf_parse() in src/core/ngx_conf_file.c), or
// `expecting ";" or "}"` when a directive was cut off too, whose `;` missingSemicolon.ts adds.

import type { Block, Directive, SyntaxError } from '../../../parser';
import { eolOf } from '../../edits';
import type { Fix, TextEdit } from '../../types';
import type { ConfigFile } from '../../workspace';

const EXPECTING_BRACE = 'unexpected end of file, expecting "}"';
const EXPECTING_SEMICOLON_OR_BRACE = 'unexpected end of file, expecting ";" or "}"';

/** The blocks open at the end of the file, outermost first: each one the last statement of the one around it. */
function openAtEnd(root: Block): Directive[] {
  const open: Directive[] = [];
  for (let last = root.children[root.children.length - 1]; last?.kind === 'directive' && last.block && !last.block.closed; ) {
    open.push(last);
    last = last.block.children[last.block.children.length - 1];
  }
  return open;
}

/** The indentation of the line a directive starts on. */
function indentOf(text: string, directive: Directive): string {
  const lineStart = text.lastIndexOf('\n', directive.start - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, directive.start))![0];
}

/** The edit that closes the open blocks at the end of the file, each `}` on a line of its own, indented as its block's directive. */
function closingEdit(file: ConfigFile, open: readonly Directive[]): TextEdit {
  const eol = eolOf(file);
  const { text } = file;
  const lines = [...open].reverse().map((directive) => `${indentOf(text, directive)}}${eol}`);
  const newText = (text.endsWith('\n') ? '' : eol) + lines.join('');
  return { file: file.path, span: { start: text.length, end: text.length }, newText };
}

const blocks = (count: number) => (count === 1 ? 'the open block' : `the ${count} open blocks`);

/**
 * The fixes of a syntax error: `semicolon` (the missing `;`, if any), and at the end of the file with
 * blocks left open, their closing: alone, or with the `;` (preferred: the file then reads to its end).
 */
export function syntaxErrorFixes(file: ConfigFile, error: SyntaxError, semicolon: Fix | undefined): Fix[] {
  const alone = semicolon ? [semicolon] : [];
  const cutOff = error.message === EXPECTING_SEMICOLON_OR_BRACE && semicolon;
  if (error.message !== EXPECTING_BRACE && !cutOff) return alone;
  const open = openAtEnd(file.tree.root);
  if (open.length === 0) return alone;
  const closing = closingEdit(file, open);
  if (!semicolon) return [{ title: `Close ${blocks(open.length)} with "}"`, edits: [closing], preferred: true }];
  return [
    { title: `Add the missing ";" and close ${blocks(open.length)}`, edits: [...semicolon.edits, closing], preferred: true },
    { ...semicolon, preferred: false },
  ];
}
