// Completion by context: directive names allowed where the cursor stands, variables after `$`,
// the literal values a directive's syntax lists (on/off and other enums), and header names and
// values for proxy_set_header (headerCompletion.ts).

import { directiveAt, type Directive, type Span } from '../parser';
import { allowedIn, contextOfChain, infosIn, type Context } from '../analysis/context';
import { anyReleaseSpecs } from '../analysis/knowledge/directives';
import { variableDefinitions, type Definition } from '../analysis/definitions';
import { allDirectives, allVariables, type DirectiveInfo } from '../analysis/reference';
import { allThirdPartyNames, thirdPartyDirective } from '../analysis/thirdParty';
import type { ConfigFile } from '../analysis/workspace';
import { requestHeaderVariables, setHeaderArguments } from './headerCompletion';
import { directiveMarkdown } from './hover';

export type CompletionKind = 'directive' | 'block' | 'variable' | 'value';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Snippet text in LSP/TextMate syntax (`$1`, `${1:x}`, `$0`). */
  snippet?: string;
  /** The text the entry replaces. */
  replace: Span;
}

/** Literal keywords of a Markdown syntax line: "`on` | `off`" → on, off (placeholders are *`x`*). */
export function syntaxLiterals(info: DirectiveInfo): string[] {
  const literals = new Set<string>();
  for (const line of info.syntax) {
    for (const match of line.matchAll(/(^|[^*])`([^`*]+)`(?!\*)/g)) {
      const literal = match[2].trim();
      if (/^[\w.:=-]+$/.test(literal)) literals.add(literal);
    }
  }
  return [...literals];
}

function directiveSnippet(info: DirectiveInfo): string {
  // Arguments unless nginx's source takes none (`events {`, `ip_hash;`); a name only the docs have gets a placeholder.
  const specs = anyReleaseSpecs(info.name).filter((spec) => spec.block === info.isBlock);
  const takesArguments = specs.length === 0 || specs.some((spec) => spec.args.atLeast !== undefined || (spec.args.counts ?? []).some((count) => count > 0));
  if (info.isBlock) return `${info.name} ${takesArguments ? '$1 ' : ''}{\n\t$0\n}`;
  return takesArguments ? `${info.name} $1;$0` : `${info.name};$0`;
}

/** The entries of a context, built once per context (the docs of ~700 directives are costly to render). */
const entriesByContext = new Map<string, Array<Omit<CompletionEntry, 'replace'>>>();

function directiveEntries(context: Context, replace: Span): CompletionEntry[] {
  const key = JSON.stringify(context);
  let entries = entriesByContext.get(key);
  if (!entries) {
    entries = buildDirectiveEntries(context);
    entriesByContext.set(key, entries);
  }
  return entries.map((entry) => ({ ...entry, replace }));
}

function buildDirectiveEntries(context: Context): Array<Omit<CompletionEntry, 'replace'>> {
  const byName = new Map<string, DirectiveInfo[]>();
  for (const info of allDirectives()) {
    if (!allowedIn(info, context)) continue;
    byName.set(info.name, [...(byName.get(info.name) ?? []), info]);
  }
  const entries: Array<Omit<CompletionEntry, 'replace'>> = [...byName].map(([name, infos]) => ({
    label: name,
    kind: infos[0].isBlock ? 'block' : 'directive',
    detail: infos[0].syntax.map((line) => `${name} ${line.replace(/[*`]/g, '')}`).join(' | '),
    documentation: infos.map((info) => directiveMarkdown(info)).join('\n\n---\n\n'),
    snippet: directiveSnippet(infos[0]),
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

export function complete(file: ConfigFile, offset: number, top: Context, configuration: readonly ConfigFile[]): CompletionEntry[] {
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
  if (!current || onName || afterStatement) {
    const context = contextOfChain(blockChain, top);
    if (context.kind === 'data') return [];
    return directiveEntries(context, { start: wordStart, end: onName ? current!.name.end : offset });
  }

  const headerArguments = setHeaderArguments(current, wordStart, offset, variableDefinitions(configuration));
  if (headerArguments) return headerArguments;
  // An argument: the literal values the directive's syntax lists.
  const infos = infosIn(current.name.value, contextOfChain(blockChain, top));
  const values = new Set(infos.flatMap(syntaxLiterals));
  return [...values].map((value) => ({ label: value, kind: 'value' as const, replace: { start: wordStart, end: offset } }));
}
