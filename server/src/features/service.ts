// The language service: one object that the LSP server and the CLI share. It owns the workspace
// model and answers with plain data (offsets), never LSP types.

import { analyze, type AnalysisOptions } from '../analysis/analyze';
import { fileContext } from '../analysis/fileContext';
import type { Finding } from '../analysis/types';
import type { Span } from '../parser';
import { Workspace, type ConfigFile, type FileSystem } from '../analysis/workspace';
import { quickFixes, type QuickFix } from './codeActions';
import { hover, type HoverResult } from './hover';

export interface ServiceOptions {
  extraDirectives?: readonly string[];
}

export class LanguageService {
  readonly workspace: Workspace;
  options: ServiceOptions = {};

  constructor(fs: FileSystem) {
    this.workspace = new Workspace(fs);
  }

  /** Main configs (nginx.conf files): what their includes pull in takes their context. */
  setRoots(roots: string[]): void {
    this.workspace.roots = roots;
  }

  file(path: string): ConfigFile | undefined {
    return this.workspace.file(path);
  }

  diagnose(path: string): Finding[] {
    const file = this.file(path);
    if (!file) return [];
    const options: AnalysisOptions = { extraDirectives: this.options.extraDirectives };
    return analyze(file, this.workspace, options);
  }

  quickFixes(path: string, range: Span): QuickFix[] {
    return quickFixes(this.diagnose(path), path, range);
  }

  hover(path: string, offset: number): HoverResult | undefined {
    const file = this.file(path);
    return file && hover(file, offset, fileContext(file, this.workspace));
  }
}
