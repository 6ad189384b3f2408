import { statementSpan, type Directive } from '../../../../parser';
import { namedGroups, pcreCompileError } from '../../../knowledge/pcreSyntax';
import { compiledRegexes, pcreLibraryOf } from '../../../knowledge/regexWords';
import { isFixedVariable } from '../../../knowledge/variables';
import type { TargetVersion } from '../../../knowledge/versions';
import type { Context } from '../../../context';
import { placedNamed, type Placed } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';
import { DEFINED_ARGUMENT } from './unknownVariable';

const VARIABLE = /^\$(\w+)$/;

/** The directives whose regexes' named groups become variables (ngx_http_regex_compile() callers). */
const MAP_LINE: Context = { kind: 'data', owner: 'map' };

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
    // Named groups are rare: a configuration none of whose files holds `(?` is not read for them.
    if (![...configuration.files.values()].some((file) => file.text.includes('(?'))) return problems;
    for (const name of CAPTURING_DIRECTIVES) {
      for (const placed of placedNamed(configuration, name)) if (mayNameGroups(placed.directive)) problems.push(...namedGroupProblems(placed, placed.directive, target));
    }
    // A map's regex keys: its lines, shown in the map's file (a line an include inside the map reads is not judged).
    for (const map of placedNamed(configuration, 'map')) {
      for (const line of map.directive.block?.children ?? []) {
        if (line.kind === 'directive' && line.name.value.startsWith('~') && mayNameGroups(line)) problems.push(...namedGroupProblems(map, line, target));
      }
    }
    return problems;
  },
};

/** A directive with a word that may hold a named group: `(?<`, `(?'` or `(?P<`. A prefix location (most of them) has none. */
function mayNameGroups({ name, args }: Directive): boolean {
  if (name.value === 'location' && !args[0]?.value.startsWith('~')) return false;
  if (name.value.includes('(?')) return true;
  for (let i = 0; i < args.length; i++) if (args[i].value.includes('(?')) return true;
  return false;
}

/** The named groups of `directive`'s regexes that take a fixed variable's name; `placed` is the directive, or the map whose line it is. */
function namedGroupProblems(placed: Placed, directive: Directive, target: TargetVersion): LoadProblem[] {
  const isMapLine = directive !== placed.directive;
  const family = placed.context;
  if (family.kind !== 'directives' || (family.family !== 'http' && family.family !== 'stream')) return [];
  const problems: LoadProblem[] = [];
  for (const { word, pattern, capturesVariables } of compiledRegexes(directive, isMapLine ? MAP_LINE : family)) {
    const names = capturesVariables ? namedGroups(pattern) : [];
    // A regex that does not compile stops nginx before its groups are added (invalid-regex).
    if (names.length === 0 || pcreCompileError(pattern, pcreLibraryOf(target))) continue;
    for (const name of names) {
      if (isFixedVariable(name.toLowerCase(), family.family, target)) problems.push({ at: placed, span: { start: word.start, end: word.end }, message: `the duplicate "${name}" variable` });
    }
  }
  return problems;
}
