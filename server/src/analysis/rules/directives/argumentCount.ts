import { statementSpan } from '../../../parser';
import { isKeyword, keywordTail, type KeywordTail } from '../../keywordTail';
import { allowedIn, DATA_BLOCK_SYNTAX, type Context, type DataBlockSyntax } from '../../context';
import type { DirectiveEntry } from '../../directiveIndex';
import { acceptsArgumentCount, directiveSpecs, type DirectiveSpec } from '../../knowledge/directives';
import { compareVersions, parseVersion, type TargetVersion } from '../../knowledge/versions';
import { directiveInfos } from '../../reference';
import { thirdPartyDirective } from '../../thirdParty';
import type { ConfigFile } from '../../workspace';
import type { DirectiveRule } from './directiveRule';
import { swallowedArgument } from '../file/missingSemicolon';

export const argumentCount: DirectiveRule = {
  id: 'invalid-arguments',
  severity: 'error',
  description:
    'A directive given more or fewer arguments than nginx accepts, or the name of another directive where only keywords may stand (a ";" left out).',
  check(entry, file) {
    const { directive } = entry;
    // A statement cut off by a syntax error (end of file, `}`) never reaches ngx_conf_handler().
    if (!directive.terminator) return undefined;
    if (entry.context.kind === 'data') return dataLineProblem(entry);
    if (entry.allowed.length === 0) return undefined;
    if (acceptedByAny(entry.allowed, directive.args.length)) return mergedStatement(entry, file);
    return {
      message: `invalid number of arguments in "${directive.name.value}" directive`,
      span: statementSpan(directive),
    };
  },
};

/** Whether one of the forms takes `count` arguments. Asked of every directive: no closure made. */
function acceptedByAny(forms: readonly DirectiveSpec[], count: number): boolean {
  for (let i = 0; i < forms.length; i++) if (acceptsArgumentCount(forms[i], count)) return true;
  return false;
}

function isFlagOfTarget(syntax: DataBlockSyntax, flag: string, target: TargetVersion): boolean {
  const since = syntax.flagsSince?.[flag];
  return since === undefined || compareVersions(target.version, parseVersion(since)!) >= 0;
}

/** A line of a data block with a number of words that the block's handler rejects. */
function dataLineProblem(entry: DirectiveEntry) {
  const { directive, context } = entry;
  if (context.kind !== 'data') return undefined;
  const syntax = DATA_BLOCK_SYNTAX[context.owner];
  const words = 1 + directive.args.length;
  // `include` in `types` is the include directive (ngx_http_core_type() hands it over); in map
  // and geo it is a key/value line like the others.
  if (syntax.include && directive.name.value === 'include' && words !== 2) {
    return { message: 'invalid number of arguments in "include" directive', span: statementSpan(directive) };
  }
  if (syntax.words === undefined || words === syntax.words) return undefined;
  if (words === 1 && syntax.flags?.includes(directive.name.value) && isFlagOfTarget(syntax, directive.name.value, entry.target)) return undefined;
  return { message: syntax.message ?? 'invalid number of parameters', span: statementSpan(directive) };
}

/**
 * A directive whose syntax allows only keywords after its leading values (`listen`, `ssl_protocols`,
 * `proxy_next_upstream`...) followed, on a later line, by the name of another directive: the `;`
 * between the two was left out, and nginx rejects the word ("invalid parameter" for a handler's
 * parameters, "invalid value" for a keyword list), which we say with the hint. Only directive names
 * that start a line are taken for mistakes: a word the reference does not list may still be one
 * that nginx takes (`listen 80 default`), and `listen 443 http3` on one line is a wrong parameter,
 * the value checks' to name.
 */
function mergedStatement(entry: DirectiveEntry, file: ConfigFile) {
  const { directive } = entry;
  const syntax = keywordSyntax(directive.name.value, entry.context);
  if (!syntax) return undefined;
  const { tails, leading } = syntax;
  const isIntruder = (word: string) => (directiveSpecs(word, entry.target).length > 0 || thirdPartyDirective(word) !== undefined) && tails.every((tail) => !isKeyword(tail, word));
  const swallowed = swallowedArgument(file, directive, isIntruder);
  if (swallowed === undefined || swallowed < leading) return undefined;
  const kind = leading > 0 ? 'parameter' : 'value';
  return {
    message: `invalid ${kind} "${directive.args[swallowed].value}" (is a ";" missing before it?)`,
    span: statementSpan(directive),
  };
}

/** The keyword tails of the documented syntax of the forms allowed here, and the most values before them. */
interface KeywordSyntax {
  tails: KeywordTail[];
  leading: number;
}

/**
 * The keyword syntax of a name in a context, undefined when a form allowed there takes more than
 * keywords (or none is): by context and name, for a large file asks the same few hundred questions
 * 100,000 times (contexts are shared objects, childContext()).
 */
function keywordSyntax(name: string, context: Context): KeywordSyntax | undefined {
  let byName = syntaxByContext.get(context);
  if (!byName) syntaxByContext.set(context, (byName = new Map()));
  if (!byName.has(name)) {
    // The keywords come from the documented syntax of the forms allowed here.
    const tails = directiveInfos(name).filter((info) => allowedIn(info, context)).map(keywordTail);
    const known = tails.length > 0 && tails.every((tail) => tail !== undefined);
    byName.set(name, known ? { tails: tails as KeywordTail[], leading: Math.max(...tails.map((tail) => tail!.leading)) } : undefined);
  }
  return byName.get(name);
}

const syntaxByContext = new WeakMap<Context, Map<string, KeywordSyntax | undefined>>();
