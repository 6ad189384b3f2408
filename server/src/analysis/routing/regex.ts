// nginx's PCRE regular expressions as JavaScript ones, where the two agree. Both match bytes here:
// the pattern is taken as UTF-8 bytes and no `u` flag is set, as nginx compiles without PCRE_UTF8.

import { toBytes } from './uri';

/**
 * PCRE syntax that JavaScript reads otherwise or not at all: `\A`, `\Z`, `\z`, `\G`, `\Q...\E`,
 * `\h`, `\R`, `\K`, possessive quantifiers, atomic groups, branch resets, recursion, POSIX classes,
 * inline flags after the start. A pattern with any of them is not decided.
 */
const PCRE_ONLY = /\\[AZzGQEhRK]|[*+?}]\+|\(\?[>|R0-9+&]|\[\[:|.\(\?[a-zA-Z-]+\)/;

/**
 * A quantified group with a quantifier inside (`(a+)+`, `(\w*)*`): it can backtrack exponentially.
 * PCRE stops at its match limit, JavaScript would not stop at all, so such a pattern is not decided.
 */
const NESTED_QUANTIFIER = /\([^()]*[*+}][^()]*\)[*+{]/;

/**
 * Patterns compiled so far, by flag and pattern: a configuration repeats its regexes in every server
 * (`~ \.php$`), and the routing model and the rules compile each location's. A RegExp without the
 * `g` or `y` flag keeps no state between tests, so one object serves them all. Bounded: emptied when full.
 */
const compiled = new Map<string, RegExp | undefined>();
const MAX_COMPILED = 10_000;

/** The pattern as a RegExp (caseless: `~*`), or undefined when JavaScript cannot match it as PCRE does. */
export function compilePcre(pattern: string, caseless: boolean): RegExp | undefined {
  const key = (caseless ? 'i/' : '/') + pattern;
  if (compiled.has(key)) return compiled.get(key);
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  const regex = translated(pattern, caseless);
  compiled.set(key, regex);
  return regex;
}

function translated(pattern: string, caseless: boolean): RegExp | undefined {
  let source = pattern;
  let flags = caseless ? 'i' : '';
  // A leading `(?i)` sets the flag for the whole pattern, as `~*` does.
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  if (PCRE_ONLY.test(source) || NESTED_QUANTIFIER.test(source)) return undefined;
  // Python-style named groups, which PCRE also reads.
  source = source.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  try {
    return new RegExp(toBytes(source), flags);
  } catch {
    return undefined;
  }
}
