// Core analysis over in-memory files, and applying the edits of a fix, for unit tests.

import { analyze, type AnalysisOptions } from '../../server/src/analysis/analyze';
import { applyEdits as applyTextEdits } from '../../server/src/analysis/edits';
import type { Finding, TextEdit } from '../../server/src/analysis/types';
import { Workspace } from '../../server/src/analysis/workspace';
import { memoryFs } from './memoryFs';
import { DEBIAN_NGINX_VERSION } from './nginx';

/**
 * The findings of `target`; files by absolute path, `nginx.conf` files are the workspace's main
 * configs. Judged for the release of the nginx the tests check fixes with, unless `options` say.
 */
export function analyzeFiles(files: Record<string, string>, target: string, options: AnalysisOptions = { nginxVersion: DEBIAN_NGINX_VERSION }): Finding[] {
  const workspace = new Workspace(memoryFs(files));
  workspace.roots = Object.keys(files).filter((file) => file.endsWith('/nginx.conf'));
  return analyze(workspace.file(target)!, workspace, options);
}

/** Applies edits (non-overlapping, any order) to the files they name. */
export function applyEdits(files: Record<string, string>, edits: readonly TextEdit[]): Record<string, string> {
  const result = { ...files };
  for (const file of new Set(edits.map((edit) => edit.file))) {
    result[file] = applyTextEdits(result[file], edits.filter((edit) => edit.file === file));
  }
  return result;
}
