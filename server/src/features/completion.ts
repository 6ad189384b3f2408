// Completion by context: directive names and snippets allowed where the cursor stands (the common
// directives first, those the target nginx lacks marked deprecated), variables after `$`, and a
// directive's arguments (argumentCompletion.ts).

import { directiveAt, type Directive, type Span } from '../parser';
import { allowedIn, contextOfChain, infosIn, type Context } from '../analysis/context';
import { anyReleaseSpecs, availability, directiveSpecs } from '../analysis/knowledge/directives';
import { directiveFrequency } from '../analysis/knowledge/frequency';
import type { TargetVersion } from '../analysis/knowledge/versions';
import { variableDefinitions, type Definition } from '../analysis/definitions';
import { allDirectives, type DirectiveInfo } from '../analysis/reference';
import { allThirdPartyNames, thirdPartyDirective } from '../analysis/thirdParty';
import type { ConfigFile, Workspace } from '../analysis/workspace';
import { argumentEntries } from './argumentCompletion';
import { allVariables } from './docs';
import { requestHeaderVariables } from './headerCompletion';
import { directiveMarkdown } from './hover';
import { snippetEntries } from './snippets';

export type CompletionKind = 'directive' | 'block' | 'snippet' | 'variable' | 'value' | 'upstream' | 'file' | 'folder';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Snippet text in LSP/TextMate syntax (`$1`, `${1:x}`, `$0`). */
  snippet?: string;
  /** The text the entry replaces. */
  replace: Span;
  /** Removed from nginx, or missing in the target version: `nginx -t` would reject it there. */
  deprecated?: boolean;
  /** Order among entries the typed text matches equally well, 0 first (the directives common in the context). */
  rank?: number;
}

function directiveSnippet(info: DirectiveInfo): string {
  // Arguments unless nginx's source takes none (`events {`, `ip_hash;`); a name only the docs have gets a placeholder.
  const specs = anyReleaseSpecs(info.name).filter((spec) => spec.block === info.isBlock);
  const takesArguments = specs.length === 0 || specs.some((spec) => spec.args.atLeast !== undefined || (spec.args.counts ?? []).some((count) => count > 0));
  if (info.isBlock) return `${info.name} ${takesArguments ? '$1 ' : ''}{\n\t$0\n}`;
  return takesArguments ? `${info.name} $1;$0` : `${info.name};$0`;
}

/** The entries of a context and target, built once for each (the docs of ~700 directives are costly to render). */
const entriesByContext = new Map<string, Array<Omit<CompletionEntry, 'replace'>>>();

function directiveEntries(context: Context, target: TargetVersion, replace: Span): CompletionEntry[] {
  const key = `${JSON.stringify(context)} ${target.label}`;
  let entries = entriesByContext.get(key);
  if (!entries) {
    entries = ranked(context, buildDirectiveEntries(context, target));
    entriesByContext.set(key, entries);
  }
  return entries.map((entry) => ({ ...entry, replace }));
}

/** Removed in some release, or one the target lacks that a release has (NGINX Plus-only names are not obsolete). */
function obsolete(name: string, target: TargetVersion): boolean {
  if (anyReleaseSpecs(name).length === 0) return false;
  return availability(name).removed !== undefined || directiveSpecs(name, target).length === 0;
}

/** Ranks by how many blocks of the context use each directive in the corpus; then by name. */
function ranked(context: Context, entries: Array<Omit<CompletionEntry, 'replace'>>): Array<Omit<CompletionEntry, 'replace'>> {
  const order = [...entries].sort((a, b) => directiveFrequency(context, b.label) - directiveFrequency(context, a.label) || a.label.localeCompare(b.label));
  const rankOf = new Map(order.map((entry, rank) => [entry.label, rank]));
  return entries.map((entry) => ({ ...entry, rank: rankOf.get(entry.label) }));
}

function buildDirectiveEntries(context: Context, target: TargetVersion): Array<Omit<CompletionEntry, 'replace'>> {
  const byName = new Map<string, DirectiveInfo[]>();
  for (const info of allDirectives()) {
    if (!allowedIn(info, context)) continue;
    byName.set(info.name, [...(byName.get(info.name) ?? []), info]);
  }
  const entries: Array<Omit<CompletionEntry, 'replace'>> = [...byName].map(([name, infos]) => ({
    label: name,
    kind: infos[0].isBlock ? 'block' : 'directive',
    detail: infos[0].syntax.map((line) => `${name} ${line.replace(/[*`]/g, '')}`).join(' | '),
    documentation: infos.map((info) => directiveMarkdown(info, target)).join('\n\n---\n\n'),
    snippet: directiveSnippet(infos[0]),
    ...(obsolete(name, target) && { deprecated: true }),
  }));
  // Third-party modules (lua, headers-more...): offered where their generated contexts allow.
  const contextName = context.kind === 'directives' ? context.name : undefined;
  for (const name of allThirdPartyNames()) {
    const info = thirdPartyDirective(name)!;
    if (byName.has(name) || (contextName && info.contexts && !info.contexts.includes(contextName))) continue;
    if (context.kind === 'data') continue;
    entries.push({ label: name, kind: info.block ? 'block' : 'directive', detail: info.module,
      snippet: info.block ? `${name} {\n\t$0\n}` : `${name} $1;$0` });
  }
  return entries;
}

function variableEntries(userVariables: readonly Definition[], replace: Span): CompletionEntry[] {
  const entries = new Map<string, CompletionEntry>();
  for (const variable of allVariables()) {
    const label = variable.isPrefix ? `${variable.name}` : variable.name;
    if (entries.has(label)) continue;
    entries.set(label, {
      label,
      kind: 'variable',
      detail: variable.isPrefix ? `${variable.module} (${variable.name}NAME)` : variable.module,
      documentation: variable.description,
      snippet: variable.isPrefix ? `${variable.name}\${1:name}` : undefined,
      replace,
    });
  }
  for (const entry of requestHeaderVariables(replace)) if (!entries.has(entry.label)) entries.set(entry.label, entry);
  for (const definition of userVariables) {
    entries.set(definition.name, { label: definition.name, kind: 'variable', detail: `defined by ${definition.directive.name.value}`, replace });
  }
  return [...entries.values()];
}

/** What completion needs besides the file: the configuration it belongs to, the workspace's files, the target nginx. */
export interface CompletionScope {
  top: Context;
  configuration: readonly ConfigFile[];
  workspace: Workspace;
  target: TargetVersion;
}

export function complete(file: ConfigFile, offset: number, scope: CompletionScope): CompletionEntry[] {
  const { top, configuration } = scope;
  const text = file.text;
  // The word being typed, back to the previous separator.
  let wordStart = offset;
  while (wordStart > 0 && !/[\s;{}]/.test(text[wordStart - 1])) wordStart--;
  const typed = text.slice(wordStart, offset);

  const variable = /\$\{?(\w*)$/.exec(typed);
  if (variable) {
    const start = offset - variable[1].length;
    return variableEntries(variableDefinitions(configuration), { start, end: offset });
  }

  const chain = directiveAt(file.tree.root, offset);
  let current: Directive | undefined = chain[chain.length - 1];
  const insideBlock = current?.block && offset > current.block.start && (!current.block.closed || offset < current.block.end);
  const blockChain = insideBlock || !current ? chain : chain.slice(0, -1);
  if (insideBlock || !current) {
    // Between statements, unless the last one before the cursor is still open (`proxy_buffering |`).
    const children = (blockChain.length > 0 ? blockChain[blockChain.length - 1].block! : file.tree.root).children;
    const before = children.filter((node) => node.start < offset).pop();
    current = before?.kind === 'directive' && !before.terminator ? before : undefined;
  }
  const onName = current && current.name.start <= wordStart && offset <= current.name.end;
  const afterStatement = current && current.terminator === ';' && offset >= current.end;
  const context = contextOfChain(blockChain, top);
  if (!current || onName || afterStatement) {
    if (context.kind === 'data') return [];
    const replace = { start: wordStart, end: onName ? current!.name.end : offset };
    return [...directiveEntries(context, scope.target, replace), ...snippetEntries(context, replace)];
  }
  const infos = infosIn(current.name.value, context);
  return argumentEntries({ directive: current, wordStart, offset, context, infos, file, configuration, workspace: scope.workspace, target: scope.target });
}
