// What a configuration defines and where: user variables (set, map, geo, split_clients...),
// upstreams and named locations, and where each is used. nginx compares variable names
// (ngx_http_add_variable, ngx_http_get_variable_index in ngx_http_variables.c) and upstream names
// (ngx_http_upstream_add in ngx_http_upstream.c) without case, and so do the lookups here.

import { directivesNamed, walk, type Directive, type Span, type Word } from '../parser';
import type { ConfigFile } from './workspace';
import { namedGroups } from './knowledge/pcreSyntax';

export type VariableDefiner = 'set' | 'map' | 'geo' | 'split_clients' | 'perl_set' | 'js_set' | 'set_by_lua_block' | 'set_by_lua';

export interface Definition {
  name: string;
  file: string;
  directive: Directive;
  /** The defining word (`$name` or the upstream/location name). */
  nameSpan: Span;
}

/**
 * The directives that define a variable, and which argument holds it. `geo` takes an optional
 * source address first (ngx_http_geo_module: `geo [$address] $variable { ... }`).
 */
const DEFINED_WORD: ReadonlyMap<string, (args: readonly Word[]) => Word | undefined> = new Map([
  ...['set', 'perl_set', 'js_set', 'set_by_lua', 'set_by_lua_block'].map((name): [string, (args: readonly Word[]) => Word | undefined] => [name, (args) => args[0]]),
  ['map', (args) => args[1]],
  ['split_clients', (args) => args[1]],
  ['geo', (args) => args[args.length - 1]],
]);

const definedVariableWord = (directive: Directive) => DEFINED_WORD.get(directive.name.value)?.(directive.args);

/** `$name` or `${name}` words: the variable names a word uses, with their spans. */
export function variablesIn(word: Word, text: string): Array<{ name: string; span: Span }> {
  // Scanned from the source text so spans are exact even inside quotes.
  const source = text.slice(word.start, word.end);
  const found: Array<{ name: string; span: Span }> = [];
  const pattern = /\$(?:\{(\w+)\}|(\w+))/g;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const start = word.start + match.index;
    found.push({ name: match[1] ?? match[2], span: { start, end: start + match[0].length } });
  }
  return found;
}

/** A name as nginx compares it: without case. */
export const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function variableDefinitions(files: readonly ConfigFile[]): Definition[] {
  const definitions: Definition[] = [];
  for (const file of files) {
    const definers = [...DEFINED_WORD.keys()].flatMap((name) => directivesNamed(file.tree, name)).sort((a, b) => a.start - b.start);
    for (const directive of definers) {
      const word = definedVariableWord(directive);
      if (word?.value.startsWith('$')) definitions.push({ name: word.value.replace(/^\$\{?|\}$/g, ''), file: file.path, directive, nameSpan: word });
    }
  }
  return definitions;
}

/** The directives whose first argument names an upstream (after an optional scheme). */
export const PASS_DIRECTIVES = new Set(['proxy_pass', 'fastcgi_pass', 'grpc_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass']);

/** The upstream name a `*_pass` argument refers to, with its span: `http://backend/path` → backend. */
export function upstreamReference(directive: Directive): { name: string; span: Span } | undefined {
  const target = directive.args[0];
  if (!PASS_DIRECTIVES.has(directive.name.value) || !target || target.quote) return undefined;
  const match = /^(?:[a-z]+:\/\/)?([\w.-]+)/.exec(target.value);
  if (!match || target.value.includes('$')) return undefined;
  const start = target.start + match[0].length - match[1].length;
  return { name: match[1], span: { start, end: start + match[1].length } };
}

export function upstreamDefinitions(files: readonly ConfigFile[]): Definition[] {
  const definitions: Definition[] = [];
  for (const file of files) {
    for (const directive of directivesNamed(file.tree, 'upstream')) {
      const name = directive.args[0];
      if (directive.block && name) definitions.push({ name: name.value, file: file.path, directive, nameSpan: name });
    }
  }
  return definitions;
}

/** `location @name { }` blocks, by name with the `@`. */
export function namedLocations(files: readonly ConfigFile[]): Definition[] {
  const definitions: Definition[] = [];
  for (const file of files) {
    for (const directive of directivesNamed(file.tree, 'location')) {
      const name = directive.args[0];
      if (name?.value.startsWith('@')) definitions.push({ name: name.value, file: file.path, directive, nameSpan: name });
    }
  }
  return definitions;
}

export interface Reference {
  file: string;
  span: Span;
}

/**
 * Every use of the user variable `name` (not its definitions), but those that a named capture of
 * an enclosing regex binds: there `$name` is the capture.
 */
export function variableReferences(files: readonly ConfigFile[], name: string): Reference[] {
  const references: Reference[] = [];
  for (const file of files) {
    walk(file.tree.root, (directive, ancestors) => {
      const defining = definedVariableWord(directive);
      for (const word of directive.args) {
        if (word === defining) continue;
        for (const variable of variablesIn(word, file.text)) {
          if (sameName(variable.name, name) && !capturingRegex(directive, ancestors, name)) {
            references.push({ file: file.path, span: variable.span });
          }
        }
      }
    });
  }
  return references;
}

/** Every variable name a configuration uses, defines or captures (lower case, as nginx compares). */
export function variableNamesIn(files: readonly ConfigFile[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    walk(file.tree.root, (directive) => {
      for (const word of [directive.name, ...directive.args]) {
        for (const variable of variablesIn(word, file.text)) names.add(variable.name.toLowerCase());
        for (const capture of namedCaptures(word)) names.add(capture.toLowerCase());
      }
    });
  }
  return names;
}

/** A word's named groups: nginx makes each a variable (ngx_http_regex_compile() in ngx_http_variables.c) set by the match. */
const namedCaptures = (word: Word): readonly string[] => namedGroups(word.value);

/**
 * The words of a block directive that may hold a regex whose captures bind variables inside it:
 * `location ~ regex`, `if ($var ~ regex)`, and a server's `server_name ~regex`.
 */
function scopeRegexWords(scope: Directive): readonly Word[] {
  switch (scope.name.value) {
    case 'location':
    case 'if':
      return scope.args;
    case 'server':
      return (scope.block?.children ?? []).flatMap((child) =>
        child.kind === 'directive' && child.name.value === 'server_name' ? child.args.filter((arg) => arg.value.startsWith('~')) : []);
    default:
      return [];
  }
}

/**
 * The regex whose named capture `name` binds a use of `$name` in `directive` (innermost first):
 * the key of a `map` entry for its value, the regex of a `rewrite` for its replacement, that of an
 * enclosing `location` or `if`, or a `server_name` regex of the enclosing `server`.
 */
export function capturingRegex(directive: Directive, ancestors: readonly Directive[], name: string): Word | undefined {
  const captures = (word: Word) => namedCaptures(word).some((capture) => sameName(capture, name));
  const parent = ancestors[ancestors.length - 1];
  if (parent?.name.value === 'map' && directive.name.value.startsWith('~') && captures(directive.name)) return directive.name;
  if (directive.name.value === 'rewrite' && directive.args[0] && captures(directive.args[0])) return directive.args[0];
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const binder = scopeRegexWords(ancestors[i]).find(captures);
    if (binder) return binder;
  }
  return undefined;
}

/** Every host that a `*_pass` directive names, an upstream's or not. */
export function passReferences(files: readonly ConfigFile[]): Array<Reference & { name: string }> {
  const references: Array<Reference & { name: string }> = [];
  for (const file of files) {
    walk(file.tree.root, (directive) => {
      const reference = upstreamReference(directive);
      if (reference) references.push({ file: file.path, ...reference });
    });
  }
  return references;
}

export function upstreamReferences(files: readonly ConfigFile[], name: string): Reference[] {
  return passReferences(files).filter((reference) => sameName(reference.name, name)).map(({ file, span }) => ({ file, span }));
}
