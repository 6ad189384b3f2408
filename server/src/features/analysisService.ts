// What the analysis needs of the language service, apart from the editor's features: the
// workspace model, the user's settings and the findings of a file. The analysis worker runs this
// alone (analysisWorker.ts): the features, and the docs that hovers show, stay out of its bundle.

import { analyze } from '../analysis/analyze';
import type { IsStale } from '../analysis/cancellation';
import { includeGraph } from '../analysis/fileContext';
import type { Finding } from '../analysis/types';
import { Workspace, type ConfigFile, type FileSystem } from '../analysis/workspace';
import { defaultSettings, type Settings } from './settings';

export class AnalysisService {
  readonly workspace: Workspace;
  settings: Settings = defaultSettings;
  /** The version of the user's nginx, when the host could ask it: the target unless `nginx.version` says otherwise. */
  installedVersion?: string;

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

  /** The nginx release findings and hovers are for: the setting, else the installed nginx, else the default (newest stable). */
  get nginxVersion(): string | undefined {
    return this.settings.version || this.installedVersion;
  }

  /** The findings of a file, with the user's per-rule levels applied; throws AnalysisCancelled once `isStale` says so. */
  diagnose(path: string, isStale?: IsStale): Finding[] {
    const file = this.file(path);
    if (!file) return [];
    const { rules, extraDirectives } = this.settings;
    return analyze(file, this.workspace, { extraDirectives, nginxVersion: this.nginxVersion }, isStale).flatMap((finding) => {
      const level = rules[finding.code];
      if (level === 'off') return [];
      return level ? [{ ...finding, severity: level }] : [finding];
    });
  }

  /** The files the main configs reach, in include order. */
  configurationFiles(): string[] {
    return [...includeGraph(this.workspace).keys()];
  }
}
