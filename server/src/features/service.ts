// The language service: one object that the LSP server and the CLI share. It owns the workspace
// model (AnalysisService) and answers with plain data (offsets), never LSP types.

import { targetOf } from '../analysis/analyze';
import { fileContext, includeGraph } from '../analysis/fileContext';
import type { TextEdit } from '../analysis/types';
import type { ConfigFile } from '../analysis/workspace';
import type { Span } from '../parser';
import { AnalysisService } from './analysisService';
import { quickFixes, type AskedDiagnostic, type QuickFix } from './codeActions';
import { documentSymbols, workspaceSymbols, type SymbolNode, type WorkspaceSymbolItem } from './symbols';
import { complete, type CompletionEntry } from './completion';
import { foldingRanges, type FoldRange } from './folding';
import { format, type FormattingOptions } from './formatting';
import { hover, type HoverResult } from './hover';
import { locationHeadersMarkdown } from './locationHeaders';
import { locationHoverMarkdown } from './locationHover';
import { routeUrls, type RouteAnswer } from './route';
import { definition, documentLinks, prepareRename, references, rename, type Location, type RenameResult } from './navigation';

export class LanguageService extends AnalysisService {
  /** The file and every file of the configurations it belongs to (roots and their includes). */
  configuration(file: ConfigFile, graph: ReadonlyMap<string, unknown> = includeGraph(this.workspace)): ConfigFile[] {
    const others = [...graph.keys()].filter((path) => path !== file.path);
    return [file, ...others.flatMap((path) => this.file(path) ?? [])];
  }

  quickFixes(path: string, range: Span, asked: readonly AskedDiagnostic[] = []): QuickFix[] {
    return quickFixes(this.diagnose(path), path, range, asked);
  }

  hover(path: string, offset: number): HoverResult | undefined {
    const file = this.file(path);
    if (!file) return undefined;
    const graph = includeGraph(this.workspace);
    const target = targetOf({ nginxVersion: this.nginxVersion });
    const top = fileContext(file, this.workspace, graph);
    return hover(file, offset, top, this.configuration(file, graph), target, {
      block: (chain) => locationHeadersMarkdown(file, chain, this.workspace, graph, target),
      locationPath: (location) => locationHoverMarkdown(file, location, this.workspace, top),
      includeExpansion: (pattern) => this.workspace.expansion(pattern, file.path),
    });
  }

  complete(path: string, offset: number): CompletionEntry[] {
    const file = this.file(path);
    if (!file) return [];
    const graph = includeGraph(this.workspace);
    const target = targetOf({ nginxVersion: this.nginxVersion });
    return complete(file, offset, { top: fileContext(file, this.workspace, graph), configuration: this.configuration(file, graph), workspace: this.workspace, target });
  }

  definition(path: string, offset: number): Location[] {
    const file = this.file(path);
    return file ? definition(file, offset, this.configuration(file), this.workspace) : [];
  }

  references(path: string, offset: number, includeDeclaration: boolean): Location[] {
    const file = this.file(path);
    return file ? references(file, offset, this.configuration(file), includeDeclaration) : [];
  }

  prepareRename(path: string, offset: number): { span: Span } | { error: string } | undefined {
    const file = this.file(path);
    return file && prepareRename(file, offset, this.configuration(file));
  }

  rename(path: string, offset: number, newName: string): RenameResult {
    const file = this.file(path);
    return file ? rename(file, offset, newName, this.configuration(file)) : { edits: [] };
  }

  symbols(path: string): SymbolNode[] {
    const file = this.file(path);
    return file ? documentSymbols(file) : [];
  }

  /** Servers and upstreams of every configuration of the workspace, and of `openFiles`. */
  workspaceSymbols(query: string, openFiles: readonly string[]): WorkspaceSymbolItem[] {
    const paths = new Set([...includeGraph(this.workspace).keys(), ...openFiles]);
    return workspaceSymbols([...paths].flatMap((path) => this.file(path) ?? []), query);
  }

  foldingRanges(path: string): FoldRange[] {
    const file = this.file(path);
    return file ? foldingRanges(file) : [];
  }

  format(path: string, options: FormattingOptions, range?: Span): TextEdit[] {
    const file = this.file(path);
    // A large file gets syntax checking only: formatting 50 MB took minutes and gigabytes (millions of edits).
    return file && !file.syntaxOnly ? format(file, options, range) : [];
  }

  /** Which server and location of the file's configuration serve each URL. */
  route(path: string, urls: readonly string[]): RouteAnswer[] {
    const file = this.file(path);
    return file ? routeUrls(file, this.workspace, urls, targetOf({ nginxVersion: this.nginxVersion })) : [];
  }

  documentLinks(path: string): Array<{ span: Span; target: string }> {
    const file = this.file(path);
    return file ? documentLinks(file, this.workspace) : [];
  }
}
