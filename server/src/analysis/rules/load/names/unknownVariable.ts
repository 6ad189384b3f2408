import { detached, statementSpan, type Word } from '../../../../parser';
import { variablesIn } from '../../../definitions';
import { eolOf, indentUnit, insertLinesIntoBlock } from '../../../edits';
import type { Fix, TextEdit } from '../../../types';
import { CONNECTION_UPGRADE_VARIABLE, connectionUpgradeMap } from '../../../websocket/fixes';
import { directiveInfos } from '../../../reference';
import { thirdPartyDirective } from '../../../thirdParty';
import { isBuiltinVariable, isKnownModule } from './builtinVariables';
import type { VariableFamily } from '../../../knowledge/variables';
import { namedGroups } from '../../../knowledge/pcreSyntax';
import { COMPILED_ARGUMENTS, COMPILED_WHEN_MERGED } from '../../../knowledge/scripts';
import { routingModel, type RouteServer } from '../../../routing';
import { isHttpServer, placedNamed, treeOf, type Configuration, type Placed } from '../configuration';
import { unlessUnreadInclude, type LoadProblem, type LoadRule } from '../rule';

/** The word that a known directive defines (ngx_http_rewrite_set(), ngx_http_map_block(), ngx_http_perl_set()...). */
export const DEFINED_ARGUMENT: ReadonlyMap<string, (args: readonly Word[]) => Word | undefined> = new Map([
  ['set', (args) => args[0]],
  ['auth_request_set', (args) => args[0]],
  ['perl_set', (args) => args[0]],
  ['js_set', (args) => args[0]],
  ['map', (args) => args[1]],
  ['split_clients', (args) => args[1]],
  ['geo', (args) => args[args.length - 1]],
]);

const MEMCACHED_KEY = 'memcached_key';

const WHOLE_VARIABLE = /^\$(?:\{(\w+)\}|(\w+))$/;

const variableName = (word: Word) => {
  const match = word.value.startsWith('$') ? WHOLE_VARIABLE.exec(word.value) : null;
  return match && (match[1] ?? match[2]).toLowerCase();
};

function addNamedCaptures(word: Word, add: (name: string) => void) {
  for (const name of namedGroups(word.value)) add(name);
}

/**
 * The variable names a directive defines. Conservative: besides the known definers, any `$name`
 * argument of a directive that does not compile its arguments counts (perl_set, js_set,
 * set_by_lua*, third-party modules'), and so does a directive named `$name` (geoip2's block lines).
 */
function addDefinedBy({ directive, context }: Placed, add: (name: string | null | undefined) => void): void {
  const { args } = directive;
  for (let j = 0; j < args.length; j++) addNamedCaptures(args[j], add);
  addNamedCaptures(directive.name, add);
  add(variableName(directive.name));
  const name = directive.name.value;
  if (context.kind === 'data' && context.owner === 'map') return;
  const defining = DEFINED_ARGUMENT.get(name);
  if (defining) {
    const word = defining(args);
    if (word) add(variableName(word));
  } else if (!COMPILED_ARGUMENTS.has(name)) {
    for (let j = 0; j < args.length; j++) add(variableName(args[j]));
  }
}

/**
 * Whether the configuration defines a variable, asked of the known definers first (found by name):
 * every directive is read only for a name they do not define, which a configuration without
 * problems has none of (the pass over every directive took 15 ms of each edit of the bench's file).
 */
function definitions(configuration: Configuration): (name: string) => boolean {
  const adderTo = (names: Set<string>) => (name: string | null | undefined) => name && names.add(name.toLowerCase());
  const byDefiners = new Set<string>();
  const addByDefiners = adderTo(byDefiners);
  for (const name of DEFINED_ARGUMENT.keys()) {
    for (const placed of placedNamed(configuration, name)) addDefinedBy(placed, addByDefiners);
  }
  let byAll: Set<string> | undefined;
  return (name) => {
    if (byDefiners.has(name)) return true;
    if (!byAll) {
      byAll = new Set();
      const addByAll = adderTo(byAll);
      const { directives } = configuration;
      for (let i = 0; i < directives.length; i++) addDefinedBy(directives[i], addByAll);
    }
    return byAll.has(name);
  };
}

/**
 * The configuration loads a module we do not know, or uses a directive of one (declared in
 * nginx.extraDirectives, or misspelt): that module may define variables.
 */
function usesUnknownModule(configuration: Configuration): boolean {
  // By name: a configuration has thousands of directives and tens of names.
  for (const [name, placed] of configuration.byName) {
    if (name === 'load_module') {
      if (placed.some(({ directive }) => directive.args.length > 0 && !isKnownModule(directive.args[0].value))) return true;
    } else if (!name.startsWith('$') && directiveInfos(name).length === 0 && !thirdPartyDirective(name) && placed.some(({ context }) => context.kind !== 'data')) {
      return true;
    }
  }
  return false;
}

/** No words: shared, as most of a configuration's directives compile none (unknownVariable asks of each). */
const NO_WORDS: readonly Word[] = [];

/** The words of a directive that nginx compiles; a map's lines compile their value (ngx_http_map()). */
function compiledWords({ directive, context }: Placed, hasServers: () => boolean): readonly Word[] {
  if (context.kind === 'data') return context.owner === 'map' ? directive.args.slice(0, 1) : NO_WORDS;
  const pick = COMPILED_ARGUMENTS.get(directive.name.value);
  if (!pick) return NO_WORDS;
  const merged = COMPILED_WHEN_MERGED.has(directive.name.value) && context.kind === 'directives' && context.name === 'http';
  return merged && !hasServers() ? NO_WORDS : pick(directive.args);
}

/**
 * The tree a directive stands in when a block says so (an `http` or `stream` block around it, read in
 * place through includes); undefined for a fragment read alone, whose tree is a guess.
 */
const variableTreeOf = (placed: Placed) => treeOf(placed)?.directive.name.value as VariableFamily | undefined;

/** The http block a directive stands in, if the configuration has one. */
function httpBlockOf(placed: Placed): Placed | undefined {
  let at = placed.parent;
  while (at && at.directive.name.value !== 'http') at = at.parent;
  return at;
}

/**
 * `$connection_upgrade` undefined: the map idiom that defines it, at the http level: in the http
 * block, or at the top of a fragment read at the http level (conf.d/app.conf).
 */
function connectionUpgradeFix(configuration: Configuration, placed: Placed): Fix[] {
  const http = httpBlockOf(placed);
  const { start, top } = configuration;
  let edit: TextEdit;
  if (http?.directive.block) edit = insertLinesIntoBlock(http.file, http.directive, [], connectionUpgradeMap(indentUnit(http.file)));
  else if (!http && top.kind === 'directives' && top.name === 'http') {
    const eol = eolOf(start);
    edit = { file: start.path, span: { start: 0, end: 0 }, newText: connectionUpgradeMap(indentUnit(start)).join(eol) + eol + eol };
  } else return [];
  return [{ title: `Add the map $http_upgrade $${CONNECTION_UPGRADE_VARIABLE} at http level`, edits: [edit], preferred: true }];
}

/**
 * The variable names each http server's directives use where nginx compiles them, kept with the
 * server's routing, which the routing model keeps over an edit that leaves the server alone: a
 * server whose names are all defined is not read again (reading every directive took 14 ms of each
 * edit of the bench's 4.4 MB file).
 */
const namesUsedByServer = new WeakMap<RouteServer, ReadonlySet<string>>();

/**
 * A variable used where nginx compiles it that nothing defines (ngx_http_variables.c,
 * ngx_http_variables_init_vars(), and ngx_stream_variables.c's: checked once the whole
 * configuration is read, so where it is defined does not matter). nginx names no line; the use is
 * marked. Names that start with a digit are regex captures (`$1`) or words nginx reads otherwise.
 * A module we do not know may define anything: nothing is said then. An include the workspace
 * cannot read may too: the problems are warnings that say so (a typo such as `$hoost` is still seen).
 */
export const unknownVariable: LoadRule = {
  id: 'unknown-variable',
  severity: 'error',
  description: 'A variable that no map, set, geo or other definition of the configuration defines.',
  check(configuration, target) {
    if (usesUnknownModule(configuration)) return [];
    let isDefined: ((name: string) => boolean) | undefined;
    let servers: boolean | undefined;
    const hasServers = () => (servers ??= placedNamed(configuration, 'server').some(isHttpServer));
    // Asked once per name and tree: the same few variables are used thousands of times. A definition
    // counts in any tree (a map of the http block defines nothing in stream's: a miss, not a false Error).
    const known = new Map<string, boolean>();
    const isKnown = (name: string, tree: VariableFamily | undefined) => {
      const key = tree ? `${tree} ${name}` : name;
      let answer = known.get(key);
      if (answer === undefined) known.set(key, (answer = /^\d/.test(name) || isBuiltinVariable(name, target, tree) || (isDefined ??= definitions(configuration))(name)));
      return answer;
    };
    // The names kept per server are copies: a name cut from the text would keep that version of the
    // whole file alive for as long as the server's names are kept.
    const copies = new Map<string, string>();
    const copyOf = (name: string) => {
      let copy = copies.get(name);
      if (copy === undefined) copies.set(name, (copy = detached(name)));
      return copy;
    };
    const problems: LoadProblem[] = [];
    const { directives } = configuration;
    /** Judges the directives from index `from` to `to` (in `tree`, when a server's), adding the names they use to `used`. */
    const judge = (from: number, to: number, used?: Set<string>, serverTree?: VariableFamily) => {
      // Indexed loops: the first analysis of a file runs this before V8 has optimized it, and a
      // for-of step then allocates (a tenth of this rule's time on 120,000 directives).
      for (let i = from; i < to; i++) {
        const placed = directives[i];
        const words = compiledWords(placed, hasServers);
        for (let j = 0; j < words.length; j++) {
          const word = words[j];
          if (!word.value.includes('$')) continue;
          const tree = used ? serverTree : variableTreeOf(placed);
          for (const variable of variablesIn(word, placed.file.text)) {
            const name = variable.name.toLowerCase();
            used?.add(copyOf(name));
            if (isKnown(name, tree)) continue;
            const fixes = name === CONNECTION_UPGRADE_VARIABLE ? connectionUpgradeFix(configuration, placed) : [];
            problems.push({ at: placed, span: variable.span, message: `unknown "${name}" variable`, ...(fixes.length > 0 ? { fixes } : {}) });
          }
        }
      }
    };
    // Each http server's block follows it in reading order (routing model).
    let next = 0;
    for (const server of routingModel(configuration).servers) {
      const inside = server.placed.order + 1;
      judge(next, inside);
      next = inside + server.directives;
      const tree = variableTreeOf(server.placed);
      const names = namesUsedByServer.get(server);
      if (names && [...names].every((name) => isKnown(name, tree))) continue;
      const used = new Set<string>();
      judge(inside, next, used, tree);
      namesUsedByServer.set(server, used);
    }
    judge(next, directives.length);
    // memcached_pass reads the key from $memcached_key, which the configuration must define
    // (ngx_http_memcached_pass(): ngx_http_get_variable_index(cf, &ngx_http_memcached_key)).
    for (const placed of placedNamed(configuration, 'memcached_pass')) {
      if (!isKnown(MEMCACHED_KEY, undefined)) problems.push({ at: placed, span: statementSpan(placed.directive), message: `unknown "${MEMCACHED_KEY}" variable` });
    }
    return configuration.unresolved.size > 0 ? problems.map(unlessUnreadInclude) : problems;
  },
};
