// Markdown links to places in the configuration, for hovers: VS Code opens `file:///...#L12` at line 12.

import { fileToUri } from '../analysis/paths';
import type { ConfigFile } from '../analysis/workspace';

/** Brackets and backslashes would end or escape the link text. */
const linkText = (text: string) => text.replace(/[\\[\]]/g, '\\$&');

/** `[/etc/nginx/nginx.conf:12](file:///etc/nginx/nginx.conf#L12)`: the file and the 1-based line of `offset`. */
export function fileLink(file: ConfigFile, offset: number): string {
  const line = file.lines.positionAt(offset).line + 1;
  return `[${linkText(`${file.path}:${line}`)}](${fileToUri(file.path)}#L${line})`;
}

/** `[/etc/nginx/conf.d/app.conf](file:///etc/nginx/conf.d/app.conf)`. */
export const pathLink = (path: string) => `[${linkText(path)}](${fileToUri(path)})`;
