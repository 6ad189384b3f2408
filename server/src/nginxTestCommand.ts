// `nginx -t` as an action: the request an editor sends to run it (VS Code: the command "nginx: Test
// Configuration" and the status-bar item), the result every run announces (on save too), what the
// Output channel logs, and the rule that one problem is shown once when ours and nginx's agree.

import type { Diagnostic } from 'vscode-languageserver/node';
import type { NginxCheckResult } from './nginxCheck';

/** Request: `{ uri?: string }`, the document the user is in (its main config is checked), else every main config. */
export const TEST_CONFIGURATION_REQUEST = 'nginx/testConfiguration';
/** Notification after every run: the last result, for a status bar. */
export const TEST_RESULT_NOTIFICATION = 'nginx/testResult';

export interface TestResult {
  /** The main configs checked; empty when nginx was not run (see `summary`). */
  mainConfigs: string[];
  ok: boolean;
  /** One line: "syntax is ok", the first error, or why nginx was not run. */
  summary: string;
}

/** The result of the runs of one request: ok when every main config passed. */
export function testResult(runs: ReadonlyArray<{ mainConfig: string; result: NginxCheckResult }>): TestResult {
  const failed = runs.find(({ result }) => !result.ok);
  const first = failed?.result.problems[0];
  const where = first && (first.line > 0 ? `${first.file}:${first.line}` : first.file);
  return {
    mainConfigs: runs.map(({ mainConfig }) => mainConfig),
    ok: failed === undefined,
    summary: failed ? `${first?.message ?? 'nginx -t failed'}${where ? ` (${where})` : ''}` : `the configuration${runs.length > 1 ? 's are' : ' is'} ok`,
  };
}

/** What the Output channel shows of one run: the command line, the exit status and what nginx printed. */
export function runLog(mainConfig: string, result: NginxCheckResult): string[] {
  const lines = [`nginx -t for ${mainConfig}:`];
  if (result.ran) lines.push(`  $ ${result.ran.commandLine}`, `  exit status ${result.ran.exitStatus ?? '(killed)'}`);
  else lines.push(`  not run: ${result.problems.map((problem) => problem.message).join('; ')}`);
  lines.push(...result.output.split('\n').filter((line) => line.trim() !== '').map((line) => `  | ${line}`));
  lines.push(...result.notes.map((note) => `  note: ${note}`));
  return lines;
}

/**
 * nginx -t's diagnostics that say nothing ours do not: ours are worded as nginx words them, with at
 * most a reason added ("unknown directive "x" (did you mean "y"?)"), and nginx names the line of the
 * directive, so an nginx diagnostic on a line where ours starts with its words is the same problem.
 */
export function withoutRepeats(fromNginx: readonly Diagnostic[], ours: readonly Diagnostic[]): Diagnostic[] {
  return fromNginx.filter((theirs) => !ours.some((our) =>
    our.range.start.line <= theirs.range.start.line && theirs.range.start.line <= our.range.end.line && our.message.startsWith(theirs.message)));
}
