// An error-tolerant parser over the tokenizer: statements and blocks as ngx_conf_parse() reads
// them, with nginx's messages, but it never stops at the first error and never throws.
// Blocks are tracked on an explicit stack, so deep nesting cannot overflow the call stack.

import type { Block, Comment, Directive, ParseResult, Span, SyntaxCheckpoint, SyntaxError, Word } from './ast';
import { detached, Tokenizer } from './tokenizer';

/** Directives whose `{ ... }` body is Lua code, read by lua-nginx-module's own tokenizer. */
export const isLuaBlockDirective = (name: string) => name.endsWith('_by_lua_block');

/**
 * The statement of a directive: its name, arguments and terminator (`;` or `{`), without the block
 * body. nginx checks a directive once it has read the terminator, so it reports a directive's errors
 * at the terminator's line (ngx_conf_handler() logs cf->conf_file->line): a multi-line directive's
 * errors are located by this span, not by the name alone.
 */
export function statementSpan(directive: Directive): Span {
  const end =
    directive.block ? directive.block.start + 1
    : directive.luaBody ? directive.luaBody.start
    : directive.terminator === ';' ? directive.end
    : (directive.args[directive.args.length - 1] ?? directive.name).end;
  return { start: directive.name.start, end };
}

export function parse(text: string): ParseResult {
  return read(text, 0, 'file')!;
}

/**
 * The syntax errors of a file, found by the parser's own reading but without building a tree:
 * memory stays bounded by the nesting depth, whatever the file's size. Stops after `maxErrors`
 * errors (a binary file has one every few bytes). The result's root has no children; its
 * checkpoints let recheckSyntax() read again only around an edit.
 */
export function checkSyntax(text: string, maxErrors: number): ParseResult {
  return read(text, 0, 'file', { maxErrors })!;
}

/** Checkpoints of a syntax check are this far apart at least (a re-check after an edit reads about that much). */
export const SYNTAX_CHECKPOINT_CHARS = 64 * 1024;
/** No checkpoint where more blocks than this are open: each keeps the offsets of the open blocks. */
export const MAX_CHECKPOINT_DEPTH = 64;

/**
 * checkSyntax() from a checkpoint, given the errors found before it; `meets` is asked at every point
 * between statements (its offset, the open blocks with the file's root first, the errors found so
 * far) and stops the reading there when it says true.
 */
export function resumeSyntaxCheck(
  text: string, maxErrors: number, checkpoint: SyntaxCheckpoint, errors: readonly SyntaxError[],
  meets: (offset: number, open: readonly Block[], errors: number) => boolean,
): ParseResult {
  return read(text, 0, 'file', { maxErrors, resume: { checkpoint, errors }, meets })!;
}

/** A syntax check without a tree (see checkSyntax()), maybe starting again from a checkpoint. */
interface SyntaxPass {
  maxErrors: number;
  resume?: { checkpoint: SyntaxCheckpoint; errors: readonly SyntaxError[] };
  meets?: (offset: number, open: readonly Block[], errors: number) => boolean;
}

/** What parseStatements() read: the statements, and the offset of the word it stopped before (undefined: it read to the end). */
export interface StatementsRead extends ParseResult {
  stoppedAt?: number;
}

/**
 * The statements from `start`, a point where nginx's reader starts afresh (a block's body, or after a
 * statement's `;` or `}`: the reading there does not depend on what came before). In a block's body
 * (`mode` 'body') they end at the block's closing `}` (the root ends after it; undefined when the
 * file ends first), at the file's top level at its end; or before the first directive of the same
 * block whose name starts at an offset `stopBefore` accepts.
 */
export function parseStatements(text: string, start: number, mode: 'file' | 'body', stopBefore: (offset: number) => boolean): StatementsRead | undefined {
  return read(text, start, mode, undefined, stopBefore);
}

/** `pass` set: a syntax check only, which keeps no node and stops after `pass.maxErrors` errors. */
function read(text: string, start: number, mode: 'file' | 'body', pass?: SyntaxPass, stopBefore?: (offset: number) => boolean): StatementsRead | undefined {
  const keepTree = pass === undefined;
  const resume = pass?.resume;
  const tokenizer = new Tokenizer(text, resume ? resume.checkpoint.offset : start, keepTree);
  const errors: SyntaxError[] = resume ? [...resume.errors] : [];
  const root: Block = { start, end: text.length, children: [], closed: true };
  const open: Block[] = [root, ...(resume?.checkpoint.open ?? []).map((at) => ({ start: at, end: at + 1, children: [], closed: false }))];
  const checkpoints: SyntaxCheckpoint[] = [];
  let lastCheckpoint = tokenizer.offset;
  /** The last token ended a statement or a block: the reader could start afresh here. */
  let betweenStatements = false;
  // Without a tree only the name and the last word of a statement matter: a statement of a
  // million words must not hold a million words.
  let words: Word[] = [];
  const addWord = (word: Word) => {
    if (keepTree || words.length < 2) words.push(word);
    else words[1] = word;
  };
  /** At a point between statements: true when `pass.meets` stops here; records a checkpoint now and then. */
  const stopsBetweenStatements = (): boolean => {
    const offset = tokenizer.offset;
    if (pass!.meets?.(offset, open, errors.length)) return true;
    if (offset - lastCheckpoint >= SYNTAX_CHECKPOINT_CHARS && open.length - 1 <= MAX_CHECKPOINT_DEPTH) {
      checkpoints.push({ offset, open: open.slice(1).map((block) => block.start), errors: errors.length });
      lastCheckpoint = offset;
    }
    return false;
  };
  const checked = (): ParseResult => ({ root, errors: errors.slice(0, pass!.maxErrors), checkpoints });

  const current = () => open[open.length - 1];
  // Arrays grown by push() keep room for 17 elements or more: a tree of 128k lines is smaller by a
  // quarter when each block's children and each directive's arguments are sized to what they hold.
  const fit = (block: Block) => {
    block.children = block.children.slice();
  };
  const fail = (start: number, end: number, message: string, extra?: Partial<SyntaxError>) =>
    errors.push({ start, end, message, ...extra });

  const statement = (terminator?: ';' | '{', end = words[words.length - 1].end): Directive => {
    const name = words[0];
    const args = words.slice(1);
    words = [];
    const directive: Directive = { kind: 'directive', start: name.start, end, name, args, terminator };
    if (keepTree) current().children.push(directive);
    return directive;
  };

  for (;;) {
    if (pass) {
      if (errors.length >= pass.maxErrors) return checked();
      if (betweenStatements && stopsBetweenStatements()) return checked();
    }
    const token = tokenizer.next();
    betweenStatements = token.type === ';' || token.type === '{' || token.type === '}';
    switch (token.type) {
      case 'word':
        if (stopBefore && words.length === 0 && open.length === 1 && stopBefore(token.word.start)) {
          fit(root);
          return { root, errors, stoppedAt: token.word.start };
        }
        addWord(token.word);
        break;
      case 'comment': {
        if (!keepTree) break;
        const comment: Comment = { kind: 'comment', start: token.start, end: token.end, text: token.text };
        current().children.push(comment);
        break;
      }
      case ';':
        if (words.length === 0) fail(token.start, token.end, 'unexpected ";"');
        else statement(';', token.end);
        break;
      case '{': {
        if (words.length === 0) {
          // Keep the braces balanced so the matching `}` is not reported too.
          fail(token.start, token.end, 'unexpected "{"');
          const anonymous: Block = { start: token.start, end: token.end, children: [], closed: false };
          open.push(anonymous);
          break;
        }
        const directive = statement('{', token.end);
        if (isLuaBlockDirective(directive.name.value)) {
          const { body, closed } = tokenizer.readLuaBody();
          if (keepTree) directive.luaBody = { ...body, value: detached(text.slice(body.start, body.end)) };
          directive.end = tokenizer.offset;
          if (!closed) {
            fail(text.length, text.length, 'unexpected end of file, expecting "}"', { openedAt: { start: token.start, end: token.end } });
          }
          break;
        }
        directive.block = { start: token.start, end: token.end, children: [], closed: false };
        open.push(directive.block);
        break;
      }
      case '}': {
        if (words.length > 0) {
          fail(token.start, token.end, 'unexpected "}"');
          statement();
        }
        if (open.length === 1) {
          if (mode === 'body') {
            root.end = token.end;
            fit(root);
            return { root, errors };
          }
          fail(token.start, token.end, 'unexpected "}"');
          break;
        }
        const block = open.pop()!;
        block.end = token.end;
        block.closed = true;
        fit(block);
        closeParentDirective(current(), block);
        break;
      }
      case 'error':
        fail(token.start, token.end, token.message, token.openedAt && { openedAt: token.openedAt });
        break;
      case 'eof': {
        if (mode === 'body') return undefined;
        // One end-of-file error is enough (an unclosed quote may have reported it already).
        const reportedEof = () => errors.length > 0 && errors[errors.length - 1].start === text.length;
        if (words.length > 0) {
          if (!reportedEof()) fail(token.start, token.end, 'unexpected end of file, expecting ";" or "}"');
          statement();
        }
        if (open.length > 1) {
          const innermost = current();
          if (!reportedEof()) {
            fail(token.start, token.end, 'unexpected end of file, expecting "}"', {
              openedAt: { start: innermost.start, end: innermost.start + 1 },
            });
          }
          for (let i = open.length - 1; i > 0; i--) {
            open[i].end = text.length;
            fit(open[i]);
            closeParentDirective(open[i - 1], open[i]);
          }
        }
        if (pass) return checked();
        fit(root);
        return { root, errors };
      }
    }
  }
}

/** Extends the directive that owns `block` (the last child of `parent`) so that its span covers the block. */
function closeParentDirective(parent: Block, block: Block): void {
  const owner = parent.children[parent.children.length - 1];
  if (owner?.kind === 'directive' && owner.block === block) owner.end = block.end;
}
