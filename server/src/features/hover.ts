// Hover: the docs of the directive or variable under the cursor, for the context it stands in.

import { directiveAt, type Span } from '../parser';
import { contextOfChain, infosIn, type Context } from '../analysis/context';
import { directiveInfos, findVariables, type DirectiveInfo } from '../analysis/reference';
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

/** The `$variable` of a word that covers `offset`, with its span. */
export function variableAt(text: string, word: Span, offset: number): { name: string; span: Span } | undefined {
  const pattern = /\$(?:\{(\w+)\}|(\w+))/g;
  const slice = text.slice(word.start, word.end);
  for (let match = pattern.exec(slice); match; match = pattern.exec(slice)) {
    const start = word.start + match.index;
    const end = start + match[0].length;
    if (offset >= start && offset <= end) return { name: match[1] ?? match[2], span: { start, end } };
  }
  return undefined;
}

export function hover(file: ConfigFile, offset: number, top: Context): HoverResult | undefined {
  const chain = directiveAt(file.tree.root, offset);
  const directive = chain[chain.length - 1];
  if (!directive) return undefined;
  const name = directive.name;
  if (offset >= name.start && offset <= name.end) {
    const context = contextOfChain(chain.slice(0, -1), top);
    const inContext = infosIn(name.value, context);
    const infos = inContext.length > 0 ? inContext : directiveInfos(name.value);
    if (infos.length === 0) return undefined;
    return { markdown: infos.map(directiveMarkdown).join('\n\n---\n\n'), span: name };
  }
  const word = directive.args.find((arg) => offset >= arg.start && offset <= arg.end);
  const variable = word && variableAt(file.text, word, offset);
  if (!variable) return undefined;
  const infos = findVariables(variable.name);
  if (infos.length === 0) return undefined;
  const markdown = infos
    .map((info) => `**$${variable.name}** · \`${info.module}\`\n\n${info.description}\n\n[nginx.org documentation](${info.url})`)
    .join('\n\n---\n\n');
  return { markdown, span: variable.span };
}
