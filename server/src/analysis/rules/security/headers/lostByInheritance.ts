// The trap the three "lost" rules share: a block with a list of its own (add_header,
// proxy_hide_header, proxy_set_header) inherits none of the entries set further out
// (ngx_conf_merge_ptr_value()), so one new line silently drops the outer ones.

import type { DirectiveEntry } from '../../../directiveIndex';
import { insertLinesIntoBlock } from '../../../edits';
import type { Finding, Fix, RuleInfo } from '../../../types';
import { levelOf, listInForce, named, type Level, type Placed } from '../../../websocket/levels';
import { addHeadersInForce } from './addHeaders';
import { entriesNamed, findingAt, levelsOfBlock, missesIncludes, placedText, wordsSpan, type SecurityScope } from '../rule';

/** Blocks whose own lists nginx merges: http, server, location, `if` in location. */
const LEVEL_BLOCKS = new Set(['server', 'location', 'if']);

/** A block of the http family, or of a snippet whose context nothing tells. */
const inHttp = (entry: DirectiveEntry) => (entry.context.kind === 'directives' ? entry.context.family === 'http' : entry.context.kind === 'unknown');

/** The entry's name as nginx compares it (case-insensitively). */
const keyOf = (placed: Placed) => placed.directive.args[0]?.value.toLowerCase() ?? '';

export interface LostEntries {
  entry: DirectiveEntry;
  own: readonly Placed[];
  lost: Placed[];
  levels: Level[];
}

/**
 * Per block of the file with a `directive` list of its own: the outer entries that `matters`
 * keeps and that the block's list neither repeats nor merges in.
 */
export function lostEntries(scope: SecurityScope, directive: string, matters: (placed: Placed) => boolean): LostEntries[] {
  // Only a block with such lines, or an include that may bring them, has a list of its own: found
  // from the lines, not by reading the level of each of 30,000 blocks.
  const owners = new Set([...entriesNamed(scope, directive), ...entriesNamed(scope, 'include')].flatMap((entry) => entry.parent ?? []));
  const found: LostEntries[] = [];
  // In the order the lines were met: the security rules' findings are sorted by position.
  for (const entry of owners) {
    if (!LEVEL_BLOCKS.has(entry.directive.name.value) || !entry.directive.block || !inHttp(entry)) continue;
    // The block's own level first (kept across blocks): most have no such list, and need no more.
    const own = named(levelOf(scope.workspace, scope.file.path, entry.directive, scope.memo), directive);
    if (own.length === 0) continue;
    const levels = levelsOfBlock(scope, entry);
    if (missesIncludes(scope, levels.slice(0, 1))) continue;
    const outer = levels.slice(1);
    const inherited = (directive === 'add_header' ? addHeadersInForce(outer, entry.target, scope.inheritModes).headers : listInForce(outer, [directive])?.entries ?? []).filter(matters);
    // Most blocks with a list of their own have nothing that matters above them: no keys to compare.
    if (inherited.length === 0) continue;
    const inForce = directive === 'add_header' ? addHeadersInForce(levels, entry.target, scope.inheritModes).headers : own;
    const kept = new Set(inForce.map(keyOf));
    const lost = inherited.filter((placed) => !kept.has(keyOf(placed)));
    if (lost.length > 0) found.push({ entry, own, lost, levels });
  }
  return found;
}

/** The finding of one block: at its header, related to the lost lines, with the fix that repeats them. */
export function lostFinding(rule: RuleInfo, scope: SecurityScope, found: LostEntries, what: string, extraFixes: Fix[] = []): Finding {
  const { entry, own, lost } = found;
  const names = [...new Set(lost.map((placed) => placed.directive.args[0].value))].join(', ');
  const block = entry.directive.name.value;
  return findingAt(rule, scope, wordsSpan(entry.directive), `${names} set further out ${lost.length > 1 ? 'are' : 'is'} not ${what} here: this ${block} has ${own[0].directive.name.value} lines of its own, and nginx then inherits none from above`, {
    related: [
      ...lost.map((placed) => ({ file: placed.file, span: wordsSpan(placed.directive), message: 'set here, but not inherited' })),
      { file: own[0].file, span: wordsSpan(own[0].directive), message: 'this line stops the inheritance' },
    ],
    fixes: [{
      title: `Re-declare ${names} in this ${block}`,
      preferred: true,
      edits: [insertLinesIntoBlock(scope.file, entry.directive, own.map((placed) => placed.directive), lost.map((placed) => placedText(scope, placed)))],
    }, ...extraFixes],
  });
}
