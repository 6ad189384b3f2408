// Derives how many arguments a directive takes from its documented syntax, as written in
// @nginx/reference-lib (Markdown format). Shared by scripts/generate-nginx-data.mjs and its tests.
//
// The Markdown conventions of the reference:
//   `literal`        literal text; may contain [ ] | ... as plain characters (`gzip[=]`, `{...}`)
//   *`value`*        a value the user chooses (the * are only emphasis)
//   [ ... ]          an optional part
//   a | b            alternatives: a spaced | separates whole argument lists, a glued one
//                    (`on`|`off`) alternative values of one argument
//   x ...            the argument x can be repeated
//   `{...}`          the body of a block directive; the arguments stop there
// Whitespace separates arguments; pieces glued together (*`address`*[:*`port`*], `key`=*`value`*)
// form a single argument.

/** @typedef {{ min: number, max: number | null }} Arity  max null = no upper limit */

const UNBOUNDED = Infinity;

/**
 * Arity of one syntax line, e.g. "*`path`* [*`level1`* [*`level2`*]]" → { min: 1, max: 3 }.
 * @param {string} syntax
 * @returns {Arity}
 */
export function arityFromSyntax(syntax) {
  const parser = new Parser(tokenize(syntax));
  const arity = parser.alternatives();
  if (!parser.atEnd()) throw new Error(`unbalanced syntax: ${syntax}`);
  return { min: arity.min, max: arity.max === UNBOUNDED ? null : arity.max };
}

/**
 * A directive with several syntax lines accepts any of them: the union of their ranges.
 * @param {readonly string[]} lines
 * @returns {Arity}
 */
export function arityFromSyntaxLines(lines) {
  if (lines.length === 0) return { min: 0, max: 0 };
  const arities = lines.map(arityFromSyntax);
  return {
    min: Math.min(...arities.map((a) => a.min)),
    max: arities.some((a) => a.max === null) ? null : Math.max(...arities.map((a) => /** @type {number} */ (a.max))),
  };
}

/**
 * Splits the Markdown into text, '[', ']', '|' and '...' tokens; `glued` = no whitespace before it.
 * Emphasis stars are dropped, and the `{...}` block marker ends the arguments.
 * @param {string} syntax
 */
function tokenize(syntax) {
  /** @type {{ type: 'text' | '[' | ']' | '|' | '...', value: string, glued: boolean }[]} */
  const tokens = [];
  let spaced = true;
  const push = (/** @type {any} */ type, value = type) => {
    tokens.push({ type, value, glued: !spaced });
    spaced = false;
  };

  let i = 0;
  while (i < syntax.length) {
    const c = syntax[i];
    if (/\s/.test(c)) {
      spaced = true;
      i++;
    } else if (c === '`') {
      const end = syntax.indexOf('`', i + 1);
      const code = end < 0 ? syntax.slice(i + 1) : syntax.slice(i + 1, end);
      i = end < 0 ? syntax.length : end + 1;
      if (code.trim() === '{...}') break;
      // A code span can hold several words ("export_name from module.js") or stray blanks ("transparent ").
      const words = code.split(/\s+/);
      words.forEach((word, k) => {
        if (k > 0) spaced = true;
        if (word) push('text', word);
      });
    } else if (c === "'") {
      // A quoted literal such as 'sub { ... }' (perl) is one argument whatever it contains.
      const end = syntax.indexOf("'", i + 1);
      const stop = end < 0 ? syntax.length : end + 1;
      push('text', syntax.slice(i, stop));
      i = stop;
    } else if (syntax.startsWith('...', i)) {
      push('...');
      i += 3;
    } else if (c === '*') {
      i++;
    } else if (c === '[' || c === ']' || c === '|') {
      push(c);
      i++;
    } else {
      // Unformatted text: "string ...", "path", "(" and ")" of if, "=" and ":" between pieces.
      let j = i;
      while (j < syntax.length && !/[\s`'*[\]|]/.test(syntax[j]) && !syntax.startsWith('...', j)) j++;
      push('text', syntax.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

class Parser {
  /** @param {ReturnType<typeof tokenize>} tokens */
  constructor(tokens) {
    this.tokens = tokens;
    this.pos = 0;
  }

  atEnd() {
    return this.pos >= this.tokens.length;
  }

  peek(offset = 0) {
    return this.tokens[this.pos + offset];
  }

  /** A '|' with whitespace on either side separates argument lists, not values of one argument. */
  isSpacedBar() {
    const bar = this.peek();
    const next = this.peek(1);
    return bar?.type === '|' && (!bar.glued || !next?.glued);
  }

  /** alternatives := sequence ( spaced-'|' sequence )* */
  alternatives() {
    const options = [this.sequence()];
    while (this.isSpacedBar()) {
      this.pos++;
      options.push(this.sequence());
    }
    return {
      min: Math.min(...options.map((o) => o.min)),
      max: Math.max(...options.map((o) => o.max)),
    };
  }

  /** sequence := ( word | '...' )*  — arguments add up; '...' repeats the previous argument. */
  sequence() {
    let min = 0;
    let max = 0;
    let last = null;
    while (!this.atEnd() && this.peek().type !== ']' && !this.isSpacedBar()) {
      if (this.peek().type === '...') {
        this.pos++;
        if (last && last.max > 0) max = UNBOUNDED;
        continue;
      }
      last = this.word();
      min += last.min;
      max += last.max;
    }
    return { min, max };
  }

  /**
   * word := piece ( glued piece )*  where piece := text | '[' alternatives ']' | glued '|'.
   * One argument if it has literal text; a bare optional group counts what its inside counts.
   */
  word() {
    let hasText = false;
    let repeatable = false;
    let optionalMax = 0;
    do {
      const token = this.peek();
      if (token.type === 'text') {
        hasText = true;
        // The docs write "[parameters]" for "any number of parameters" (upstream server, health_check).
        if (token.value === 'parameters') repeatable = true;
        this.pos++;
      } else if (token.type === '[') {
        this.pos++;
        optionalMax += this.alternatives().max;
        if (this.peek()?.type !== ']') throw new Error('missing ]');
        this.pos++;
      } else if (token.type === '|') {
        this.pos++; // glued: another value of the same argument
      } else {
        break; // ']' or '...' ends the word
      }
    } while (!this.atEnd() && this.peek().glued && this.peek().type !== '...');

    if (hasText) return { min: 1, max: repeatable ? UNBOUNDED : 1 };
    return { min: 0, max: optionalMax };
  }
}
