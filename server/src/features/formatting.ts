// Document and range formatting. Tokens are kept byte for byte; only the whitespace between them
// (the "gaps") is rewritten, so formatting cannot change what nginx reads. The rules:
// - indentation by block depth (tabSize spaces or one tab per level); a line that continues a
//   directive (a long log_format) keeps its line break and is indented one level deeper;
// - one directive per line: after `;`, `{` and `}` the next directive or `}` goes to a new line,
//   except that an empty `{}` on one line stays as it is;
// - one space between words, none before `;`; a comment after code on its line stays there,
//   after one space (alignment of trailing comments is not kept);
// - at most one blank line in a row, none at the start of the file, none at its end (the file
//   keeps its final line break, if it had one); trailing whitespace removed;
// - quoted strings are tokens, so their content (line breaks included) is never touched;
// - a `*_by_lua_block` body is kept byte for byte from its first to its last non-blank character:
//   only trailing blanks after the `{` and the indentation of a `}` that starts its line change;
// - line breaks are counted as the editor counts them: `\n`, `\r\n` or a lone `\r` (which nginx
//   reads as a blank, except in a comment, a token kept as it is); existing ones keep their style,
//   new ones are those of the edits' eolOf (CRLF or LF, never a lone CR);
// - a file with syntax errors is not formatted (no edits): without a sound tree, the block
//   depth, and so the indentation, would be guesswork;
// - indentation stops growing at MAX_INDENT_LEVEL: real configurations nest a few levels, and a
//   hostile one of 10,000 levels would otherwise grow by the square of its depth (400 MB).
// The edits are minimal: one per changed gap, split at line ends; range formatting keeps those
// that lie inside its range.

import { isLuaBlockDirective, type Span } from '../parser';
import { Tokenizer } from '../parser/tokenizer';
import { applyEdits, eolOf } from '../analysis/edits';
import type { TextEdit } from '../analysis/types';
import type { ConfigFile } from '../analysis/workspace';

export interface FormattingOptions {
  tabSize: number;
  insertSpaces: boolean;
}

/** `lua` is the non-blank core of a Lua body; `{`/`}` of a Lua block carry `lua: true`. */
interface Token extends Span {
  type: 'word' | ';' | '{' | '}' | 'comment' | 'lua';
  lua?: boolean;
  /** Indentation level when the token starts a line. */
  level: number;
}

const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';

/** The file's tokens in order, or undefined when the tokenizer reports a problem. */
function tokensOf(text: string): Token[] | undefined {
  const tokenizer = new Tokenizer(text);
  const tokens: Token[] = [];
  let depth = 0;
  /** The first word of the directive being read (undefined between directives). */
  let directiveName: string | undefined;
  const push = (type: Token['type'], start: number, end: number, level: number, lua?: boolean) =>
    tokens.push({ type, start, end, level, ...(lua && { lua }) });
  const continuation = () => depth + (directiveName === undefined ? 0 : 1);

  for (;;) {
    const token = tokenizer.next();
    switch (token.type) {
      case 'eof':
        return tokens;
      case 'error':
        return undefined;
      case 'word': {
        const { word } = token;
        // A word that touches the one before (the `)` nginx reads after a quote, `if ($a = "b")`) stays with it.
        const previous = tokens[tokens.length - 1];
        if (previous?.type === 'word' && previous.end === word.start) previous.end = word.end;
        else push('word', word.start, word.end, continuation());
        directiveName ??= word.value;
        break;
      }
      case 'comment': {
        let end = token.end;
        while (end > token.start && isBlank(text[end - 1])) end--;
        push('comment', token.start, end, continuation());
        break;
      }
      case ';':
        push(';', token.start, token.end, continuation());
        directiveName = undefined;
        break;
      case '{': {
        push('{', token.start, token.end, depth);
        const lua = directiveName !== undefined && isLuaBlockDirective(directiveName);
        directiveName = undefined;
        depth++;
        if (!lua) break;
        tokens[tokens.length - 1].lua = true;
        const { body, closed } = tokenizer.readLuaBody();
        if (!closed) return undefined;
        let start = body.start;
        let end = body.end;
        while (start < end && isBlank(text[start])) start++;
        while (end > start && isBlank(text[end - 1])) end--;
        if (end > start) push('lua', start, end, depth);
        depth--;
        push('}', body.end, body.end + 1, depth, true);
        break;
      }
      case '}':
        depth--;
        push('}', token.start, token.end, depth);
        directiveName = undefined;
        break;
    }
  }
}

/** The line breaks in text[start, end), as LSP counts them: each `\r\n`, lone `\r` and lone `\n`. */
function lineBreaks(text: string, start: number, end: number): Span[] {
  const breaks: Span[] = [];
  for (let i = start; i < end; i++) {
    if (text[i] !== '\r' && text[i] !== '\n') continue;
    const crlf = text[i] === '\r' && i + 1 < end && text[i + 1] === '\n';
    breaks.push({ start: i, end: crlf ? i + 2 : i + 1 });
    if (crlf) i++;
  }
  return breaks;
}

/** What separates two tokens that stand on the same line. */
function sameLineSeparator(before: Token, after: Token, newLine: string): string {
  if (after.type === 'comment') return ' ';
  if (before.type === '{' && after.type === '}') return '';
  if (before.type === ';' || before.type === '{' || before.type === '}') return newLine;
  if (after.type === ';') return '';
  return ' ';
}

/**
 * The edits that rewrite the gap between `before` and `after` (either missing at the file's ends).
 * Each edit stays on one line (plus that line's break), so range formatting can filter them.
 */
function gapEdits(
  text: string, gap: Span, before: Token | undefined, after: Token | undefined,
  indent: (level: number) => string, eol: string,
): Array<{ span: Span; newText: string }> {
  const edits: Array<{ span: Span; newText: string }> = [];
  const replace = (start: number, end: number, newText: string) => {
    if (text.slice(start, end) !== newText) edits.push({ span: { start, end }, newText });
  };
  const breaks = lineBreaks(text, gap.start, gap.end);
  const first = breaks[0];
  const last = breaks[breaks.length - 1];

  // Inside a Lua block only the blanks that end the `{` line and those before a `}` are ours.
  if (before?.type === '{' && before.lua && after?.type === 'lua') {
    if (first) replace(gap.start, first.start, '');
    return edits;
  }
  if (before?.type === 'lua' && after?.type === '}' && after.lua) {
    if (last) replace(last.end, gap.end, indent(after.level));
    return edits;
  }

  if (!first) {
    if (before && after) replace(gap.start, gap.end, sameLineSeparator(before, after, eol + indent(after.level)));
    else replace(gap.start, gap.end, after ? indent(after.level) : '');
    return edits;
  }

  // Line by line: the end of `before`'s line, the blank lines, the start of `after`'s line.
  if (before || !after) replace(gap.start, first.start, '');
  else replace(gap.start, first.end, ''); // a blank first line of the file
  for (let i = 1; i < breaks.length; i++) {
    const keepOne = before !== undefined && after !== undefined && i === 1;
    if (keepOne) replace(breaks[0].end, breaks[1].start, '');
    else replace(breaks[i - 1].end, breaks[i].end, ''); // the whole blank line, its break included
  }
  replace(last.end, gap.end, after ? indent(after.level) : '');
  return edits;
}

const withoutBlanks = (text: string) => text.replace(/[ \t\r\n\f\v]+/g, '');

/**
 * Edits that format the file, or only what lies inside `range`. Returns [] when the file
 * has syntax errors, and (a safety net) when the edits would change more than whitespace.
 */
export function format(file: ConfigFile, options: FormattingOptions, range?: Span): TextEdit[] {
  const edits = formattingEdits(file, options, range);
  if (withoutBlanks(applyEdits(file.text, edits)) !== withoutBlanks(file.text)) return [];
  return edits.map((edit) => ({ file: file.path, ...edit }));
}

/** The deepest indentation, in levels (see the rules above). */
export const MAX_INDENT_LEVEL = 40;

/** format() without its safety net, so that tests see what the rules produce. */
export function formattingEdits(file: ConfigFile, options: FormattingOptions, range?: Span): Array<{ span: Span; newText: string }> {
  const { text } = file;
  if (file.tree.errors.length > 0) return [];
  const tokens = tokensOf(text);
  if (!tokens) return [];

  const unit = options.insertSpaces ? ' '.repeat(options.tabSize) : '\t';
  const indents: string[] = [];
  const indent = (level: number) => (indents[level] ??= unit.repeat(Math.min(MAX_INDENT_LEVEL, Math.max(0, level))));
  const eol = eolOf(file);

  const edits: Array<{ span: Span; newText: string }> = [];
  let previousEnd = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte order mark is no whitespace
  for (let i = 0; i <= tokens.length; i++) {
    const after = tokens[i] as Token | undefined;
    const gap = { start: previousEnd, end: after ? after.start : text.length };
    edits.push(...gapEdits(text, gap, tokens[i - 1], after, indent, eol));
    if (after) previousEnd = after.end;
  }

  // Range formatting touches no character outside its range, not even blanks around it.
  const inRange = range ? edits.filter((edit) => edit.span.start >= range.start && edit.span.end <= range.end) : edits;

  // Edits that touch are merged: no two edits of the result meet at one offset.
  const merged: Array<{ span: Span; newText: string }> = [];
  for (const edit of inRange) {
    const previous = merged[merged.length - 1];
    if (previous && previous.span.end === edit.span.start) {
      previous.span = { start: previous.span.start, end: edit.span.end };
      previous.newText += edit.newText;
    } else merged.push({ span: { ...edit.span }, newText: edit.newText });
  }
  return merged;
}

