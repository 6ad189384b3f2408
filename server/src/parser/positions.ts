// The one place where source offsets become line/character positions (0-based, UTF-16 columns).
// Two ways of counting lines, kept apart:
// - LineIndex counts as LSP (and vscode-languageserver-textdocument) does: a line ends at `\n`,
//   `\r\n` or a lone `\r`. Every position exchanged with an editor goes through it.
// - NginxLines counts as nginx does: ngx_conf_read_token() (ngx_conf_file.c) increments
//   cf->conf_file->line on LF only, and a lone CR is a blank like a space. Only the line numbers
//   that nginx prints (`nginx -t` errors, the CLI's nginx-style report) go through it; they reach
//   the editor as offsets, then LineIndex positions.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

const LF = 0x0a;
const CR = 0x0d;
const isLineBreak = (code: number) => code === LF || code === CR;

/** The index of the line (in `lineStarts`, ascending, starting with 0) that holds `offset`. */
function lineHolding(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    // Two indexOf cursors rather than a loop over every character: a 5 MB file is re-indexed on
    // every edit.
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    while (lf >= 0 || cr >= 0) {
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        const crlf = lf === cr + 1;
        this.lineStarts.push(crlf ? lf + 1 : cr + 1);
        if (crlf) lf = text.indexOf('\n', lf + 1);
        cr = text.indexOf('\r', cr + 1);
      } else {
        this.lineStarts.push(lf + 1);
        lf = text.indexOf('\n', lf + 1);
      }
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /**
   * As TextDocument.positionAt: an offset between the `\r` and the `\n` of a CRLF (which no
   * position can name) becomes the end of its line.
   */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = lineHolding(this.lineStarts, clamped);
    return { line, character: this.beforeLineBreak(clamped, this.lineStarts[line]) - this.lineStarts[line] };
  }

  /** As TextDocument.offsetAt: a character past the line's end is the end of the line. */
  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    if (position.line < 0) return 0;
    const lineStart = this.lineStarts[position.line];
    if (position.character <= 0) return lineStart;
    const nextLine = this.lineStarts[position.line + 1] ?? this.text.length;
    return this.beforeLineBreak(Math.min(lineStart + position.character, nextLine), lineStart);
  }

  rangeOf(span: { start: number; end: number }): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  /** The offsets of a line, without its line break. */
  lineSpan(line: number): { start: number; end: number } {
    const start = this.lineStarts[line] ?? this.text.length;
    const end = this.lineStarts[line + 1] ?? this.text.length;
    return { start, end: this.beforeLineBreak(end, start) };
  }

  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart && isLineBreak(this.text.charCodeAt(offset - 1))) offset--;
    return offset;
  }
}

/** Lines as nginx numbers them (1-based, LF only): for the line numbers nginx prints. */
export class NginxLines {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** nginx's line number of the character at `offset`. */
  lineAt(offset: number): number {
    return lineHolding(this.lineStarts, Math.max(0, Math.min(offset, this.text.length))) + 1;
  }

  /** The offsets of nginx's line `line` (1-based; clamped to the file), without its LF or CRLF. */
  lineSpan(line: number): { start: number; end: number } {
    const index = Math.max(0, Math.min(line - 1, this.lineStarts.length - 1));
    const start = this.lineStarts[index];
    let end = this.lineStarts[index + 1] ?? this.text.length;
    if (this.text.charCodeAt(end - 1) === LF) end--;
    if (end > start && this.text.charCodeAt(end - 1) === CR) end--;
    return { start, end };
  }
}
