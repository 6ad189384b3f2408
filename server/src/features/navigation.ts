// Go to definition, references, rename and include links: over the names a configuration
// defines (upstreams, user variables, named locations) and the files it includes. A rename checks
// the new name and refuses, with a reason, one nginx would read otherwise or that already exists.

import { directiveAt, type Span, type Word } from '../parser';
import { allVariables } from './docs';
import {
  capturingRegex,
  namedLocations,
  passReferences,
  sameName,
  upstreamDefinitions,
  upstreamReference,
  upstreamReferences,
  variableDefinitions,
  variableNamesIn,
  variableReferences,
  variablesIn,
  type Definition,
} from '../analysis/definitions';
import type { TextEdit } from '../analysis/types';
import type { ConfigFile, Workspace } from '../analysis/workspace';

export interface Location {
  file: string;
  span: Span;
}

export type Symbol =
  | { kind: 'variable'; name: string; span: Span }
  | { kind: 'upstream'; name: string; span: Span }
  | { kind: 'namedLocation'; name: string; span: Span }
  | { kind: 'include'; pattern: string; span: Span }
  /** A `$name` that a named capture of an enclosing regex binds (`regex`). */
  | { kind: 'capture'; name: string; span: Span; regex: Word };

const inside = (span: Span, offset: number) => span.start <= offset && offset <= span.end;

/** The name under the cursor, if it is one the configuration defines or includes. */
export function symbolAt(file: ConfigFile, offset: number): Symbol | undefined {
  const chain = directiveAt(file.tree.root, offset);
  const directive = chain[chain.length - 1];
  if (!directive) return undefined;
  const word = directive.args.find((arg) => inside(arg, offset));
  if (!word) return undefined;
  const name = directive.name.value;
  if (name === 'include') return { kind: 'include', pattern: word.value, span: word };
  if (name === 'upstream' && word === directive.args[0]) return { kind: 'upstream', name: word.value, span: word };
  const upstream = upstreamReference(directive);
  if (upstream && inside(upstream.span, offset)) return { kind: 'upstream', ...upstream };
  if (word.value.startsWith('@')) return { kind: 'namedLocation', name: word.value, span: word };
  const variable = variablesIn(word, file.text).find(({ span }) => inside(span, offset));
  if (!variable) return undefined;
  const regex = capturingRegex(directive, chain.slice(0, -1), variable.name);
  return regex ? { kind: 'capture', ...variable, regex } : { kind: 'variable', ...variable };
}

function definitionsOf(symbol: Symbol, configuration: readonly ConfigFile[]): Definition[] {
  switch (symbol.kind) {
    case 'variable':
      return variableDefinitions(configuration).filter((d) => sameName(d.name, symbol.name));
    case 'upstream':
      return upstreamDefinitions(configuration).filter((d) => sameName(d.name, symbol.name));
    case 'namedLocation':
      return namedLocations(configuration).filter((d) => d.name === symbol.name);
    case 'include':
    case 'capture':
      return [];
  }
}

export function definition(file: ConfigFile, offset: number, configuration: readonly ConfigFile[], workspace: Workspace): Location[] {
  const symbol = symbolAt(file, offset);
  if (!symbol) return [];
  if (symbol.kind === 'include') {
    return workspace.resolveInclude(symbol.pattern, file.path).map((target) => ({ file: target, span: { start: 0, end: 0 } }));
  }
  if (symbol.kind === 'capture') return [{ file: file.path, span: symbol.regex }];
  return definitionsOf(symbol, configuration).map((d) => ({ file: d.file, span: d.nameSpan }));
}

/** Uses of the upstream or user variable under the cursor (and its definitions when asked). */
export function references(file: ConfigFile, offset: number, configuration: readonly ConfigFile[], includeDeclaration: boolean): Location[] {
  const symbol = symbolAt(file, offset);
  if (!symbol || (symbol.kind !== 'variable' && symbol.kind !== 'upstream')) return [];
  const uses = symbol.kind === 'variable' ? variableReferences(configuration, symbol.name) : upstreamReferences(configuration, symbol.name);
  const declarations = includeDeclaration ? definitionsOf(symbol, configuration).map((d) => ({ file: d.file, span: d.nameSpan })) : [];
  return [...declarations, ...uses];
}

/** What a rename does, or why it does not. */
export type RenameResult = { edits: TextEdit[] } | { error: string };

type Renameable = Symbol & { kind: 'variable' | 'upstream' };

/** The renameable name under the cursor; an error on one that cannot be renamed; else undefined. */
function renameTarget(file: ConfigFile, offset: number, configuration: readonly ConfigFile[]): { symbol: Renameable } | { error: string } | undefined {
  const symbol = symbolAt(file, offset);
  if (symbol?.kind === 'capture') return { error: `$${symbol.name} here is a named capture of the regex around it: rename it in the regex` };
  if (!symbol || (symbol.kind !== 'variable' && symbol.kind !== 'upstream')) return undefined;
  return definitionsOf(symbol, configuration).length > 0 ? { symbol } : undefined;
}

/** The span a rename would change; an error when the cursor is on a name that cannot be renamed. */
export function prepareRename(file: ConfigFile, offset: number, configuration: readonly ConfigFile[]): { span: Span } | { error: string } | undefined {
  const target = renameTarget(file, offset, configuration);
  return target && ('error' in target ? target : { span: target.symbol.span });
}

/**
 * An upstream name that `*_pass` URLs can carry and that upstreamReference() reads back whole:
 * letters, digits, `_`, `.`, `-` (no blank, `;`, braces, quotes, `#`, `$`, `/`, `:` that would end
 * the word or the URL's host).
 */
const UPSTREAM_NAME = /^[\w.-]+$/;
/**
 * A variable name as nginx reads one after `$` (ngx_http_script_compile, ngx_http_script.c):
 * letters, digits and `_`, not starting with 1-9, which makes `$1name` the capture $1 and "name".
 */
const VARIABLE_NAME = /^(?![1-9])[A-Za-z0-9_]+$/;

/** The new name without the `$` or `${}` of the editor's text, or an error. */
function checkedNewName(symbol: Renameable, newName: string, configuration: readonly ConfigFile[]): { name: string } | { error: string } {
  if (symbol.kind === 'upstream') {
    if (!UPSTREAM_NAME.test(newName)) return { error: `"${newName}" is not a valid upstream name: use letters, digits, "_", "." and "-"` };
    // A host a `*_pass` names that is no upstream yet would silently become this one.
    const taken = [...upstreamDefinitions(configuration).map((d) => d.name), ...passReferences(configuration).map((r) => r.name)]
      .some((name) => sameName(name, newName) && !sameName(name, symbol.name));
    return taken ? { error: `an upstream or a proxied host named "${newName}" already exists` } : { name: newName };
  }
  const name = /^\$\{(.*)\}$|^\$(.*)$/.exec(newName)?.slice(1).find((group) => group !== undefined) ?? newName;
  if (!VARIABLE_NAME.test(name)) return { error: `"${newName}" is not a valid variable name: use letters, digits and "_", not a digit 1-9 first` };
  if (sameName(name, symbol.name)) return { name };
  if (variableNamesIn(configuration).has(name.toLowerCase())) return { error: `the variable $${name} already exists in this configuration` };
  if (allVariables().some((variable) => !variable.isPrefix && sameName(variable.name, name))) return { error: `$${name} is a built-in nginx variable` };
  return { name };
}

/** Renames an upstream or a user variable, its definitions and every use, after checking the new name. */
export function rename(file: ConfigFile, offset: number, newName: string, configuration: readonly ConfigFile[]): RenameResult {
  const target = renameTarget(file, offset, configuration);
  if (!target) return { edits: [] };
  if ('error' in target) return target;
  const { symbol } = target;
  const checked = checkedNewName(symbol, newName, configuration);
  if ('error' in checked) return checked;
  const byFile = new Map(configuration.map((f) => [f.path, f]));
  const renamed = (location: Location): TextEdit => {
    const original = byFile.get(location.file)!.text.slice(location.span.start, location.span.end);
    // Keep the written form: `$name`, `${name}` or a bare upstream name.
    const newText = symbol.kind === 'variable' ? original.replace(/\w+/, checked.name) : checked.name;
    return { file: location.file, span: location.span, newText };
  };
  return { edits: references(file, offset, configuration, true).map(renamed) };
}

/** `include` arguments that name exactly one file, as links to it. */
export function documentLinks(file: ConfigFile, workspace: Workspace): Array<{ span: Span; target: string }> {
  return workspace.includesOf(file).flatMap(({ directive, targets }) => {
    const pattern = directive.args[0];
    return targets.length === 1 ? [{ span: { start: pattern.start + (pattern.quote ? 1 : 0), end: pattern.end - (pattern.quote ? 1 : 0) }, target: targets[0] }] : [];
  });
}
