// The fix for a missing `;`. nginx reads words until `;`, `{` or `}` (ngx_conf_read_token() in
// src/core/ngx_conf_file.c), so a forgotten `;` shows as one of two errors: a syntax error where the
// block or the file ends ('unexpected "}"', 'unexpected end of file, expecting ";" or "}"'), or the
// next line's directive read as more arguments (an argument count or value error). Both get the
// fix "Add the missing ;" after the last word the directive was meant to have.

import { walk, type Directive } from '../../../parser';
import { allDirectiveNames } from '../../knowledge/directives';
import type { ConfigFile } from '../../workspace';
import type { Fix } from '../../types';

/** The syntax errors a directive cut off by the end of its block or file is reported with. */
const CUT_OFF_MESSAGES = new Set(['unexpected "}"', 'unexpected end of file, expecting ";" or "}"']);

let directiveNames: ReadonlySet<string> | undefined;

function addSemicolon(file: ConfigFile, after: number): Fix {
  return { title: 'Add the missing ";"', edits: [{ file: file.path, span: { start: after, end: after }, newText: ';' }], preferred: true };
}

const lastWordEnd = (directive: Directive) => (directive.args[directive.args.length - 1] ?? directive.name).end;

/**
 * For each syntax error, by its index, the fix when it reports a directive cut off by a `}` or the
 * end of the file: the directive without a terminator that ends last before the error.
 */
export function cutOffFixes(file: ConfigFile): Map<number, Fix> {
  const fixes = new Map<number, Fix>();
  const errors = file.tree.errors;
  if (!errors.some((error) => CUT_OFF_MESSAGES.has(error.message))) return fixes;
  const unterminated: number[] = [];
  walk(file.tree.root, (directive) => {
    if (directive.terminator === undefined && !directive.block) unterminated.push(lastWordEnd(directive));
  });
  unterminated.sort((a, b) => a - b);
  errors.forEach((error, index) => {
    if (!CUT_OFF_MESSAGES.has(error.message)) return;
    const end = unterminated.filter((wordEnd) => wordEnd <= error.start).pop();
    // Only words between the directive and the error: else the error is about another construct (a stray `}`).
    if (end !== undefined && file.text.slice(end, error.start).replace(/#[^\n]*/g, '').trim() === '') fixes.set(index, addSemicolon(file, end));
  });
  return fixes;
}

/**
 * The first argument that the directive swallowed of a later line's directive: a word that starts a
 * later line and names a directive nginx knows (`is` tells whether a name is one, the known ones by default).
 */
export function swallowedArgument(file: ConfigFile, directive: Directive, is = isKnownDirective): number | undefined {
  // Most directives stand on one line: their first line break comes after them.
  const lineBreak = file.text.indexOf('\n', directive.name.end);
  if (lineBreak < 0 || lineBreak >= directive.end) return undefined;
  const words = [directive.name, ...directive.args];
  for (let i = 1; i < words.length; i++) {
    const between = file.text.slice(words[i - 1].end, words[i].start);
    if (between.includes('\n') && !words[i].quote && is(words[i].value)) return i - 1;
  }
  return undefined;
}

function isKnownDirective(name: string): boolean {
  directiveNames ??= new Set(allDirectiveNames());
  return directiveNames.has(name);
}

/** The fix when the directive swallowed the next line's directive: the `;` goes after the word before it. */
export function swallowedDirectiveFix(file: ConfigFile, directive: Directive): Fix | undefined {
  const swallowed = swallowedArgument(file, directive);
  if (swallowed === undefined) return undefined;
  return addSemicolon(file, (swallowed === 0 ? directive.name : directive.args[swallowed - 1]).end);
}
