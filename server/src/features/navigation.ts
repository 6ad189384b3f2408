// Go to definition, references, rename and include links: over the names a configuration
// defines (upstreams, user variables, named locations) and the files it includes.

import { directiveAt, type Span } from '../parser';
import {
  namedLocations,
  upstreamDefinitions,
  upstreamReference,
  upstreamReferences,
  variableDefinitions,
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

type Symbol =
  | { kind: 'variable'; name: string; span: Span }
  | { kind: 'upstream'; name: string; span: Span }
  | { kind: 'namedLocation'; name: string; span: Span }
  | { kind: 'include'; pattern: string; span: Span };

const inside = (span: Span, offset: number) => span.start <= offset && offset <= span.end;

/** The name under the cursor, if it is one the configuration defines or includes. */
function symbolAt(file: ConfigFile, offset: number): Symbol | undefined {
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
  if (variable) return { kind: 'variable', ...variable };
  return undefined;
}

function definitionsOf(symbol: Symbol, configuration: readonly ConfigFile[]): Definition[] {
  switch (symbol.kind) {
    case 'variable':
      return variableDefinitions(configuration).filter((d) => d.name === symbol.name);
    case 'upstream':
      return upstreamDefinitions(configuration).filter((d) => d.name === symbol.name);
    case 'namedLocation':
      return namedLocations(configuration).filter((d) => d.name === symbol.name);
    case 'include':
      return [];
  }
}

export function definition(file: ConfigFile, offset: number, configuration: readonly ConfigFile[], workspace: Workspace): Location[] {
  const symbol = symbolAt(file, offset);
  if (!symbol) return [];
  if (symbol.kind === 'include') {
    return workspace.resolveInclude(symbol.pattern, file.path).map((target) => ({ file: target, span: { start: 0, end: 0 } }));
  }
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

/** The span a rename would change, when the cursor is on a renameable name. */
export function prepareRename(file: ConfigFile, offset: number, configuration: readonly ConfigFile[]): Span | undefined {
  const symbol = symbolAt(file, offset);
  if (!symbol || (symbol.kind !== 'variable' && symbol.kind !== 'upstream')) return undefined;
  return definitionsOf(symbol, configuration).length > 0 ? symbol.span : undefined;
}

/** Renames an upstream or a user variable, its definitions and every use. */
export function rename(file: ConfigFile, offset: number, newName: string, configuration: readonly ConfigFile[]): TextEdit[] {
  const symbol = symbolAt(file, offset);
  if (!symbol || (symbol.kind !== 'variable' && symbol.kind !== 'upstream')) return [];
  const bare = newName.replace(/^\$/, '');
  if (!/^\w+$/.test(bare) && symbol.kind === 'variable') return [];
  const definitions = definitionsOf(symbol, configuration);
  if (definitions.length === 0) return [];
  const byFile = new Map(configuration.map((f) => [f.path, f]));
  const renamed = (location: Location): TextEdit => {
    const original = byFile.get(location.file)!.text.slice(location.span.start, location.span.end);
    // Keep the written form: `$name`, `${name}` or a bare upstream name.
    const newText = symbol.kind === 'variable' ? original.replace(/\w+/, bare) : bare;
    return { file: location.file, span: location.span, newText };
  };
  return references(file, offset, configuration, true).map(renamed);
}

/** `include` arguments that name exactly one file, as links to it. */
export function documentLinks(file: ConfigFile, workspace: Workspace): Array<{ span: Span; target: string }> {
  return workspace.includesOf(file).flatMap(({ directive, targets }) => {
    const pattern = directive.args[0];
    return targets.length === 1 ? [{ span: { start: pattern.start + (pattern.quote ? 1 : 0), end: pattern.end - (pattern.quote ? 1 : 0) }, target: targets[0] }] : [];
  });
}
