// What the security rules share: one scope per analysis (the file's directives, the levels nginx
// merges them through, includes expanded), and the helpers that read nginx's inheritance.

import type { Directive } from '../../../parser';
import type { DirectiveEntry } from '../../directiveIndex';
import type { Inclusion } from '../../fileContext';
import type { RoutingModel } from '../../routing';
import type { Finding, RuleInfo } from '../../types';
import { isStandardInclude } from '../load/configuration';
import { entryLevels, named, nearest, noteOutsideRead, topLevelOf, type Level, type Memo, type Placed } from '../../websocket/levels';
import type { ConfigFile, Workspace } from '../../workspace';

export interface SecurityScope {
  file: ConfigFile;
  workspace: Workspace;
  graph: ReadonlyMap<string, Inclusion>;
  entries: readonly DirectiveEntry[];
  /** The entry of a block directive of the file (a location found through a level). */
  entryOf: (block: Directive) => DirectiveEntry | undefined;
  /** The file's entries by directive name, data-block lines left out. */
  byName: ReadonlyMap<string, readonly DirectiveEntry[]>;
  memo: Memo;
  /** add_header_inherit in force per level, for this analysis (addHeadersInForce()). */
  inheritModes: Map<Level, string | null>;
  /** The routing of the configuration the file belongs to (built once per configuration). */
  routing: () => RoutingModel;
}

export interface SecurityRule extends RuleInfo {
  check(scope: SecurityScope): Finding[];
}

/** The entries of the file's directives named `name` (data-block lines excluded). */
export function entriesNamed(scope: SecurityScope, name: string): readonly DirectiveEntry[] {
  noteOutsideRead(name);
  return scope.byName.get(name) ?? [];
}

/** The levels from the entry's enclosing block outwards (through the files that include this one). */
export function levelsAround(scope: SecurityScope, entry: DirectiveEntry): Level[] {
  return entry.parent ? levelsOfBlock(scope, entry.parent) : withTopLevel(scope, []);
}

/** The levels of a block entry itself (its own level first). */
export function levelsOfBlock(scope: SecurityScope, entry: DirectiveEntry): Level[] {
  return scope.memo.get('levels-of-block', entry, () => withTopLevel(scope, entryLevels(scope.workspace, scope.graph, scope.file.path, entry, scope.memo)));
}

/**
 * The levels, ending with the top level of the outermost file when nothing includes it: in a
 * conf.d file or a snippet read on its own, that top level is the http or server level of the blocks
 * below it. (An included file's top level is part of the includer's block, already in the levels.)
 */
function withTopLevel(scope: SecurityScope, levels: Level[]): Level[] {
  const outermost = levels[levels.length - 1];
  // levelsOutward() ends with the top level of a file that no other includes (a site read on its own).
  if (outermost && !outermost.block) return levels;
  const outermostFile = outermost?.file ?? scope.file.path;
  if (!scope.workspace.file(outermostFile) || scope.graph.get(outermostFile)?.site) return levels;
  return [...levels, topLevelOf(scope.workspace, outermostFile, scope.memo)];
}

/** The last value of a directive inherited one by one, or undefined where no level sets it. */
export function valueInForce(levels: readonly Level[], name: string): Placed | undefined {
  return nearest(levels, name)?.placed;
}

/**
 * True when some level has an `include` the workspace cannot read (it may exist on the server): a
 * rule about what a level lacks stays quiet then, rather than judge a config without its includes.
 */
export function missesIncludes(scope: SecurityScope, levels: readonly Level[]): boolean {
  return levels.some((level) => named(level, 'include').some((placed) => {
    const pattern = placed.directive.args[0]?.value ?? '';
    const targets = scope.workspace.resolveInclude(pattern, placed.file);
    return (targets.length === 0 && !isStandardInclude(pattern)) || targets.some((target) => !scope.workspace.file(target));
  }));
}

/** A location (or one it is nested in) that is `internal`: only nginx's own redirects reach it. */
export function isInternal(levels: readonly Level[]): boolean {
  return levels.some((level) => level.block?.name.value === 'location' && named(level, 'internal').length > 0);
}

/** A `server` block of the http family (not stream's, not mail's). */
export const isHttpServer = (entry: DirectiveEntry) =>
  entry.directive.name.value === 'server' && !!entry.directive.block && entry.context.kind === 'directives' && entry.context.family === 'http' && entry.context.name === 'http';

/** The first TLS listen of a server level (`ssl` or `quic`), includes expanded. */
export const tlsListen = (server: Level) =>
  named(server, 'listen').find((listen) => listen.directive.args.some((arg) => arg.value === 'ssl' || arg.value === 'quic'));

/** A server's levels reject every TLS handshake (`ssl_reject_handshake on`, 1.19.4): it serves nothing over TLS to advise on. */
export const rejectsHandshakes = (levels: readonly Level[]) => valueInForce(levels, 'ssl_reject_handshake')?.directive.args[0]?.value === 'on';

/** A directive's source text, from whichever file it is written in. */
export const placedText = (scope: SecurityScope, placed: Placed) =>
  scope.workspace.file(placed.file)?.text.slice(placed.directive.start, placed.directive.end) ?? '';

export function findingAt(rule: RuleInfo, scope: SecurityScope, span: Finding['span'], message: string, extra: Partial<Finding> = {}): Finding {
  return { code: rule.id, severity: rule.severity, message, file: scope.file.path, span, ...extra };
}

/** Where a directive's words are: its name to its last argument. */
export const wordsSpan = (directive: Directive) => ({ start: directive.name.start, end: (directive.args[directive.args.length - 1] ?? directive.name).end });
