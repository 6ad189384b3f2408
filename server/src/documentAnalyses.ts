// The analysis of each open document, one per version: started after a change (debounced), at once
// on open, or by the first code action request that needs it; published when it is done and still
// current; kept for every code action request of that version (the editor asks on each cursor move).

import type { FileAnalysis } from './analyzer';

export interface DocumentVersion {
  uri: string;
  path: string;
  version: number;
}

export interface DocumentAnalysesHost {
  /** The analysis of a file for the current texts; undefined when a change made it stale first. */
  analyse(path: string): Promise<FileAnalysis | undefined>;
  /** The document's version now, undefined once it is closed. */
  currentVersion(uri: string): number | undefined;
  /** Bumped whenever anything else the analysis reads changes (another file, the settings): a kept analysis is then outdated. */
  inputs(): number;
  publish(uri: string, analysis: FileAnalysis): void;
}

export class DocumentAnalyses {
  private readonly latest = new Map<string, { version: number; inputs: number; result: Promise<FileAnalysis | undefined> }>();

  constructor(private readonly host: DocumentAnalysesHost) {}

  /** The analysis of this version of the document: the one done or under way, else a new one. Undefined once the document moved on. */
  of(document: DocumentVersion): Promise<FileAnalysis | undefined> {
    const known = this.latest.get(document.uri);
    const inputs = this.host.inputs();
    if (known?.version === document.version && known.inputs === inputs) return known.result;
    const result = this.run(document, inputs);
    this.latest.set(document.uri, { version: document.version, inputs, result });
    return result;
  }

  forget(uri: string): void {
    this.latest.delete(uri);
  }

  private async run(document: DocumentVersion, inputs: number): Promise<FileAnalysis | undefined> {
    let analysis: FileAnalysis | undefined;
    try {
      analysis = await this.host.analyse(document.path);
    } catch (error) {
      this.latest.delete(document.uri);
      throw error;
    }
    if (this.host.currentVersion(document.uri) !== document.version) return undefined;
    if (!analysis) {
      // Stale although this document did not change (another file or a setting did): computed again,
      // or the answer of the run already started for the inputs as they are now.
      if (this.latest.get(document.uri)?.inputs === inputs) this.latest.delete(document.uri);
      return this.of(document);
    }
    this.host.publish(document.uri, analysis);
    return analysis;
  }
}
