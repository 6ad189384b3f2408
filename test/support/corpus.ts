/**
 * The shared corpus (`../shared/corpus`, beside the repo): real configurations with the verdicts of
 * nginx 1.22 (`ORACLE.jsonl`), and the analysis of one of its files as the editor runs it: the file
 * opened as it is, its workspace folder being the corpus folder of its repository, whose `nginx.conf`
 * files are the main configs (as the server's findMainConfigs finds them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, type AnalysisOptions } from '../../server/src/analysis/analyze';
import type { Finding } from '../../server/src/analysis/types';
import { Workspace, type ConfigFile, type FileSystem } from '../../server/src/analysis/workspace';
import { findMainConfigs, nodeFileSystem } from '../../server/src/nodeFileSystem';
import { NginxLines } from '../../server/src/parser';
import { DEBIAN_NGINX_VERSION } from './nginx';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS_DIR = resolve(REPO_ROOT, '../shared/corpus');
export const ORACLE_TOOL = resolve(REPO_ROOT, '../shared/tools/nginx-oracle');
export const MANIFEST = join(CORPUS_DIR, 'MANIFEST.tsv');

/** The nginx whose verdicts ORACLE.jsonl holds: Debian's nginx-extras. */
export const ORACLE_JSONL_VERSION = '1.22.1';

export function corpusAvailable(): boolean {
  return existsSync(join(CORPUS_DIR, 'ORACLE.jsonl')) && existsSync(MANIFEST);
}

/** One line of ORACLE.jsonl (the fields the tests read). */
export interface OracleRecord {
  /** Relative to the corpus folder: `<owner>__<repo>/<path with / as __>`. */
  file: string;
  wrapped_as: 'main' | 'http' | 'server' | 'location' | 'stream' | null;
  /** true: accepted; false: rejected; null: depends on the environment. */
  ok: boolean | null;
  error_line: number | null;
  error_message: string | null;
  error_file?: string | null;
}

export function oracleRecords(): OracleRecord[] {
  return readFileSync(join(CORPUS_DIR, 'ORACLE.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as OracleRecord);
}

/** A FileSystem where some files have unsaved editor text (a mutant), the disk elsewhere. */
export function overlayFs(overrides: ReadonlyMap<string, string>): FileSystem {
  return {
    readFile: (path) => overrides.get(path) ?? nodeFileSystem.readFile(path),
    readDir: (path) => nodeFileSystem.readDir(path),
  };
}

const rootsByFolder = new Map<string, string[]>();

/**
 * The analysis of a corpus file (relative name), optionally with `text` in place of the disk's,
 * judged for `options.nginxVersion` (by default the release ORACLE.jsonl's verdicts come from).
 */
export function analyzeCorpusFile(
  relative: string, text?: string, options: AnalysisOptions = { nginxVersion: DEBIAN_NGINX_VERSION },
): { file: ConfigFile; errors: Finding[]; workspace: Workspace } {
  const path = join(CORPUS_DIR, relative);
  const folder = join(CORPUS_DIR, relative.split('/')[0]);
  let roots = rootsByFolder.get(folder);
  if (!roots) rootsByFolder.set(folder, (roots = findMainConfigs(folder)));
  const workspace = new Workspace(text === undefined ? nodeFileSystem : overlayFs(new Map([[path, text]])));
  workspace.roots = roots;
  const file = workspace.file(path);
  if (!file) throw new Error(`cannot read ${path}`);
  const errors = analyze(file, workspace, options).filter((finding) => finding.severity === 'error');
  return { file, errors, workspace };
}

/** 1-based first and last lines of a finding, as nginx numbers lines. */
export function findingLines(file: ConfigFile, finding: Finding): [number, number] {
  const lines = new NginxLines(file.text);
  return [lines.lineAt(finding.span.start), lines.lineAt(finding.span.end)];
}

export function describeFinding(file: ConfigFile, finding: Finding): string {
  const [first] = findingLines(file, finding);
  return `${first}: ${finding.message}`;
}
