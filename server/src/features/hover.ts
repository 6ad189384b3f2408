// Hover: the docs of the directive or variable under the cursor, for the context it stands in.

import { directiveAt, type Directive, type Span } from '../parser';
import { contextOfChain, infosIn, type Context } from '../analysis/context';
import { directiveInfos, type DirectiveInfo } from '../analysis/reference';
import { variableDefinitions, variablesIn, type Definition } from '../analysis/definitions';
import { anyReleaseSpecs, availability, directiveSpecs } from '../analysis/knowledge/directives';
import type { TargetVersion } from '../analysis/knowledge/versions';
import type { ConfigFile, Expansion } from '../analysis/workspace';
import { directiveDescription, findVariables } from './docs';
import { fileLink, pathLink } from './links';
import { symbolAt } from './navigation';
import { upstreamMarkdown } from './upstreams';

export interface HoverResult {
  markdown: string;
  span: Span;
}

/** Markdown syntax ("*`time`*") as plain text ("time") for a code block. */
const plainSyntax = (markdown: string) => markdown.replace(/[*`]/g, '').trim();

/** The releases that have the directive, and a warning when the target version (if one is given) lacks it. */
function releasesMarkdown(name: string, target?: TargetVersion): string[] {
  const { since, removed, sinceExact, removedExact } = availability(name);
  const lines = [
    ...(since ? [`**Since:** nginx ${since}${sinceExact ? '' : ' (or a release shortly before)'}  `] : []),
    ...(removed ? [`**Removed:** nginx ${removed}${removedExact ? '' : ' (or a release shortly before)'}  `] : []),
  ];
  if (anyReleaseSpecs(name).length === 0) lines.push('**NGINX Plus only:** no open-source release has it.  ');
  else if (target && directiveSpecs(name, target).length === 0) lines.push(`**Not in nginx ${target.label}**, the target version: \`nginx -t\` rejects it there.  `);
  return lines;
}

/** A directive nginx's source has but the docs do not describe (`post_action`). */
function undocumentedMarkdown(name: string, target: TargetVersion): string | undefined {
  const specs = anyReleaseSpecs(name);
  if (specs.length === 0) return undefined;
  const modules = [...new Set(specs.map((spec) => spec.module))].join(', ');
  const contexts = [...new Set(specs.flatMap((spec) => spec.contexts))].join(', ');
  return [`**${name}** · \`${modules}\``, '', `**Context:** ${contexts}  `, ...releasesMarkdown(name, target), '', 'nginx has this directive, but nginx.org does not document it.'].join('\n');
}

/** The docs of one form, with what the target version (when given) lacks. */
export function directiveMarkdown(info: DirectiveInfo, target?: TargetVersion): string {
  const syntax = info.syntax.map((line) => `${info.name} ${plainSyntax(line)}${info.isBlock ? '' : ';'}`.replace(/ +/g, ' '));
  const lines = [
    `**${info.name}** · \`${info.module}\``,
    '',
    '```nginx',
    ...syntax,
    '```',
    `**Default:** ${info.default ? `\`${info.name} ${info.default};\`` : '—'}  `,
    `**Context:** ${info.contexts.map((c) => (c ? c : 'any')).join(', ')}  `,
    ...releasesMarkdown(info.name, target),
    '',
    directiveDescription(info),
    '',
    `[nginx.org documentation](${info.url})`,
  ];
  return lines.join('\n');
}

/** Where a user variable is defined (file and line as a link), and with what (the `set` value, the `map` source...). */
function userVariableMarkdown(name: string, definitions: readonly Definition[], file: ConfigFile, configuration: readonly ConfigFile[]): string | undefined {
  const mine = definitions.filter((definition) => definition.name === name);
  if (mine.length === 0) return undefined;
  const lines = mine.map((definition) => {
    const { directive } = definition;
    const defining = configuration.find((candidate) => candidate.path === definition.file) ?? file;
    const where = definition.file === file.path ? `this file, line ${defining.lines.positionAt(directive.start).line + 1}` : fileLink(defining, directive.start);
    const source = [directive.name.value, ...directive.args.map((arg) => (arg.quote ? arg.quote + arg.value + arg.quote : arg.value))].join(' ');
    return `- \`${source}${directive.block ? ' { … }' : ';'}\` (${where})`;
  });
  return [`**$${name}** · user variable`, '', 'Defined by:', ...lines].join('\n');
}

/** The files an include pattern names, as links; or that it names none, and what stopped the expansion. */
function includeMarkdown(pattern: string, expansion: Expansion): string {
  const count = expansion.targets.length;
  const lines = [`**include** \`${pattern}\``, '', count === 0 ? 'Matches no file.' : `Matches ${count} file${count === 1 ? '' : 's'}:`];
  lines.push(...expansion.targets.map((target) => `- ${pathLink(target)}`));
  if (expansion.stopped) lines.push('', `Not every match is followed: ${expansion.stopped}.`);
  return lines.join('\n');
}

/** What the configuration as a whole tells about a block under the cursor, from the service, which has the workspace. */
export interface HoverDetails {
  /** Below a block directive's docs, given its chain (a location's headers in force). */
  block(chain: readonly Directive[]): string | undefined;
  /** On a location's path: the requests it serves (routing). */
  locationPath(location: Directive): string | undefined;
  /** On an include's pattern: the files it names. */
  includeExpansion(pattern: string): Expansion;
}

export function hover(
  file: ConfigFile, offset: number, top: Context, configuration: readonly ConfigFile[], target: TargetVersion, details?: HoverDetails,
): HoverResult | undefined {
  const chain = directiveAt(file.tree.root, offset);
  const directive = chain[chain.length - 1];
  if (!directive) return undefined;
  const name = directive.name;
  if (offset >= name.start && offset <= name.end) {
    const context = contextOfChain(chain.slice(0, -1), top);
    const inContext = infosIn(name.value, context);
    const infos = inContext.length > 0 ? inContext : directiveInfos(name.value);
    const docs = infos.length > 0 ? infos.map((info) => directiveMarkdown(info, target)) : [undocumentedMarkdown(name.value, target)];
    const more = directive.block ? details?.block(chain) : undefined;
    const parts = [...docs, more].filter((part): part is string => part !== undefined);
    return parts.length > 0 ? { markdown: parts.join('\n\n---\n\n'), span: name } : undefined;
  }
  const word = directive.args.find((arg) => offset >= arg.start && offset <= arg.end);
  // A location's path: what it serves (routing).
  const routing = word && directive.name.value === 'location' && details?.locationPath(directive);
  if (word && routing) return { markdown: routing, span: word };
  const symbol = symbolAt(file, offset);
  if (symbol?.kind === 'upstream') {
    const markdown = upstreamMarkdown(symbol.name, configuration);
    return markdown ? { markdown, span: symbol.span } : undefined;
  }
  if (symbol?.kind === 'include' && details) return { markdown: includeMarkdown(symbol.pattern, details.includeExpansion(symbol.pattern)), span: symbol.span };
  if (symbol?.kind === 'capture') {
    const markdown = `**$${symbol.name}** · named capture\n\nSet by the regex \`${symbol.regex.value}\` (${fileLink(file, symbol.regex.start)}) when it matches.`;
    return { markdown, span: symbol.span };
  }
  const variable = word && variablesIn(word, file.text).find(({ span }) => offset >= span.start && offset <= span.end);
  if (!variable) return undefined;
  const infos = findVariables(variable.name);
  if (infos.length === 0) {
    const markdown = userVariableMarkdown(variable.name, variableDefinitions(configuration), file, configuration);
    return markdown ? { markdown, span: variable.span } : undefined;
  }
  const markdown = infos
    .map((info) => `**$${variable.name}** · \`${info.module}\`\n\n${info.description}\n\n[nginx.org documentation](${info.url})`)
    .join('\n\n---\n\n');
  return { markdown, span: variable.span };
}
