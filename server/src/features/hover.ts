// Hover: the docs of the directive or variable under the cursor, for the context it stands in.

import { directiveAt, type Directive, type Span } from '../parser';
import { contextOfChain, infosIn, type Context } from '../analysis/context';
import { directiveInfos, findVariables, type DirectiveInfo } from '../analysis/reference';
import { variableDefinitions, variablesIn, type Definition } from '../analysis/definitions';
import type { ConfigFile } from '../analysis/workspace';

export interface HoverResult {
  markdown: string;
  span: Span;
}

/** Markdown syntax ("*`time`*") as plain text ("time") for a code block. */
const plainSyntax = (markdown: string) => markdown.replace(/[*`]/g, '').trim();

export function directiveMarkdown(info: DirectiveInfo): string {
  const syntax = info.syntax.map((line) => `${info.name} ${plainSyntax(line)}${info.isBlock ? '' : ';'}`.replace(/ +/g, ' '));
  const lines = [
    `**${info.name}** · \`${info.module}\``,
    '',
    '```nginx',
    ...syntax,
    '```',
    `**Default:** ${info.default ? `\`${info.name} ${info.default};\`` : '—'}  `,
    `**Context:** ${info.contexts.map((c) => (c ? c : 'any')).join(', ')}`,
    '',
    info.description,
    '',
    `[nginx.org documentation](${info.url})`,
  ];
  return lines.join('\n');
}

/** Where a user variable is defined, and with what (the `set` value, the `map` source...). */
function userVariableMarkdown(name: string, definitions: readonly Definition[], file: ConfigFile): string | undefined {
  const mine = definitions.filter((definition) => definition.name === name);
  if (mine.length === 0) return undefined;
  const lines = mine.map((definition) => {
    const { directive } = definition;
    const where = definition.file === file.path ? 'this file' : definition.file;
    const line = (definition.file === file.path ? file.lines.positionAt(directive.start).line : undefined);
    const source = [directive.name.value, ...directive.args.map((arg) => (arg.quote ? arg.quote + arg.value + arg.quote : arg.value))].join(' ');
    return `- \`${source}${directive.block ? ' { … }' : ';'}\` (${where}${line !== undefined ? `, line ${line + 1}` : ''})`;
  });
  return [`**$${name}** · user variable`, '', 'Defined by:', ...lines].join('\n');
}

/** More to say about a block directive under the cursor (a location's headers in force), given its chain. */
export type BlockDetails = (chain: readonly Directive[]) => string | undefined;

export function hover(file: ConfigFile, offset: number, top: Context, configuration: readonly ConfigFile[], blockDetails?: BlockDetails): HoverResult | undefined {
  const chain = directiveAt(file.tree.root, offset);
  const directive = chain[chain.length - 1];
  if (!directive) return undefined;
  const name = directive.name;
  if (offset >= name.start && offset <= name.end) {
    const context = contextOfChain(chain.slice(0, -1), top);
    const inContext = infosIn(name.value, context);
    const infos = inContext.length > 0 ? inContext : directiveInfos(name.value);
    if (infos.length === 0) return undefined;
    const details = directive.block ? blockDetails?.(chain) : undefined;
    return { markdown: [...infos.map(directiveMarkdown), ...(details ? [details] : [])].join('\n\n---\n\n'), span: name };
  }
  const word = directive.args.find((arg) => offset >= arg.start && offset <= arg.end);
  const variable = word && variablesIn(word, file.text).find(({ span }) => offset >= span.start && offset <= span.end);
  if (!variable) return undefined;
  const infos = findVariables(variable.name);
  if (infos.length === 0) {
    const markdown = userVariableMarkdown(variable.name, variableDefinitions(configuration), file);
    return markdown ? { markdown, span: variable.span } : undefined;
  }
  const markdown = infos
    .map((info) => `**$${variable.name}** · \`${info.module}\`\n\n${info.description}\n\n[nginx.org documentation](${info.url})`)
    .join('\n\n---\n\n');
  return { markdown, span: variable.span };
}
