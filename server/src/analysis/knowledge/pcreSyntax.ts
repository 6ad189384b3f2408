// What PCRE says of a pattern nginx compiles (ngx_regex_compile() in src/core/ngx_regex.c): the
// syntax errors of its first, left-to-right pass, with the offset it reports. nginx links PCRE2 from
// 1.21.5 on and PCRE (1) before; the two word most errors differently, and PCRE2 refuses escapes of
// unknown letters that PCRE reads as the letter. Each message and offset here was checked against
// nginx 1.18 (PCRE 8.39) and 1.22 to 1.31 (PCRE2 10.42).
//
// Syntax this scanner does not follow (verbs, recursion, conditionals, callouts, \Q...\E, extended
// mode, branch resets, non-ASCII bytes) leaves the pattern undecided: it reports nothing for it.

export type PcreLibrary = 'pcre' | 'pcre2';

/** Each error's words in PCRE2 and in PCRE; `undefined`: PCRE compiles what PCRE2 refuses. */
const MESSAGES = {
  missingParenthesis: ['missing closing parenthesis', 'missing )'],
  unmatchedParenthesis: ['unmatched closing parenthesis', 'unmatched parentheses'],
  nothingToRepeat: ['quantifier does not follow a repeatable item', 'nothing to repeat'],
  missingBracket: ['missing terminating ] for character class', 'missing terminating ] for character class'],
  rangeOutOfOrder: ['range out of order in character class', 'range out of order in character class'],
  numbersOutOfOrder: ['numbers out of order in {} quantifier', 'numbers out of order in {} quantifier'],
  numberTooBig: ['number too big in {} quantifier', 'number too big in {} quantifier'],
  duplicateName: ['two named subpatterns have the same name (PCRE2_DUPNAMES not set)', 'two named subpatterns have the same name'],
  nameStartsWithDigit: ['subpattern name must start with a non-digit', 'group name must start with a non-digit'],
  nameTooLong: ['subpattern name is too long (maximum 32 code units)', 'subpattern name is too long (maximum 32 characters)'],
  posixOutsideClass: ['POSIX named classes are supported only within a class', 'POSIX named classes are supported only within a class'],
  unknownPosixClass: ['unknown POSIX class name', 'unknown POSIX class name'],
  collatingElement: ['POSIX collating elements are not supported', 'POSIX collating elements are not supported'],
  missingCommentEnd: ['missing ) after (?# comment', 'missing ) after comment'],
  unrecognizedEscape: ['unrecognized character follows \\', undefined],
  unsupportedEscape: ['PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', 'PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u'],
} as const satisfies Record<string, readonly [string, string | undefined]>;

type ErrorKind = keyof typeof MESSAGES;

/** An error and its offset; `pcreAt` where PCRE reports another offset than PCRE2. */
interface PcreError {
  kind: ErrorKind;
  at: number;
  pcreAt?: number;
}

/** The scan gave up: the pattern uses syntax it does not follow. */
const UNDECIDED = 'undecided';

/** Names PCRE knows in `[[:name:]]` (posix_names in pcre2_compile.c). */
const POSIX_CLASSES = new Set(['alpha', 'lower', 'upper', 'alnum', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'print', 'punct', 'space', 'word', 'xdigit']);

/** Escapes of letters that PCRE2 refuses as unknown (ERR3) and PCRE reads as the letter. */
const UNKNOWN_LETTERS = new Set('ijmqyIJMOTY');
/** Escapes that PCRE2 refuses as Perl's case-changing ones (ERR37); PCRE reads `\F` as F. */
const CASE_ESCAPES = new Set('FLlUu');
/** Escapes that match no character (assertions): a quantifier cannot follow them. */
const ASSERTION_ESCAPES = new Set('bBAzZGK');
/** Escapes of one character type or of one character, which a quantifier may follow. */
const CHARACTER_ESCAPES = new Set('dDwWsShHvVRXCNaefnrt');
/** Options `(?i)` or `(?i:...)` may set or unset, but `x` (extended mode, which this scanner does not follow). */
const OPTION_SETTING = /^\(\?([imsUJ]*)(?:-([imsUJ]*))?([:)])/;
const QUANTIFIER = /^\{(\d+)(?:,(\d*))?\}/;
/** What PCRE2 10.43 reads as a quantifier and 10.42 as text (`{,3}`, `{ 2 }`): libraries differ. */
const LOOSE_QUANTIFIER = /^\{[\d\s,]*\}/;
const MAX_REPEAT = 65535;
const MAX_NAME = 32;
const MAX_NESTING = 200;

/**
 * PCRE's error for `pattern` as nginx words it (`pcre2_compile() failed: missing closing parenthesis
 * in "^/(a"`), or undefined when it compiles or the scanner cannot tell.
 */
export function pcreCompileError(pattern: string, library: PcreLibrary): string | undefined {
  // A configuration repeats its patterns in every server (`~ \.php$`): each is scanned once.
  const key = library + pattern;
  if (judged.has(key)) return judged.get(key);
  if (judged.size >= MAX_JUDGED) judged.clear();
  const message = errorMessage(pattern, library);
  judged.set(key, message);
  return message;
}

/** Patterns judged so far, by library and pattern. Bounded: emptied when full. */
const judged = new Map<string, string | undefined>();
const MAX_JUDGED = 10_000;

function errorMessage(pattern: string, library: PcreLibrary): string | undefined {
  const error = firstError(pattern, library);
  if (!error || error === UNDECIDED) return undefined;
  const [pcre2Words, pcreWords] = MESSAGES[error.kind];
  const words = library === 'pcre2' ? pcre2Words : pcreWords;
  if (words === undefined) return undefined;
  const at = library === 'pcre' ? (error.pcreAt ?? error.at) : error.at;
  // ngx_regex_compile(): no "at" when the offset is the pattern's end.
  const where = at < pattern.length ? ` at "${pattern.slice(at)}"` : '';
  return `${library}_compile() failed: ${words} in "${pattern}"${where}`;
}

function firstError(pattern: string, library: PcreLibrary): PcreError | typeof UNDECIDED | undefined {
  // nginx compiles bytes without PCRE_UTF8: offsets and ranges of non-ASCII text are in bytes.
  if (/[^\x00-\x7f]/.test(pattern)) return UNDECIDED;
  const open: number[] = [];
  const names = new Set<string>();
  /** The last item can take a quantifier. */
  let repeatable = false;
  /** The last item is a quantifier, which may take one `?` (lazy) or `+` (possessive). */
  let quantified = false;
  const item = (next: number) => {
    repeatable = true;
    quantified = false;
    return next;
  };
  const nonItem = (next: number) => {
    repeatable = false;
    quantified = false;
    return next;
  };
  const quantifier = (last: number): PcreError | undefined => {
    const modifier = pattern[last] === '?' || pattern[last] === '+';
    if (repeatable) {
      repeatable = false;
      quantified = true;
    } else if (quantified && modifier) {
      quantified = false;
    } else return { kind: 'nothingToRepeat', at: last };
    return undefined;
  };

  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const escape = escapeAt(pattern, i, false);
      if (escape === UNDECIDED) return UNDECIDED;
      if ('kind' in escape) {
        if (escape.kind === 'unrecognizedEscape' && library === 'pcre') {
          i = item(i + 2);
          continue;
        }
        if (escape.kind === 'unsupportedEscape' && library === 'pcre' && pattern[i + 1] === 'F') {
          i = item(i + 2);
          continue;
        }
        return escape;
      }
      i = escape.assertion ? nonItem(escape.end) : item(escape.end);
    } else if (c === '(') {
      const group = groupAt(pattern, i, names);
      if (group === UNDECIDED) return UNDECIDED;
      if ('kind' in group) return group;
      if (group.opens) {
        open.push(i);
        if (open.length > MAX_NESTING) return UNDECIDED;
        i = nonItem(group.end);
      } else if (group.comment) {
        // A comment is no item: a quantifier after it applies to what came before.
        i = group.end;
      } else i = nonItem(group.end);
    } else if (c === ')') {
      if (open.length === 0) return { kind: 'unmatchedParenthesis', at: i };
      open.pop();
      i = item(i + 1);
    } else if (c === '|' || c === '^' || c === '$') {
      i = nonItem(i + 1);
    } else if (c === '[') {
      const found = classAt(pattern, i, library);
      if (found === UNDECIDED) return UNDECIDED;
      if ('kind' in found) return found;
      i = item(found.end);
    } else if (c === '*' || c === '+' || c === '?') {
      const problem = quantifier(i);
      if (problem) return problem;
      i++;
    } else if (c === '{') {
      const rest = pattern.slice(i);
      const repeat = QUANTIFIER.exec(rest);
      if (!repeat) {
        if (LOOSE_QUANTIFIER.test(rest)) return UNDECIDED;
        i = item(i + 1);
        continue;
      }
      const last = i + repeat[0].length - 1;
      const min = Number(repeat[1]);
      const max = repeat[2] ? Number(repeat[2]) : undefined;
      if (min > MAX_REPEAT || (max ?? 0) > MAX_REPEAT) return { kind: 'numberTooBig', at: last };
      if (max !== undefined && max < min) return { kind: 'numbersOutOfOrder', at: last };
      const problem = quantifier(last);
      if (problem) return problem;
      i = last + 1;
    } else {
      i = item(i + 1);
    }
  }
  return open.length > 0 ? { kind: 'missingParenthesis', at: pattern.length } : undefined;
}

interface Escape {
  end: number;
  assertion?: boolean;
  /** The character it stands for, when it stands for one known character (for ranges in a class). */
  code?: number;
}

const CONTROL_ESCAPES: Record<string, number> = { a: 7, e: 27, f: 12, n: 10, r: 13, t: 9 };

/** The escape at `start` (a backslash), outside or inside a class. */
function escapeAt(pattern: string, start: number, inClass: boolean): Escape | PcreError | typeof UNDECIDED {
  const c = pattern[start + 1];
  if (c === undefined) return UNDECIDED;
  if (!/[0-9A-Za-z]/.test(c)) return { end: start + 2, code: c.charCodeAt(0) };
  if (UNKNOWN_LETTERS.has(c)) return { kind: 'unrecognizedEscape', at: start + 1 };
  if (CASE_ESCAPES.has(c)) return { kind: 'unsupportedEscape', at: start + 2, pcreAt: start + 1 };
  if (c in CONTROL_ESCAPES) return { end: start + 2, code: CONTROL_ESCAPES[c] };
  if (inClass) {
    // In a class, \b is a backspace; escapes other than of character types and codes are not followed.
    if (c === 'b') return { end: start + 2, code: 8 };
    if (/[dDwWsShHvV]/.test(c)) return { end: start + 2 };
    return /[xopPc0]/.test(c) ? braced(pattern, start, c) : UNDECIDED;
  }
  if (ASSERTION_ESCAPES.has(c)) return { end: start + 2, assertion: true };
  if (c === 'N' && pattern[start + 2] === '{') return UNDECIDED;
  if (CHARACTER_ESCAPES.has(c)) return { end: start + 2 };
  return braced(pattern, start, c);
}

/** Escapes with an argument: \x, \o, \p, \P, \g, \k, \c and numbers (back references or octal). */
function braced(pattern: string, start: number, c: string): Escape | typeof UNDECIDED {
  const rest = pattern.slice(start + 2);
  const argument = {
    x: /^(?:\{[0-9A-Fa-f]{1,2}\}|[0-9A-Fa-f]{0,2})/,
    o: /^\{[0-7]{1,3}\}/,
    p: /^(?:\{\^?\w+\}|[A-Za-z])/,
    P: /^(?:\{\^?\w+\}|[A-Za-z])/,
    g: /^(?:\{-?\w+\}|<\w+>|'\w+'|-?\d+)/,
    k: /^(?:\{\w+\}|<\w+>|'\w+')/,
    c: /^[\x20-\x7e]/,
  }[c];
  if (argument) {
    const found = argument.exec(rest);
    return found ? { end: start + 2 + found[0].length } : UNDECIDED;
  }
  // \0 and octal digits, or a back reference: PCRE and PCRE2 judge references to missing groups otherwise.
  if (c === '0') return { end: start + 2 + (/^[0-7]{0,2}/.exec(rest)?.[0].length ?? 0) };
  return UNDECIDED;
}

interface Group {
  end: number;
  /** A group, closed by a later `)`; else an option setting or a comment, done at `end`. */
  opens: boolean;
  comment?: boolean;
}

/** The group, option setting or comment opened at `start` (a `(`). */
function groupAt(pattern: string, start: number, names: Set<string>): Group | PcreError | typeof UNDECIDED {
  if (pattern[start + 1] === '*') return UNDECIDED;
  if (pattern[start + 1] !== '?') return { end: start + 1, opens: true };
  const kind = pattern.slice(start + 2, start + 4);
  if (kind.startsWith('#')) {
    const close = pattern.indexOf(')', start);
    return close < 0 ? { kind: 'missingCommentEnd', at: pattern.length } : { end: close + 1, opens: false, comment: true };
  }
  if (/^[:=!>]/.test(kind) || kind === '<=' || kind === '<!') return { end: start + 2 + (kind[0] === '<' ? 2 : 1), opens: true };
  const named = /^(?:<|P<|')/.exec(kind);
  if (named) return namedGroupAt(pattern, start + 2 + named[0].length, named[0] === "'" ? "'" : '>', names);
  const options = OPTION_SETTING.exec(pattern.slice(start));
  if (!options || options[1] + (options[2] ?? '') === '') return UNDECIDED;
  return { end: start + options[0].length, opens: options[3] === ':' };
}

/** A named group whose name starts at `nameStart` and ends with `terminator`. */
function namedGroupAt(pattern: string, nameStart: number, terminator: string, names: Set<string>): Group | PcreError | typeof UNDECIDED {
  const name = /^\w*/.exec(pattern.slice(nameStart))![0];
  const end = nameStart + name.length;
  if (name === '' || pattern[end] !== terminator) return UNDECIDED;
  if (/^\d/.test(name)) return { kind: 'nameStartsWithDigit', at: nameStart };
  if (name.length > MAX_NAME) return { kind: 'nameTooLong', at: end };
  if (names.has(name)) return { kind: 'duplicateName', at: end + 1, pcreAt: end };
  names.add(name);
  return { end: end + 1, opens: true };
}

/**
 * PCRE's check_posix_syntax(): whether `[:`, `[.` or `[=` at `start` opens a POSIX class, and
 * where its closing `:]` (or `.]`, `=]`) starts.
 */
function posixEnd(pattern: string, start: number): number | undefined {
  const terminator = pattern[start + 1];
  for (let i = start + 2; i + 1 < pattern.length; i++) {
    if (pattern[i] === '\\' && (pattern[i + 1] === ']' || pattern[i + 1] === '\\')) i++;
    else if ((pattern[i] === '[' && pattern[i + 1] === terminator) || pattern[i] === ']') return undefined;
    else if (pattern[i] === terminator && pattern[i + 1] === ']') return i;
  }
  return undefined;
}

/** The character class opened at `start` (a `[`), up to its end. */
function classAt(pattern: string, start: number, library: PcreLibrary): { end: number } | PcreError | typeof UNDECIDED {
  const posixStart = /^\[[:.=]/.test(pattern.slice(start, start + 2));
  if (posixStart && posixEnd(pattern, start) !== undefined) {
    return pattern[start + 1] === ':' ? { kind: 'posixOutsideClass', at: start } : UNDECIDED;
  }
  let i = start + 1;
  if (pattern[i] === '^') i++;
  // A `]` first is a character of the class.
  let first = true;
  while (i < pattern.length) {
    if (pattern[i] === ']' && !first) return { end: i + 1 };
    first = false;
    const member = memberAt(pattern, i, library);
    if (member === UNDECIDED || 'kind' in member) return member;
    // `a-z`: a range, unless the `-` ends the class.
    if (pattern[member.end] === '-' && member.end + 1 < pattern.length && pattern[member.end + 1] !== ']') {
      if (member.posix) return UNDECIDED;
      const last = memberAt(pattern, member.end + 1, library);
      if (last === UNDECIDED || 'kind' in last) return last;
      if (last.posix || (member.code !== undefined) !== (last.code !== undefined)) return UNDECIDED;
      if (member.code !== undefined && last.code !== undefined && last.code < member.code) return { kind: 'rangeOutOfOrder', at: last.end - 1 };
      i = last.end;
    } else i = member.end;
  }
  return { kind: 'missingBracket', at: pattern.length };
}

/** One member of a class at `start`: a character (with its code), an escape, or a POSIX class. */
function memberAt(pattern: string, start: number, library: PcreLibrary): { end: number; code?: number; posix?: boolean } | PcreError | typeof UNDECIDED {
  const c = pattern[start];
  if (c === '\\') {
    const escape = escapeAt(pattern, start, true);
    if (escape === UNDECIDED || !('kind' in escape)) return escape;
    // PCRE reads an unknown letter (and \F) as the letter itself.
    if (library === 'pcre' && (escape.kind === 'unrecognizedEscape' || pattern[start + 1] === 'F')) return { end: start + 2, code: pattern.charCodeAt(start + 1) };
    return escape;
  }
  if (c === '[' && /^[:.=]$/.test(pattern[start + 1] ?? '')) {
    const end = posixEnd(pattern, start);
    if (end !== undefined) {
      if (pattern[start + 1] !== ':') return { kind: 'collatingElement', at: start };
      const name = pattern.slice(start + 2, end);
      if (name.startsWith('^')) return POSIX_CLASSES.has(name.slice(1)) ? { end: end + 2, posix: true } : UNDECIDED;
      return POSIX_CLASSES.has(name) ? { end: end + 2, posix: true } : { kind: 'unknownPosixClass', at: start + 2 };
    }
  }
  return { end: start + 1, code: c.charCodeAt(0) };
}

/** PCRE's named groups, `(?<name>...)`, `(?P<name>...)` and `(?'name'...)`: nginx makes each a variable. */
const NAMED_GROUP = /\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/g;

const NO_NAMES: readonly string[] = [];

/** The names of the named groups in a pattern (or in any word that may hold one), in order. */
export function namedGroups(text: string): readonly string[] {
  if (!text.includes('(?')) return NO_NAMES;
  let names = namesByPattern.get(text);
  if (names) return names;
  if (namesByPattern.size >= MAX_JUDGED) namesByPattern.clear();
  names = [...text.matchAll(NAMED_GROUP)].map((match) => match[1] ?? match[2]);
  namesByPattern.set(text, names);
  return names;
}

/** Named groups by pattern: a configuration repeats its patterns in every server. Bounded: emptied when full. */
const namesByPattern = new Map<string, readonly string[]>();
