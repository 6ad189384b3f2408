import { statementSpan } from '../../../parser';
import { namedGroups, pcreCompileError } from '../../knowledge/pcreSyntax';
import { compiledRegexes, pcreLibraryOf } from '../../knowledge/regexWords';
import { isFixedVariable } from '../../knowledge/variables';
import type { TargetVersion } from '../../knowledge/versions';
import { placedNamed, type Configuration, type Placed } from './configuration';
import type { LoadProblem, LoadRule } from './rule';
import { DEFINED_ARGUMENT } from './unknownVariable';

const VARIABLE = /^\$(\w+)$/;

/** The directives whose regexes' named groups become variables (ngx_http_regex_compile() callers). */
const CAPTURING_DIRECTIVES = ['location', 'server_name', 'rewrite', 'if', 'proxy_redirect', 'proxy_cookie_path', 'proxy_cookie_domain', 'proxy_cookie_flags'];

/**
 * `set`, `map`, `geo`, `split_clients`, `auth_request_set`, `perl_set` or `js_set` defining a variable
 * that nginx itself defines and does not let change, such as `$host` or `$server_name`:
 * ngx_http_add_variable() (and ngx_stream_add_variable()) finds the built-in one and refuses it
 * without NGX_HTTP_VAR_CHANGEABLE. nginx names the directive, and the name as written. So does a
 * regex's named group (`location ~ ^/(?<uri>.*)`), which ngx_http_regex_compile() adds as a changeable variable.
 */
export const duplicateVariable: LoadRule = {
  id: 'duplicate-variable',
  severity: 'error',
  description: 'A set, map, geo or other definition of a variable that nginx defines and does not let change ($host, $server_name...).',
  check(configuration, target) {
    const problems: LoadProblem[] = [];
    for (const [name, defined] of DEFINED_ARGUMENT) {
      for (const placed of placedNamed(configuration, name)) {
        const { directive, context } = placed;
        if (context.kind !== 'directives' || (context.family !== 'http' && context.family !== 'stream')) continue;
        const variable = VARIABLE.exec(defined(directive.args)?.value ?? '')?.[1];
        if (variable && isFixedVariable(variable.toLowerCase(), context.family, target)) {
          problems.push({ at: placed, span: statementSpan(directive), message: `the duplicate "${variable}" variable` });
        }
      }
    }
    for (const placed of capturingPlaced(configuration)) problems.push(...namedGroupProblems(placed, target));
    return problems;
  },
};

/** The directives whose regexes may name groups: the capturing directives and the regex keys of maps (in no particular order). */
function capturingPlaced(configuration: Configuration): Placed[] {
  const found = CAPTURING_DIRECTIVES.flatMap((name) => placedNamed(configuration, name));
  for (const [name, placed] of configuration.byName) if (name.startsWith('~')) found.push(...placed);
  return found;
}

function namedGroupProblems(placed: Placed, target: TargetVersion): LoadProblem[] {
  const { directive, context } = placed;
  const family = context.kind === 'data' ? placed.parent?.context : context;
  if (family?.kind !== 'directives' || (family.family !== 'http' && family.family !== 'stream')) return [];
  const problems: LoadProblem[] = [];
  for (const { word, pattern, capturesVariables } of compiledRegexes(directive, context)) {
    const names = capturesVariables ? namedGroups(pattern) : [];
    // A regex that does not compile stops nginx before its groups are added (invalid-regex).
    if (names.length === 0 || pcreCompileError(pattern, pcreLibraryOf(target))) continue;
    for (const name of names) {
      if (isFixedVariable(name.toLowerCase(), family.family, target)) problems.push({ at: placed, span: { start: word.start, end: word.end }, message: `the duplicate "${name}" variable` });
    }
  }
  return problems;
}
