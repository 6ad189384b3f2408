// The analysis pipeline for one file: syntax, then nginx's directive checks, then the rules that
// read the configuration as a whole (WebSocket proxying, security), then the file's suppression
// comments. Pure: text in, findings out.

import { checkpoint, neverStale, type IsStale } from './cancellation';
import type { Context } from './context';
import { indexDirectives, type DirectiveEntry } from './directiveIndex';
import { fileContext, includeGraph } from './fileContext';
import { argumentCount } from './rules/directives/argumentCount';
import { blockTerminator } from './rules/directives/blockTerminator';
import { DEFAULT_TARGET, targetVersion, type TargetVersion } from './knowledge/versions';
import { includeBudgetRule, includeCycleRule, includeFindings, includeNotFoundRule } from './rules/file/includes';
import { loadFindings, loadRules, routingRules } from './rules/load';
import { configurationsOf, placedNamed, type Configuration } from './rules/load/configuration';
import type { DirectiveRule } from './rules/directives/directiveRule';
import { duplicateDirective } from './rules/directives/duplicateDirective';
import { duplicateValue } from './rules/directives/duplicateValue';
import { duplicateGeoNetwork } from './rules/directives/duplicateGeoNetwork';
import { duplicateMapKey } from './rules/directives/duplicateMapKey';
import { duplicateMimeType } from './rules/directives/duplicateMimeType';
import { invalidRegex } from './rules/directives/invalidRegex';
import { invalidValue } from './rules/directives/invalidValue';
import { deprecatedDirective, http2ListenFix } from './rules/directives/deprecatedDirective';
import { swallowedDirectiveFix } from './rules/file/missingSemicolon';
import { meaninglessAddressBits } from './rules/directives/meaninglessAddressBits';
import { notAllowedHere } from './rules/directives/notAllowedHere';
import { swallowedDirective } from './rules/directives/swallowedDirective';
import { securityFindings, securityRules } from './rules/security';
import { syntaxFindings, syntaxRule } from './rules/file/syntax';
import { applySuppressions, invalidSuppressionRule, unusedSuppressionRule } from './suppression';
import { unknownDirective } from './rules/directives/unknownDirective';
import { directivePrefixOf, moduleOfPath } from './thirdParty';
import type { Finding, Fix, RuleInfo } from './types';
import { keepaliveRule, webSocketFindings, webSocketRules } from './websocket';
import { Memo } from './websocket/levels';
import { LARGE_FILE_CHARS, type ConfigFile, type Workspace } from './workspace';

export { LARGE_FILE_CHARS };

/** In ngx_conf_handler()'s order; the first problem found for a directive is the one reported. */
const directiveRules: DirectiveRule[] = [unknownDirective, notAllowedHere, blockTerminator, argumentCount, duplicateDirective, duplicateMapKey, invalidValue, invalidRegex, deprecatedDirective, duplicateMimeType, duplicateValue, duplicateGeoNetwork, meaninglessAddressBits, swallowedDirective];

/** More findings than this in one file help nobody (a binary file, say). */
export const MAX_FINDINGS = 500;

export const largeFileRule: RuleInfo = {
  id: 'large-file',
  severity: 'information',
  description: 'A file too large for more than syntax checking.',
};

export const tooManyProblemsRule: RuleInfo = {
  id: 'too-many-problems',
  severity: 'information',
  description: 'The file has more problems than are shown.',
};

export const allRules: RuleInfo[] = [
  syntaxRule,
  ...directiveRules,
  ...loadRules,
  ...routingRules,
  ...webSocketRules,
  keepaliveRule,
  ...securityRules,
  includeNotFoundRule,
  includeCycleRule,
  includeBudgetRule,
  largeFileRule,
  tooManyProblemsRule,
  invalidSuppressionRule,
  unusedSuppressionRule,
];

const ruleIds = new Set(allRules.map((rule) => rule.id));

export interface AnalysisOptions {
  /** Directive names of modules we do not know, declared by the user. */
  extraDirectives?: readonly string[];
  /** The nginx release the configuration is judged for (`1.24`, `1.30.4`); default: the newest stable release known. */
  nginxVersion?: string;
}

/** Entries judged between two checks for staleness: a check costs a call, a stage of 100k entries a while. */
const ENTRIES_PER_CHECKPOINT = 5_000;

/**
 * The findings of a file. `isStale` is asked between stages: once it says yes, the analysis throws
 * AnalysisCancelled (see cancellation.ts) instead of finishing findings for an outdated text.
 */
export function analyze(file: ConfigFile, workspace: Workspace, options: AnalysisOptions = {}, isStale: IsStale = neverStale): Finding[] {
  const findings = syntaxFindings(file);
  if (file.syntaxOnly) {
    findings.push(finding(largeFileRule, file, { start: 0, end: 0 }, file.syntaxOnly));
    // Only syntax is read: suppression comments, like the rules they name, wait for a smaller file.
    return capped(findings, file);
  }
  // The include graph is computed once and serves both the file's context and the WebSocket rules.
  const graph = includeGraph(workspace);
  const top: Context = fileContext(file, workspace, graph);
  const target = targetOf(options);
  // The configurations the file belongs to, as nginx reads them: the modules they load, the load
  // checks' and the routing the security rules ask.
  const configurations = configurationsOf(file, workspace, top);
  const entries = indexDirectives(file.tree, top, { extraDirectives: options.extraDirectives, loadedPrefixes: loadedPrefixes(configurations), target });
  for (let index = 0; index < entries.length; index++) {
    if (index % ENTRIES_PER_CHECKPOINT === 0) checkpoint(isStale);
    const entry = entries[index];
    // Findings past the cap are not shown: a million unknown directives need not be judged.
    if (findings.length > MAX_FINDINGS) return capped(applySuppressions(file, findings, ruleIds), file);
    // `null` is a judged directive without problem: `??=` would judge it again on every analysis.
    if (entry.problem === undefined) entry.problem = directiveProblem(entry, file);
    const problem = entry.problem;
    if (!problem) continue;
    const start = entry.directive.start + problem.from;
    const found = finding(problem.rule, file, { start, end: start + problem.length }, problem.message);
    const fix = problemFix(problem, entry, file);
    if (fix) found.fixes = [fix];
    findings.push(found);
  }
  findings.push(...includeFindings(file, workspace, graph));
  checkpoint(isStale);
  findings.push(...loadFindings(file, configurations, target, isStale));
  checkpoint(isStale);
  // The WebSocket and the security rules read the same levels (a block's directives, includes
  // expanded): built once for both.
  const memo = new Memo();
  // WebSocket findings carry their fixes: stop computing them once nothing more would be shown.
  if (findings.length <= MAX_FINDINGS) findings.push(...webSocketFindings(file, workspace, graph, entries, memo, MAX_FINDINGS + 1 - findings.length));
  checkpoint(isStale);
  if (findings.length <= MAX_FINDINGS) findings.push(...securityFindings(file, workspace, graph, entries, memo, configurations, isStale));
  // Suppression comments apply to every rule's findings at once, before the cap counts them.
  return capped(applySuppressions(file, findings, ruleIds), file);
}

/** The directive prefixes of the modules that the configurations load (`load_module`, includes read in place). */
function loadedPrefixes(configurations: readonly Configuration[]): string[] {
  const prefixes = new Set<string>();
  for (const configuration of configurations) {
    for (const { directive } of placedNamed(configuration, 'load_module')) if (directive.args[0]) prefixes.add(directivePrefixOf(moduleOfPath(directive.args[0].value)));
  }
  return [...prefixes];
}

/** The release the options name, or the default one (the setting is checked where it is read). */
export function targetOf(options: AnalysisOptions): TargetVersion {
  return (options.nginxVersion && targetVersion(options.nginxVersion)) || DEFAULT_TARGET;
}

/**
 * The first problem of a directive, in ngx_conf_handler()'s order. The rules read only the
 * directive's words, context and parent, which an entry reused after an edit keeps.
 */
function directiveProblem(entry: DirectiveEntry, file: ConfigFile): DirectiveEntry['problem'] {
  for (const rule of directiveRules) {
    const problem = rule.check(entry, file);
    if (problem) return { rule, message: problem.message, from: problem.span.start - entry.directive.start, length: problem.span.end - problem.span.start, meant: problem.meant };
  }
  return null;
}

/** Rules whose error a forgotten `;` causes when the next line's directive is read as arguments. */
const SWALLOWING_RULES: ReadonlySet<RuleInfo> = new Set([argumentCount, invalidValue, swallowedDirective]);

/** The preferred fix of a directive problem: the name meant by a typo, or the missing `;`. */
function problemFix(problem: NonNullable<DirectiveEntry['problem']>, entry: DirectiveEntry, file: ConfigFile): Fix | undefined {
  const { name } = entry.directive;
  if (problem.meant) return { title: `Change to "${problem.meant}"`, edits: [{ file: file.path, span: { start: name.start, end: name.end }, newText: problem.meant }], preferred: true };
  if (problem.rule === deprecatedDirective && entry.directive.name.value === 'listen') return http2ListenFix(file, entry.directive, entry.parent?.directive);
  return SWALLOWING_RULES.has(problem.rule) ? swallowedDirectiveFix(file, entry.directive) : undefined;
}

function finding(rule: RuleInfo, file: ConfigFile, span: Finding['span'], message: string): Finding {
  return { code: rule.id, severity: rule.severity, message, file: file.path, span };
}

function capped(findings: Finding[], file: ConfigFile): Finding[] {
  if (findings.length <= MAX_FINDINGS) return findings;
  const shown = findings.slice(0, MAX_FINDINGS);
  shown.push(finding(tooManyProblemsRule, file, { start: 0, end: 0 },
    `More than ${MAX_FINDINGS} problems: the rest are not shown.`));
  return shown;
}
