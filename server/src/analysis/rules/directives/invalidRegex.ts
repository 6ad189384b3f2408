import { pcreCompileError } from '../../knowledge/pcreSyntax';
import { compiledRegexes, pcreLibraryOf } from '../../knowledge/regexWords';
import type { DirectiveRule } from './directiveRule';

/**
 * A regular expression that PCRE refuses to compile, as nginx reads the directive (a location, a
 * rewrite, an `if`, a map key, a server name...): `nginx -t` stops with PCRE's error, which names
 * PCRE2 from nginx 1.21.5 on and PCRE before (knowledge/pcreSyntax.ts).
 */
export const invalidRegex: DirectiveRule = {
  id: 'invalid-regex',
  severity: 'error',
  description: 'A regular expression that PCRE cannot compile (an unclosed parenthesis or class, a quantifier with nothing to repeat...).',
  check(entry) {
    const regexes = compiledRegexes(entry.directive, entry.context);
    for (let i = 0; i < regexes.length; i++) {
      const { word, pattern } = regexes[i];
      const message = pcreCompileError(pattern, pcreLibraryOf(entry.target));
      if (message) return { message, span: { start: word.start, end: word.end } };
    }
    return undefined;
  },
};
