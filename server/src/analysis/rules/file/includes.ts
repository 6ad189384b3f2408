// The include graph as seen from one file: includes that name a file the workspace does not have,
// includes that lead back to the file itself, and includes that a budget kept from being followed.

import type { Directive } from '../../../parser';
import type { Finding, RuleInfo } from '../../types';
import type { IncludeGraph } from '../../fileContext';
import { hasGlob, MAX_INCLUDE_DEPTH, type ConfigFile, type Workspace } from '../../workspace';

export const includeNotFoundRule: RuleInfo = {
  id: 'include-not-found',
  severity: 'information',
  description: 'An include of a file that is not in the workspace (it may exist on the server).',
};

export const includeCycleRule: RuleInfo = {
  id: 'include-cycle',
  severity: 'warning',
  description: 'An include that leads back to the file that includes it.',
};

export const includeBudgetRule: RuleInfo = {
  id: 'include-budget',
  severity: 'information',
  description: 'An include not followed (or not in full): a file too large or not a regular file, or a budget of the include graph or of globs spent.',
};

/**
 * Files one search for a cycle discovers at most: it runs for every file an include names, so a glob
 * of 1,000 files that each include it again must not make a search of the whole graph each.
 */
const MAX_CYCLE_SEARCH = 256;

/** The chain of files from `start` back to `target`, following includes breadth-first (bounded). */
function pathBack(workspace: Workspace, start: string, target: string): string[] | undefined {
  const cameFrom = new Map<string, string | undefined>([[start, undefined]]);
  let frontier = [start];
  for (let depth = 0; depth < MAX_INCLUDE_DEPTH && frontier.length > 0 && cameFrom.size < MAX_CYCLE_SEARCH; depth++) {
    const next: string[] = [];
    for (const path of frontier) {
      const file = workspace.file(path);
      for (const include of file ? workspace.includesOf(file) : []) {
        for (const included of include.targets) {
          if (included === target) {
            const chain = [path];
            for (let at = cameFrom.get(path); at; at = cameFrom.get(at)) chain.unshift(at);
            return [...chain, target];
          }
          if (!cameFrom.has(included)) {
            cameFrom.set(included, path);
            next.push(included);
          }
        }
      }
    }
    frontier = next;
  }
  return undefined;
}

export function includeFindings(file: ConfigFile, workspace: Workspace, graph: IncludeGraph): Finding[] {
  const findings: Finding[] = [];
  const report = (rule: RuleInfo, directive: Directive, message: string) =>
    findings.push({ code: rule.id, severity: rule.severity, message, file: file.path, span: directive.args[0] });
  for (const { directive, targets, stopped } of workspace.includesOf(file)) {
    const pattern = directive.args[0].value;
    const notFollowed = stopped ?? graph.notFollowed.get(directive);
    if (notFollowed) {
      // Cut short by the graph's budgets, what is followed is what the graph holds.
      const partly = stopped ? targets.length > 0 : targets.some((target) => graph.has(target));
      report(includeBudgetRule, directive, `"${pattern}" is not followed${partly ? ' in full' : ''}: ${notFollowed}`);
    }
    if (targets.length === 0 && !hasGlob(pattern)) {
      if (stopped) continue;
      // nginx reports a missing file (a glob may match nothing); here it may just be elsewhere.
      report(includeNotFoundRule, directive, `"${pattern}" is not in the workspace (looked for it under ${workspace.confRootOf(file.path)})`);
      continue;
    }
    for (const target of targets) {
      const cycle = target === file.path ? [file.path, target] : pathBack(workspace, target, file.path);
      if (cycle) {
        report(includeCycleRule, directive, `include cycle: ${[file.path, ...cycle.slice(target === file.path ? 1 : 0)].join(' → ')}`);
        break;
      }
    }
  }
  return findings;
}
