// The keywords a directive's documented syntax allows after its leading values, read from the
// reference (@nginx/reference-lib): how a left-out `;` shows in `listen 80 server_name x`.

import type { DirectiveInfo } from './reference';

/**
 * Directives whose arguments, after a few leading values, may only be keywords of their syntax:
 * `listen address [default_server] [ssl] [backlog=number]...`, `ssl_protocols [TLSv1.2] [TLSv1.3]`,
 * `proxy_next_upstream error | timeout | ... ...`. Read from the reference syntax; undefined for
 * any other shape (a free value after the leading ones: `add_header name value [always]`).
 */
export interface KeywordTail {
  /** Arguments before the keywords (words of the syntax that hold a placeholder). */
  leading: number;
  /** The keywords; `name=` ones take a value after `=`. */
  keywords: ReadonlySet<string>;
}

const tails = new Map<DirectiveInfo, KeywordTail | undefined>();

function keywordTailOf(info: DirectiveInfo): KeywordTail | undefined {
  if (info.isBlock || info.syntax.length === 0) return undefined;
  let leading: number | undefined;
  const keywords = new Set<string>();
  for (const line of info.syntax) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    let count = 0;
    while (count < words.length && words[count].includes('*`') && !words[count].startsWith('[')) count++;
    if (leading !== undefined && leading !== count) return undefined;
    leading = count;
    // A repeated value (`*mime-type* ...`) is free text, not keywords.
    if (count > 0 && words[count] === '...') return undefined;
    // What follows `=` is a keyword's value (`backlog=*number*`, `so_keepalive=on|off|[*keepidle*]:...`).
    const tail = words.slice(count).join(' ').replace(/`=[^\s\]]*(?:\][^\s\]]*)*/g, '`=');
    if (tail.includes('*`') || /`\{\.\.\.\}`/.test(tail)) return undefined;
    const found = [...tail.matchAll(/`([^`]+)`/g)].map((match) => match[1].replace(/\[=\]$/, '='));
    if (found.length === 0) return undefined;
    for (const keyword of found) keywords.add(keyword);
  }
  return leading === undefined ? undefined : { leading, keywords };
}

export function keywordTail(info: DirectiveInfo): KeywordTail | undefined {
  if (!tails.has(info)) tails.set(info, keywordTailOf(info));
  return tails.get(info);
}

/** `arg` is one of the tail's keywords, or `keyword=value`. */
export function isKeyword(tail: KeywordTail, arg: string): boolean {
  if (tail.keywords.has(arg)) return true;
  const equals = arg.indexOf('=');
  return equals > 0 && (tail.keywords.has(arg.slice(0, equals + 1)) || tail.keywords.has(arg.slice(0, equals)));
}
