import { statementSpan } from '../../../../parser';
import { specsIn, type Context } from '../../../context';
import { directiveSpecs } from '../../../knowledge/directives';
import { notAllowedMessage } from '../../directives/notAllowedHere';
import { atIncludedTop } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

const sameContext = (a: Context, b: Context) =>
  a.kind === b.kind && (a.kind !== 'directives' || b.kind !== 'directives' || (a.family === b.family && a.name === b.name));

/**
 * A file included in two blocks of different kinds (`include m.conf;` at the http level and again
 * in a server, or a glob that also matches it there): nginx reads it in each, and refuses a line
 * that the second block does not take (`"map" directive is not allowed here`). A file's own lines
 * are judged in the context of the first reading by not-allowed-here; this rule judges the others.
 */
export const includedNotAllowedHere: LoadRule = {
  id: 'included-not-allowed-here',
  severity: 'error',
  description: 'A directive that a second include of its file puts in a block where nginx does not accept it.',
  check(configuration, target) {
    if (configuration.files.size === 1) return [];
    const problems: LoadProblem[] = [];
    /** The context each included file is first read in. */
    const firstRead = new Map<string, Context>();
    for (const placed of configuration.directives) {
      const { directive, context, file } = placed;
      // The lines of an included file's top level; those of its blocks are judged against their block.
      if (!atIncludedTop(configuration, placed)) continue;
      const first = firstRead.get(file.path);
      if (!first) firstRead.set(file.path, context);
      if (!first || sameContext(first, context) || context.kind !== 'directives' || first.kind !== 'directives') continue;
      const name = directive.name.value;
      const forms = directiveSpecs(name, target);
      // Refused in the first reading too: not-allowed-here says so in the file.
      if (forms.length === 0 || specsIn(name, context, target).length > 0 || specsIn(name, first, target).length === 0) continue;
      problems.push({ at: placed, span: statementSpan(directive), message: notAllowedMessage(name, forms, context.family) });
    }
    return problems;
  },
};
