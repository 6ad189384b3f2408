// The syntax tree. Every node keeps exact source offsets (UTF-16 code units into the text);
// offsets become line/character positions in one place only: LineIndex (positions.ts).

export interface Span {
  start: number;
  end: number;
}

/** One word of a directive: its name or an argument. */
export interface Word extends Span {
  /** The value nginx sees: quotes removed, escapes resolved. */
  value: string;
  /** The quote character when the word was quoted. */
  quote?: '"' | "'";
}

export interface Comment extends Span {
  kind: 'comment';
  /** Text after `#`. */
  text: string;
}

export interface Directive extends Span {
  kind: 'directive';
  name: Word;
  args: Word[];
  /** `;` when terminated by a semicolon, `{` when it opens a block, undefined when cut off by an error. */
  terminator?: ';' | '{';
  /** The block body for `name args { ... }`. */
  block?: Block;
  /** Raw body of a `*_by_lua_block { ... }` directive, between the braces, kept as one token. */
  luaBody?: Word;
}

export interface Block extends Span {
  /** Offset of `{` (or 0 for a file's top level). */
  children: Array<Directive | Comment>;
  /** False when the file ended before the closing `}`. */
  closed: boolean;
}

export interface SyntaxError extends Span {
  message: string;
  /** Where the construct that was left open began (an unclosed block or quote). */
  openedAt?: Span;
}

/** A point between two statements of a syntax check (checkSyntax()) where reading can start again. */
export interface SyntaxCheckpoint {
  offset: number;
  /** Offsets of the `{` of the blocks open there, outermost first. */
  open: number[];
  /** How many errors were found before it. */
  errors: number;
}

export interface ParseResult {
  root: Block;
  errors: SyntaxError[];
  /** Set by a syntax check without a tree: its checkpoints, in file order. */
  checkpoints?: SyntaxCheckpoint[];
  /** Set by reparse() when it read one block again. */
  reread?: Reread;
}

/**
 * What reparse() read again: statements of one block (or of the file's top level) around the edit.
 * Everything before `start` is the previous tree's, and everything from `end` on too, moved by `delta`.
 */
export interface Reread {
  /** The root of the tree it came from. */
  previousRoot: Block;
  /** The block directives around the statements read again, outermost first: none at the file's top level. */
  chain: readonly Directive[];
  /** The statements read again, as they were before the edit (in the previous positions). */
  previousChildren: Block['children'];
  /** The statements read in their place. */
  children: Block['children'];
  /** Where the text read again starts (the same in both texts). */
  start: number;
  /** Where it ended in the previous text: the offset that moved to `end + delta`. */
  end: number;
  /** How much longer the text became. */
  delta: number;
}
