import { specsIn } from '../../context';
import type { DirectiveRule } from './directiveRule';
import { swallowedArgument } from '../file/missingSemicolon';

/**
 * A `;` left out where nginx takes the next line's directive as more arguments and loads the
 * configuration all the same (ngx_conf_read_token() reads words up to `;`): `gzip_types ... text/plain`
 * then `gzip_vary on;` makes two more MIME types, and gzip_vary is never set. Where the handler
 * refuses the words, the argument count or the value is the error (with the same fix).
 */
export const swallowedDirective: DirectiveRule = {
  id: 'swallowed-directive',
  severity: 'warning',
  description: 'A directive that nginx reads as arguments of the line before it, a ";" left out: nginx loads it, and the directive is never set.',
  check(entry, file) {
    const { directive, context, target } = entry;
    if (context.kind !== 'directives' || !directive.terminator) return undefined;
    // Only a name that could stand here: a word of another block's directives is a value.
    const swallowed = swallowedArgument(file, directive, (name) => specsIn(name, context, target).length > 0);
    if (swallowed === undefined) return undefined;
    const word = directive.args[swallowed];
    return {
      message: `"${word.value}" starts a line, but nginx reads it as an argument of "${directive.name.value}": is a ";" missing before it?`,
      span: { start: word.start, end: directive.end },
    };
  },
};
