// Regex captures and what they can hold, for the rules that follow a `$1` back to its regex.

import type { DirectiveEntry } from '../../../directiveIndex';

export interface CaptureGroup {
  /** 1-based number of the group, as $1 names it. */
  number: number;
  /** The name of `(?<name>...)`, `(?P<name>...)` or `(?'name'...)`. */
  name?: string;
  /** The group's pattern, between its parentheses. */
  body: string;
}

/** The capturing groups of a PCRE pattern, in the order PCRE numbers them. */
export function captureGroups(pattern: string): CaptureGroup[] {
  const groups: CaptureGroup[] = [];
  const open: Array<{ group?: CaptureGroup; from: number }> = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; if (pattern[i + 1] === '^') i++; if (pattern[i + 1] === ']') i++; continue; }
    if (c === '(') {
      const named = /^\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(pattern.slice(i));
      const capturing = pattern[i + 1] !== '?' || named;
      const group = capturing ? { number: groups.length + 1, name: named?.[1] ?? named?.[2], body: '' } : undefined;
      if (group) groups.push(group);
      open.push({ group, from: i + (named ? named[0].length : capturing ? 1 : 2) });
    } else if (c === ')') {
      const top = open.pop();
      if (top?.group) top.group.body = pattern.slice(top.from, i);
    }
  }
  return groups;
}

/**
 * True when a pattern can match a line feed: a negated class that does not exclude it (`[^/]`),
 * or `\s`, `\D`, `\W`. PCRE's `.` does not match "\n" (nginx compiles without PCRE_DOTALL).
 */
export function matchesNewline(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      if ('sDWRvV'.includes(pattern[i + 1] ?? '')) return true;
      i++;
      continue;
    }
    if (pattern.startsWith('[^', i)) {
      let end = i + 2;
      if (pattern[end] === ']') end++;
      while (end < pattern.length && pattern[end] !== ']') end += pattern[end] === '\\' ? 2 : 1;
      const excluded = pattern.slice(i + 2, end);
      if (!/\\[nsv]|\n|\\x0[aA]|\[:space:\]/.test(excluded)) return true;
      i = end;
    }
  }
  return false;
}

/** The regex of a regex location (`~`, `~*`), of the entry's nearest enclosing location. */
export function locationRegex(entry: DirectiveEntry): string | undefined {
  for (let e = entry.parent; e; e = e.parent) {
    if (e.directive.name.value !== 'location') continue;
    const [modifier, pattern] = e.directive.args;
    return (modifier?.value === '~' || modifier?.value === '~*') && pattern ? pattern.value : undefined;
  }
  return undefined;
}

/** The group `$1` or `$name` (`variable` without `$`) refers to in `pattern`. */
export function groupOf(pattern: string, variable: string): CaptureGroup | undefined {
  const groups = captureGroups(pattern);
  return /^\d$/.test(variable) ? groups[Number(variable) - 1] : groups.find((group) => group.name === variable);
}
