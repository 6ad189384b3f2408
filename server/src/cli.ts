// Command line: the same analysis as the editor (suppression comments included), for files or
// folders, in a format for people or for CI. Settings come from `.nginx-lint.json` (here or above,
// up to the repository root), then from the flags. Exit status: 0 when no finding is an
// Error, 1 when one is, 2 on bad usage or a bad settings file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, targetOf } from './analysis/analyze';
import { MAIN } from './analysis/context';
import { contextFromContent, includeGraph, mainConfigs } from './analysis/fileContext';
import { routeCommand } from './cliRoute';
import { versionProblem } from './analysis/knowledge/versions';
import { FORMATS, formatReport, type Format, type ReportedFinding } from './cliReport';
import { DocumentFiles } from './documentFiles';
import { LanguageService } from './features/service';
import { defaultSettings, type RuleLevel } from './features/settings';
import { limitInlining } from './node/inliningBudget';
import { findMainConfigs, nodeFileSystem } from './nodeFileSystem';
import { NginxLines } from './parser';
import { version as toolVersion } from '../../package.json';

const EXIT_CLEAN = 0;
const EXIT_ERRORS = 1;
const EXIT_USAGE = 2;

/**
 * The settings file, unless `--config` names another: in the current directory or the nearest one
 * above it, up to the repository root (the first directory with a `.git`).
 */
const CONFIG_FILE = '.nginx-lint.json';

/** The nearest file `name` in `from` or a directory above it, up to the repository root (the first directory with a `.git`). */
function findAbove(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

const findConfigFile = (from: string) => findAbove(from, CONFIG_FILE);

const LEVELS: readonly RuleLevel[] = ['error', 'warning', 'information', 'hint', 'off'];
const RULE_IDS = new Set(allRules.map((rule) => rule.id));

const USAGE = `usage: nginx-lint [OPTION]... PATH...
  Checks nginx configuration files (folders are searched) as nginx would.
  --format text|json|sarif|github   output format (default: text)
  --nginx-version VERSION           the release to judge for, e.g. 1.24 or 1.30.4 (default: the newest stable known)
  --rule ID=LEVEL                   a rule's level: error, warning, information, hint or off (repeatable)
  --extra-directive NAME            a directive of a module we do not know (repeatable)
  --config FILE                     settings file (default: ${CONFIG_FILE} here or above, up to the repository root)
  Settings file: {"nginxVersion": "1.24", "rules": {"ID": "LEVEL"}, "extraDirectives": ["NAME"]}; flags win.
  Exit status: ${EXIT_CLEAN} no finding is an error, ${EXIT_ERRORS} some finding is an error, ${EXIT_USAGE} bad usage or settings file.
`;

interface Options {
  format: Format;
  version: string;
  rules: Record<string, RuleLevel>;
  extraDirectives: string[];
  paths: string[];
}

/** Files that look like nginx configuration, as the extension's file associations say. */
function isConfigFile(filePath: string): boolean {
  const name = path.basename(filePath);
  return /\.(conf|nginx|nginxconf)$/.test(name) || /\/(sites-available|sites-enabled)\//.test(filePath);
}

function collect(target: string, into: string[]): void {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new Error(`${target}: no such file or directory`);
  if (stat.isFile()) {
    into.push(path.resolve(target));
    return;
  }
  for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) collect(full, into);
    else if (entry.isFile() && isConfigFile(path.resolve(full))) into.push(path.resolve(full));
  }
}

function checkRule(id: string, level: string, source: string): string | undefined {
  if (!RULE_IDS.has(id)) return `${source}: no rule "${id}"`;
  if (!LEVELS.includes(level as RuleLevel)) return `${source}: level "${level}" of ${id} is none of ${LEVELS.join(', ')}`;
  return undefined;
}

/** The settings file's options; a string is what is wrong with it. */
function readConfigFile(file: string | undefined): Partial<Options> | string {
  if (file === undefined) return {};
  if (!fs.existsSync(file)) return `${file}: no such file`;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return `${file}: ${(error as Error).message}`;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return `${file}: not a JSON object`;
  const { nginxVersion, rules, extraDirectives, ...unknown } = raw as Record<string, unknown>;
  const keys = Object.keys(unknown);
  if (keys.length > 0) return `${file}: unknown setting ${keys.join(', ')} (nginxVersion, rules, extraDirectives)`;
  const options: Partial<Options> = {};
  if (nginxVersion !== undefined) {
    const problem = typeof nginxVersion === 'string' ? versionProblem(nginxVersion, `${file}: nginxVersion`) : `${file}: nginxVersion must be a string`;
    if (problem) return problem;
    options.version = nginxVersion as string;
  }
  if (rules !== undefined) {
    if (!rules || typeof rules !== 'object' || Array.isArray(rules)) return `${file}: rules must be an object of rule ids to levels`;
    for (const [id, level] of Object.entries(rules)) {
      const problem = checkRule(id, String(level), `${file}: rules`);
      if (problem) return problem;
    }
    options.rules = rules as Record<string, RuleLevel>;
  }
  if (extraDirectives !== undefined) {
    if (!Array.isArray(extraDirectives) || !extraDirectives.every((name) => typeof name === 'string')) return `${file}: extraDirectives must be an array of names`;
    options.extraDirectives = extraDirectives;
  }
  return options;
}

/** The options of the settings file and the command line; a string is a usage error. */
function parseArguments(argv: string[]): Options | string {
  const flags: Partial<Options> & { rules: Record<string, RuleLevel>; extraDirectives: string[]; paths: string[] } = { rules: {}, extraDirectives: [], paths: [] };
  let config: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!flag.startsWith('--')) {
      flags.paths.push(argv[i]);
      continue;
    }
    if (!['--format', '--nginx-version', '--rule', '--extra-directive', '--config'].includes(flag)) return `unknown option ${argv[i]}`;
    const value = inline ?? argv[++i];
    if (value === undefined) return `${flag} needs a value`;
    if (flag === '--format') {
      if (!FORMATS.includes(value as Format)) return `--format is one of ${FORMATS.join(', ')}, not "${value}"`;
      flags.format = value as Format;
    } else if (flag === '--nginx-version') {
      const problem = versionProblem(value, '--nginx-version');
      if (problem) return problem;
      flags.version = value;
    } else if (flag === '--rule') {
      const [id, level = ''] = value.split('=');
      const problem = checkRule(id, level, '--rule');
      if (problem) return problem;
      flags.rules[id] = level as RuleLevel;
    } else if (flag === '--extra-directive') {
      flags.extraDirectives.push(value);
    } else {
      config = value;
    }
  }
  const file = readConfigFile(config ?? findConfigFile(process.cwd()));
  if (typeof file === 'string') return file;
  if (flags.paths.length === 0) return 'no PATH given';
  return {
    format: flags.format ?? 'text',
    version: flags.version ?? file.version ?? '',
    rules: { ...file.rules, ...flags.rules },
    extraDirectives: [...(file.extraDirectives ?? []), ...flags.extraDirectives],
    paths: flags.paths,
  };
}

/** A path as shown: relative to the current directory when it lies below it. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

function main(argv: string[]): number {
  if (argv.includes('--help')) {
    process.stdout.write(USAGE);
    return EXIT_CLEAN;
  }
  const options = parseArguments(argv);
  if (typeof options === 'string') {
    process.stderr.write(`nginx-lint: ${options}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const files: string[] = [];
  try {
    for (const target of options.paths) collect(target, files);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  // Through DocumentFiles (no document open), which reads each file from disk once and tells the
  // workspace that texts stay as read: over the disk itself, each file was read again whenever a
  // result kept over the configuration was checked (5,214 reads of a 460 KB nginx.conf, 2.3 s; 170 s for 4.4 MB).
  const service = new LanguageService(new DocumentFiles(() => undefined, nodeFileSystem));
  service.settings = { ...defaultSettings, version: options.version, rules: options.rules, extraDirectives: options.extraDirectives };
  const folders = options.paths.filter((target) => fs.statSync(target).isDirectory()).map((target) => path.resolve(target));
  const namedFiles = options.paths.map((target) => path.resolve(target)).filter((target) => !folders.includes(target));
  // A file named as a path is a main config when it is called nginx.conf or holds what only one holds (events, http).
  const isMain = (file: string) => {
    if (path.basename(file) === 'nginx.conf') return true;
    const config = service.file(file);
    return config !== undefined && contextFromContent(config) === MAIN;
  };
  const namedMains = namedFiles.filter(isMain);
  // A file named alone (`conf.d/site.conf`) is judged in the configuration of the nearest nginx.conf
  // above it, as the editor judges it in its workspace: its includes, upstreams and maps are there.
  const mainsAbove = namedFiles.flatMap((file) => findAbove(path.dirname(file), 'nginx.conf') ?? []);
  service.setRoots([...new Set([...folders.flatMap(findMainConfigs), ...mainsAbove, ...namedMains, ...files.filter((file) => path.basename(file) === 'nginx.conf')])]);
  // A main config named as a file is checked with every file it includes under its folder, as
  // `nginx -t` checks them (an absolute include into this machine's /etc/nginx is not the repository's).
  const graph = includeGraph(service.workspace);
  const mains = mainConfigs(service.workspace);
  const checked = new Set(files);
  for (const main of namedMains.filter((file) => mains.includes(file))) {
    const folder = path.dirname(main) + path.sep;
    for (const included of graph.keys()) {
      if (included.startsWith(folder) && !checked.has(included)) {
        checked.add(included);
        files.push(included);
      }
    }
  }
  const reported: ReportedFinding[] = [];
  for (const file of files) {
    const config = service.file(file);
    if (!config) continue;
    // Lines as nginx -t numbers them (by LF), so that the report and nginx's agree on any line ends.
    const lines = new NginxLines(config.text);
    const place = (offset: number) => {
      const line = lines.lineAt(offset);
      return { line, column: offset - lines.lineSpan(line).start + 1 };
    };
    // In the order of the file, whichever rule found them.
    const findings = service.diagnose(file).sort((a, b) => a.span.start - b.span.start);
    for (const finding of findings) {
      const start = place(finding.span.start);
      const end = place(finding.span.end);
      reported.push({
        file: shownPath(finding.file), line: start.line, column: start.column, endLine: end.line, endColumn: end.column,
        severity: finding.severity, code: finding.code, message: finding.message,
      });
    }
  }
  process.stdout.write(formatReport(options.format, reported, allRules, toolVersion));
  const errors = reported.filter((finding) => finding.severity === 'error').length;
  process.stderr.write(`${files.length} file(s) checked for nginx ${targetOf({ nginxVersion: options.version }).label}, ${errors} error(s)\n`);
  return errors > 0 ? EXIT_ERRORS : EXIT_CLEAN;
}

limitInlining();
const argv = process.argv.slice(2);
process.exitCode = argv[0] === 'route' ? routeCommand(argv.slice(1)) : main(argv);
