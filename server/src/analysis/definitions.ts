// What a configuration defines and where: user variables (set, map, geo, split_clients...),
// upstreams and named locations, and where each is used.

import { directivesNamed, walk, type Directive, type Span, type Word } from '../parser';
import type { ConfigFile } from './workspace';

export type VariableDefiner = 'set' | 'map' | 'geo' | 'split_clients' | 'perl_set' | 'js_set' | 'set_by_lua_block' | 'set_by_lua';

export interface Definition {
  name: string;
  file: string;
  directive: Directive;
  /** The defining word (`$name` or the upstream/location name). */
  nameSpan: Span;
}

/**
 * Which argument holds the variable each directive defines. `geo` takes an optional source
 * address first (ngx_http_geo_module: `geo [$address] $variable { ... }`).
 */
function definedVariableWord(directive: Directive): Word | undefined {
  switch (directive.name.value) {
    case 'set':
    case 'perl_set':
    case 'js_set':
    case 'set_by_lua':
    case 'set_by_lua_block':
      return directive.args[0];
    case 'map':
    case 'split_clients':
      return directive.args[1];
    case 'geo':
      return directive.args[directive.args.length - 1];
    default:
      return undefined;
  }
}

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

export function variableDefinitions(files: readonly ConfigFile[]): Definition[] {
  const definitions: Definition[] = [];
  for (const file of files) {
    walk(file.tree.root, (directive) => {
      const word = definedVariableWord(directive);
      if (!word?.value.startsWith('$')) return;
      definitions.push({ name: word.value.replace(/^\$\{?|\}$/g, ''), file: file.path, directive, nameSpan: word });
    });
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
    for (const directive of directivesNamed(file.tree.root, 'upstream')) {
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
    for (const directive of directivesNamed(file.tree.root, 'location')) {
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

/** Every use of the user variable `name` (not its definitions). */
export function variableReferences(files: readonly ConfigFile[], name: string): Reference[] {
  const references: Reference[] = [];
  for (const file of files) {
    walk(file.tree.root, (directive) => {
      const defining = definedVariableWord(directive);
      for (const word of directive.args) {
        if (word === defining) continue;
        for (const variable of variablesIn(word, file.text)) {
          if (variable.name === name) references.push({ file: file.path, span: variable.span });
        }
      }
    });
  }
  return references;
}

export function upstreamReferences(files: readonly ConfigFile[], name: string): Reference[] {
  const references: Reference[] = [];
  for (const file of files) {
    walk(file.tree.root, (directive) => {
      const reference = upstreamReference(directive);
      if (reference?.name === name) references.push({ file: file.path, span: reference.span });
    });
  }
  return references;
}
