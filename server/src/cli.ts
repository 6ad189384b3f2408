// Command line: the same analysis as the editor, for files or folders, in a CI-friendly format:
//   file:line:col: severity code message
// Exit status 1 when any finding is an Error, 2 on bad usage. `--nginx-version` sets the target release.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { targetOf } from './analysis/analyze';
import { routeCommand } from './cliRoute';
import { parseVersion } from './analysis/knowledge/versions';
import { LanguageService } from './features/service';
import { defaultSettings } from './features/settings';
import { findMainConfigs, nodeFileSystem } from './nodeFileSystem';
import { NginxLines } from './parser';

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

const USAGE = `usage: nginx-lint [--nginx-version VERSION] PATH...
  Checks nginx configuration files (folders are searched) as nginx VERSION would
  (e.g. 1.24 or 1.30.4; default: the newest stable release known).
`;

/** The options and paths of the command line; a string is a usage error. */
function parseArguments(argv: string[]): { version: string; paths: string[] } | string {
  const paths: string[] = [];
  let version = '';
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag !== '--nginx-version') {
      if (argv[i].startsWith('--')) return `unknown option ${argv[i]}`;
      paths.push(argv[i]);
      continue;
    }
    version = inline ?? argv[++i] ?? '';
    if (!parseVersion(version)) return `--nginx-version takes a release such as 1.24 or 1.30.4, not "${version}"`;
  }
  return paths.length > 0 ? { version, paths } : 'no PATH given';
}

function main(argv: string[]): number {
  if (argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseArguments(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`nginx-lint: ${parsed}\n${USAGE}`);
    return 2;
  }
  const { paths, version } = parsed;
  const files: string[] = [];
  try {
    for (const target of paths) collect(target, files);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const service = new LanguageService(nodeFileSystem);
  service.settings = { ...defaultSettings, version };
  const roots = paths.flatMap((target) => (fs.statSync(target).isDirectory() ? findMainConfigs(path.resolve(target)) : []));
  service.setRoots([...new Set([...roots, ...files.filter((file) => path.basename(file) === 'nginx.conf')])]);
  let errors = 0;
  for (const file of files) {
    const config = service.file(file);
    if (!config) continue;
    // Lines as nginx -t numbers them (by LF), so that the report and nginx's agree on any line ends.
    const nginxLines = new NginxLines(config.text);
    for (const finding of service.diagnose(file)) {
      const line = nginxLines.lineAt(finding.span.start);
      const column = finding.span.start - nginxLines.lineSpan(line).start + 1;
      const relative = path.relative(process.cwd(), finding.file);
      const shown = relative.startsWith('..') ? finding.file : relative;
      process.stdout.write(`${shown}:${line}:${column}: ${finding.severity} ${finding.code} ${finding.message}\n`);
      if (finding.severity === 'error') errors++;
    }
  }
  process.stderr.write(`${files.length} file(s) checked for nginx ${targetOf({ nginxVersion: version }).label}, ${errors} error(s)\n`);
  return errors > 0 ? 1 : 0;
}

const argv = process.argv.slice(2);
process.exitCode = argv[0] === 'route' ? routeCommand(argv.slice(1)) : main(argv);
