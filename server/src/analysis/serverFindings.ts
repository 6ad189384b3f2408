// Findings kept per http server block from a file's last analysis, for a family of rules whose
// findings inside a server read only that server's levels and what lies outside every server: after
// an edit inside one server, the other servers' findings are reused, moved with the text.

import type { Block, Directive, Reread } from '../parser';
import { eolOf, indentUnit } from './edits';
import { filesAround, type Inclusion } from './fileContext';
import type { TargetVersion } from './knowledge/versions';
import { movedFindings } from './movedFindings';
import { readingOutside } from './websocket/levels';
import type { Finding } from './types';
import type { ConfigFile, Workspace } from './workspace';

interface KeptFindings {
  /** The tree they were found in. */
  root: Block;
  inputs: readonly unknown[];
  /** Per server, the findings in the family's own grouping (per location, per rule). */
  byServer: Map<Directive, Finding[][]>;
  /** The names they read outside every server (readingOutside()). */
  outsideReads: Set<string>;
}

/** By workspace, then by rule family and file path. */
const keptFindings = new WeakMap<Workspace, Map<string, KeptFindings>>();

export interface ServerFindings {
  /** The server's findings from the file's last analysis, moved with the edit; undefined when they must be found again. */
  earlier(server: Directive): Finding[][] | undefined;
  /** Keeps a server's findings (plain spans: withPlainSpans()) for the next analysis. */
  keep(server: Directive, findings: Finding[][]): void;
  /** Runs the family's rules, noting what they read outside the servers for the next analysis. */
  reading<T>(rules: () => T): T;
}

/**
 * The kept findings of a family of rules for this analysis of the file. `inputs` is what every
 * server's findings read beyond its own block (the release, the other files, the indentation...),
 * compared by identity: any change, or an edit outside every server (the http level, a map) but
 * one that adds or removes whole servers, comments, or http-level lines of names the findings did
 * not read, and every server's findings are found again.
 */
export function serverFindings(family: string, file: ConfigFile, workspace: Workspace, inputs: readonly unknown[]): ServerFindings {
  let byKey = keptFindings.get(workspace);
  if (!byKey) keptFindings.set(workspace, (byKey = new Map()));
  const key = `${family}\0${file.path}`;
  const previous = byKey.get(key);
  const { reread } = file.tree;
  const sameInputs = previous !== undefined && previous.inputs.length === inputs.length && previous.inputs.every((input, i) => input === inputs[i]);
  // The same tree analysed again keeps every server's findings; after an edit, those of the servers
  // it is not in, unless it changed what they read outside every server.
  const sameTree = sameInputs && previous.root === file.tree.root;
  const reusable = sameTree || (sameInputs && reread !== undefined && previous.root === reread.previousRoot && leavesOutsideAlone(reread, previous.outsideReads)) ? previous : undefined;
  const edited = new Set(sameTree ? [] : reread?.chain);
  // The servers' findings kept read what the earlier analysis noted.
  const next: KeptFindings = { root: file.tree.root, inputs, byServer: new Map(), outsideReads: new Set(reusable?.outsideReads) };
  byKey.set(key, next);
  return {
    earlier(server) {
      const found = reusable && !edited.has(server) ? reusable.byServer.get(server) : undefined;
      return found && (sameTree ? found : movedFindings(found, reread!, file.path));
    },
    keep: (server, findings) => void next.byServer.set(server, findings),
    reading: (rules) => readingOutside(next.outsideReads, rules),
  };
}

/**
 * Whether an edit leaves what the servers' findings read outside them as it was: it is inside a
 * server, or its statements are comments, whole servers, or lines of the http level (or of the
 * file's top level) whose names the findings did not read (`reads`). A block or an `include` there
 * may hold anything.
 */
function leavesOutsideAlone(edit: Reread, reads: ReadonlySet<string>): boolean {
  if (edit.chain.some(isServerBlock)) return true;
  const holder = edit.chain[edit.chain.length - 1];
  const atOutsideLevel = holder === undefined || holder.name.value === 'http';
  const unread = (node: Directive) => atOutsideLevel && !node.block && !node.luaBody && node.name.value !== 'include' && !reads.has(node.name.value);
  return [...edit.previousChildren, ...edit.children].every((node) => node.kind === 'comment' || isServerBlock(node) || unread(node));
}

/**
 * What the findings of any family read beyond the servers of the file, for serverFindings()' inputs:
 * the release, which files exist (a glob may match others), the file's indentation and line ends
 * (fixes insert lines), and the other files of its configurations.
 */
export function fileInputs(file: ConfigFile, workspace: Workspace, graph: ReadonlyMap<string, Inclusion>, target: TargetVersion | undefined): unknown[] {
  const others = filesAround(file.path, graph).filter((path) => path !== file.path).map((path) => workspace.file(path));
  return [target, workspace.layout, indentUnit(file), eolOf(file), ...others];
}

const isServerBlock = (directive: Directive) => directive.name.value === 'server' && directive.block !== undefined;
