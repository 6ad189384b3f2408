import { addNamed, statementSpan } from '../../../../parser';
import { specsIn } from '../../../context';
import { repetitionOf } from '../../directives/duplicateDirective';
import { atIncludedTop, type Configuration, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * A directive that nginx takes once per block, repeated where an include adds lines to the block:
 * ngx_conf_parse() reads the included file where the `include` stands, so its lines are the block's,
 * and the handler finds the field set as it would in one file (`"server_tokens" directive is
 * duplicate`). A repetition within one file is duplicate-directive's.
 */
export const includedDuplicateDirective: LoadRule = {
  id: 'included-duplicate-directive',
  severity: 'error',
  description: 'A directive that nginx takes once per block, repeated in a block that an include adds lines to.',
  check(configuration, target) {
    const problems: LoadProblem[] = [];
    for (const lines of blocksAnIncludeAddsTo(configuration)) {
      const firstOfName = new Map<string, Placed>();
      const readingOf = new Map<Placed['directive'], Placed>();
      lines.forEach((placed, i) => {
        const { directive, context } = placed;
        const name = directive.name.value;
        const first = firstOfName.get(name);
        if (!first) firstOfName.set(name, placed);
        if (!readingOf.has(directive)) readingOf.set(directive, placed);
        if (context.kind !== 'directives') return;
        const allowed = specsIn(name, context, target);
        // Sliced only for the few names whose handlers look at other lines (repetitionOf()).
        const before = () => lines.slice(0, i);
        const repetition = repetitionOf(directive, allowed, first?.directive, () => before().map((line) => line.directive));
        if (!repetition) return;
        // What the same file puts before it in the block: a repetition there is duplicate-directive's.
        const inFile = before().filter((line) => line.file.path === placed.file.path && line.directive.start < directive.start);
        const inFileRepeats = inFile.find((line) => line.directive.name.value === name)?.directive;
        if (repetitionOf(directive, allowed, inFileRepeats, () => inFile.map((line) => line.directive))) return;
        problems.push({ at: placed, span: statementSpan(directive), message: repetition.message, first: readingOf.get(repetition.earlier), firstMessage: 'specified earlier here' });
      });
    }
    return problems;
  },
};

/** The lines, in reading order, of each block (or top level) that holds lines of more than one file. */
function blocksAnIncludeAddsTo(configuration: Configuration): Placed[][] {
  if (configuration.files.size === 1) return [];
  const added = new Set<Placed | undefined>();
  for (const placed of configuration.directives) if (atIncludedTop(configuration, placed)) added.add(placed.parent);
  const lines = new Map<Placed | undefined, Placed[]>();
  for (const placed of configuration.directives) if (added.has(placed.parent)) addNamed(lines, placed.parent, placed);
  return [...lines.values()];
}
