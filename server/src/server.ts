// LSP wiring only: documents in, plain results of the language service out, converted to LSP
// types here and nowhere else. The same for every runtime: node/main.ts (stdio, IPC) and
// browser/main.ts (a web worker) start it with their connection and what they can reach (Runtime).

import {
  CodeActionKind,
  CompletionItemKind,
  CompletionItemTag,
  FoldingRangeKind,
  SymbolKind,
  InsertTextFormat,
  LSPErrorCodes,
  ResponseError,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type DidChangeConfigurationParams,
  type DocumentSymbol,
  type FoldingRange,
  type FormattingOptions,
  type Range,
  type SymbolInformation,
  type CompletionItem,
  type CompletionList,
  type DocumentLink,
  type Location,
  type TextDocumentPositionParams,
  type WorkspaceEdit,
  type Diagnostic,
  type InitializeResult,
  type TextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { targetOf } from './analysis/analyze';
import type { Finding, TextEdit as CoreTextEdit } from './analysis/types';
import { inProcessAnalyzer, type Analyzer, type AnalysisState } from './analyzer';
import { toDiagnostic as diagnosticOf } from './diagnostics';
import { DocumentAnalyses } from './documentAnalyses';
import { DocumentFiles } from './documentFiles';
import { codeActionsAt, fixAll, type FixAll } from './features/codeActions';
import type { CompletionEntry } from './features/completion';
import type { SymbolNode } from './features/symbols';
import { NginxLines, type Span } from './parser';
import { LanguageService } from './features/service';
import { basename, fileToUri, resolvePath, uriToFile } from './analysis/paths';
import { routeSummary, type RoutePlace } from './features/route';
import { parseSettings } from './features/settings';
import type { RuntimeFileSystem } from './analysis/workspace';
import type { NginxCheckOptions, NginxCheckResult } from './nginxCheck';
import { runLog, TEST_CONFIGURATION_REQUEST, TEST_RESULT_NOTIFICATION, testResult, withoutRepeats, type TestResult } from './nginxTestCommand';
import { isNginxFile, MAX_WORKSPACE_FILES, WorkspaceDiagnostics } from './workspaceDiagnostics';

/** The source action that applies every safe fix of a file (what editor.codeActionsOnSave can run). */
const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.nginx`;

/** What only a server with a local disk and processes has: nginx -t on save and `nginx -v`. */
export interface NginxRuntime {
  shouldRun(state: { trusted: boolean; enabled: boolean; executablePath: string | undefined }): boolean;
  mainConfigFor(file: string, roots: readonly string[], folders: readonly string[]): string | undefined;
  check(options: NginxCheckOptions): Promise<NginxCheckResult>;
  describeConfinement(): string;
  installedVersion(executablePath: string): string | undefined;
}

/** What the server reaches besides the editor's documents, per runtime. */
export interface Runtime {
  /** The files that are not open documents (the disk, or the client's workspace.fs). */
  fileSystem: RuntimeFileSystem;
  /** The main configs (nginx.conf files) of a workspace folder. */
  findMainConfigs(folder: string): string[];
  /** The files of a folder tree that `accepts` takes, at most `maxFound` (the workspace's nginx files); none where it cannot list them. */
  findFiles?(folder: string, accepts: (file: string) => boolean, maxFound: number): string[];
  /** A file's path with its symlinks resolved (one set of problems per file); the path itself where there are none. */
  realPath?(file: string): string;
  /** What a relative nginx.mainConfig is resolved against when there is no workspace folder. */
  workingDirectory?: string;
  nginx?: NginxRuntime;
  /**
   * Takes the function to call when files the file system could not give at once have arrived
   * (the browser reads them from the client, asynchronously): they are read again.
   */
  onFilesArrived?(listener: () => void): void;
  /** Files changed: what the runtime kept of them is read again. */
  forgetFiles?(): void;
  /** Starts the analysis apart from the requests (a worker thread); without it, it runs between them. */
  startAnalyzer?(log: (message: string) => void): Analyzer;
}

export function startServer(connection: Connection, runtime: Runtime): void {
  const documents = new TextDocuments(TextDocument);

  /** Core ids are file paths for file: URIs (Windows ones too), the URI itself otherwise (untitled documents). */
  const toPath = uriToFile;
  const toUri = fileToUri;

  const openDocuments = new Map<string, TextDocument>();
  const files = new DocumentFiles((path) => openDocuments.get(path)?.getText(), runtime.fileSystem);
  const service = new LanguageService(files);
  const analyzer = runtime.startAnalyzer?.((message) => connection.console.error(message)) ?? inProcessAnalyzer(service);
  const analysisState = (): AnalysisState => ({ settings: service.settings, installedVersion: service.installedVersion, roots: service.workspace.roots });

  /** guarded() for a handler that answers later. */
  function guardedAsync<A extends unknown[], R>(name: string, handler: (...args: A) => Promise<R>, fallback: R) {
    return async (...args: A): Promise<R> => {
      try {
        return await handler(...args);
      } catch (error) {
        connection.console.error(`${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
        return fallback;
      }
    };
  }

  /** Runs a handler so that one failing request is logged and answered empty, never fatal. */
  function guarded<A extends unknown[], R>(name: string, handler: (...args: A) => R, fallback: R) {
    return (...args: A): R => {
      try {
        return handler(...args);
      } catch (error) {
        connection.console.error(`${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
        return fallback;
      }
    };
  }

  const toDiagnostic = (finding: Finding): Diagnostic => diagnosticOf(finding, (path) => service.file(path)?.lines);

  function toWorkspaceEdit(edits: readonly CoreTextEdit[]): WorkspaceEdit {
    const changes: Record<string, TextEdit[]> = {};
    for (const edit of edits) {
      const lines = service.file(edit.file)?.lines;
      if (lines) (changes[toUri(edit.file)] ??= []).push({ range: lines.rangeOf(edit.span), newText: edit.newText });
    }
    return { changes };
  }

  function toLocation(location: { file: string; span: Span }): Location {
    const lines = service.file(location.file)?.lines;
    const range = lines?.rangeOf(location.span) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { uri: toUri(location.file), range };
  }

  /** The document's path and the cursor's offset, for position-based requests. */
  function at(params: TextDocumentPositionParams): { path: string; offset: number } | undefined {
    const path = toPath(params.textDocument.uri);
    const file = service.file(path);
    return file && { path, offset: file.lines.offsetAt(params.position) };
  }

  const completionKinds: Record<CompletionEntry['kind'], CompletionItemKind> = {
    directive: CompletionItemKind.Property,
    block: CompletionItemKind.Module,
    snippet: CompletionItemKind.Snippet,
    variable: CompletionItemKind.Variable,
    value: CompletionItemKind.EnumMember,
    upstream: CompletionItemKind.Reference,
    file: CompletionItemKind.File,
    folder: CompletionItemKind.Folder,
  };

  let workspaceFolders: string[] = [];

  /** The main configs: the `nginx.mainConfig` setting when set, else every nginx.conf of the workspace. */
  function updateRoots(): void {
    const configured = service.settings.mainConfig;
    const base = workspaceFolders[0] ?? runtime.workingDirectory;
    const main = configured && base !== undefined ? resolvePath(base, configured) : undefined;
    service.setRoots(configured ? (main ? [main] : []) : workspaceFolders.flatMap((folder) => runtime.findMainConfigs(folder)));
  }

  let canWatchFiles = false;
  /**
   * The client resolves a code action's edit when it is chosen (VS Code does): a fix-all's edit, which
   * can touch hundreds of lines, is then made only for the one the user picks, not for every cursor move.
   */
  let resolvesFixAllEdits = false;
  /**
   * The client takes a completion list's item defaults (LSP 3.17 itemDefaults; VS Code does): the
   * 700 directives a location may hold then share one edit range and one `data` instead of each
   * carrying its own, and the answer weighs a third.
   */
  let takesCompletionDefaults = false;
  /** The list's insert text format may be a default too: the most frequent one goes there. */
  let takesFormatDefault = false;
  /**
   * The client resolves an item's detail when it shows it (VS Code does: the detail of the focused
   * item): the 700 directives' syntaxes are then not in every answer (a third of its size).
   */
  let resolvesCompletionDetail = false;

  connection.onInitialize((params): InitializeResult => {
    canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    resolvesFixAllEdits = params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    const itemDefaults = params.capabilities.textDocument?.completion?.completionList?.itemDefaults ?? [];
    takesCompletionDefaults = itemDefaults.includes('editRange') && itemDefaults.includes('data');
    takesFormatDefault = takesCompletionDefaults && itemDefaults.includes('insertTextFormat');
    resolvesCompletionDetail = params.capabilities.textDocument?.completion?.completionItem?.resolveSupport?.properties.includes('detail') === true;
    workspaceFolders = params.workspaceFolders?.map((folder) => toPath(folder.uri)) ?? [];
    updateRoots();
    workspaceTrusted = (params.initializationOptions as { workspaceTrusted?: unknown } | null | undefined)?.workspaceTrusted === true;
    updateTargetVersion();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['$', '/'], resolveProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentLinkProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
      },
      serverInfo: { name: 'nginx-language-server', version: '0.1.0' },
    };
  });

  /** Debounced per document after a change (an opened one is analysed at once); results for an outdated version are dropped. */
  const DEBOUNCE_MS = 150;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();

  const analyses = new DocumentAnalyses({
    analyse: async (path) => (await analyzer.analyze([path], openDocuments, analysisState()))?.get(path),
    currentVersion: (uri) => documents.get(uri)?.version,
    inputs: () => inputsGeneration,
    publish: (uri, analysis) => {
      analysisDiagnostics.set(uri, analysis.diagnostics);
      publish(uri);
    },
  });

  const versionOf = (document: TextDocument) => ({ uri: document.uri, path: toPath(document.uri), version: document.version });

  function scheduleValidation(document: TextDocument, delay = DEBOUNCE_MS): void {
    clearTimeout(pending.get(document.uri));
    pending.set(document.uri, setTimeout(() => validate(document.uri, document.version), delay));
  }

  function validate(uri: string, version: number): void {
    pending.delete(uri);
    const document = documents.get(uri);
    if (!document || document.version !== version) return;
    analyses.of(versionOf(document)).catch((error) => connection.console.error(`validation failed: ${error instanceof Error ? error.stack : String(error)}`));
  }

  // Diagnostics come from two sources, published together per URI: the analysis (open documents, on
  // every change) and nginx -t (on save, on any file nginx names, until the next check).
  const analysisDiagnostics = new Map<string, Diagnostic[]>();
  /** nginx -t's diagnostics by the main config checked, then by URI. */
  const nginxDiagnostics = new Map<string, Map<string, Diagnostic[]>>();

  // Closed files: the whole configuration and the workspace's nginx files (workspaceDiagnostics.ts).
  /** The workspace folders' nginx files, found once until files appear or go. */
  let workspaceNginxFiles: string[] | undefined;
  /** Real paths (symlinks resolved) of the pass's files, kept until files appear or go: every edit starts a pass over all of them. */
  const realPaths = new Map<string, string>();

  const workspaceDiagnostics = new WorkspaceDiagnostics<Diagnostic>({
    files: async () => [
      ...(await analyzer.configurationFiles(openDocuments, analysisState())),
      ...openDocuments.keys(),
      ...(workspaceNginxFiles ??= workspaceFolders.flatMap((folder) => runtime.findFiles?.(folder, isNginxFile, MAX_WORKSPACE_FILES) ?? [])),
    ],
    isOpen: (path) => openDocuments.has(path),
    realPath: (path) => {
      let real = realPaths.get(path);
      if (real === undefined) realPaths.set(path, (real = runtime.realPath?.(path) ?? path));
      return real;
    },
    analyse: async (paths) => {
      const results = await analyzer.analyze(paths, openDocuments, analysisState());
      return results && new Map([...results].map(([path, analysis]) => [path, analysis.diagnostics]));
    },
    publish: (path, diagnostics) => {
      analysisDiagnostics.set(toUri(path), diagnostics);
      publish(toUri(path));
    },
  });

  /** Counts the changes of what the analysis reads, for DocumentAnalyses. */
  let inputsGeneration = 0;

  /** Something the configuration's problems depend on changed: analyse the closed files again, or clear them. */
  function configurationChanged(): void {
    // An analysis under way reads what changed: it stops at its next checkpoint.
    analyzer.changed();
    inputsGeneration++;
    if (service.settings.diagnosticsScope === 'workspace') workspaceDiagnostics.schedule();
    else workspaceDiagnostics.clear();
  }

  function publish(uri: string): void {
    const ours = analysisDiagnostics.get(uri) ?? [];
    const fromNginx = withoutRepeats([...nginxDiagnostics.values()].flatMap((byUri) => byUri.get(uri) ?? []), ours);
    const diagnostics = [...ours, ...fromNginx];
    void connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics });
  }

  // nginx -t on save runs only when the client says the workspace is trusted (VS Code:
  // initializationOptions.workspaceTrusted, then nginx/workspaceTrust when trust is granted; other
  // editors: never, unless they send it), the setting is on and the executable path is set.
  let workspaceTrusted = false;
  /** The latest check per main config: the results of an older one are dropped. */
  const nginxRuns = new Map<string, number>();
  let nginxRunCount = 0;

  function setNginxDiagnostics(main: string, byUri: Map<string, Diagnostic[]>): void {
    const before = [...(nginxDiagnostics.get(main)?.keys() ?? [])];
    if (byUri.size > 0) nginxDiagnostics.set(main, byUri);
    else nginxDiagnostics.delete(main);
    new Set([...before, ...byUri.keys()]).forEach(publish);
  }

  function clearNginxDiagnostics(): void {
    nginxRuns.clear();
    [...nginxDiagnostics.keys()].forEach((main) => setNginxDiagnostics(main, new Map()));
  }

  /**
 * The line nginx names (1-based, counted by LF as nginx counts; 0 when it names none), from its
 * first non-blank character, as an editor range (through offsets: a lone CR starts an editor line).
 */
  function nginxLineRange(path: string, line: number): Range {
    const file = service.file(path);
    if (!file) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const span = new NginxLines(file.text).lineSpan(line);
    const text = file.text.slice(span.start, span.end);
    return file.lines.rangeOf({ start: span.start + text.length - text.trimStart().length, end: span.end });
  }

  /** Said once per server in the Output channel: what nginx -t on save runs in here. */
  let confinementLogged = false;

  /** Runs nginx -t on a main config, logs the run and shows its errors; undefined when a newer run superseded it. */
  async function runNginxCheck(nginx: NginxRuntime, main: string): Promise<NginxCheckResult | undefined> {
    const run = ++nginxRunCount;
    nginxRuns.set(main, run);
    if (!confinementLogged) connection.console.info(nginx.describeConfinement());
    confinementLogged = true;
    const result = await nginx.check({
      nginxPath: service.settings.executablePath,
      mainConfig: main,
      openBuffer: (path) => openDocuments.get(path)?.getText(),
    });
    if (nginxRuns.get(main) !== run) return undefined;
    connection.console.info(runLog(main, result).join('\n'));
    const byUri = new Map<string, Diagnostic[]>();
    for (const problem of result.problems) {
      if (problem.refused) connection.console.warn(`${problem.file}:${problem.line}: ${problem.message}`);
      const uri = toUri(problem.file);
      const diagnostic: Diagnostic = {
        range: nginxLineRange(problem.file, problem.line),
        severity: problem.refused ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
        code: 'nginx-t',
        source: 'nginx -t',
        message: problem.message,
      };
      byUri.set(uri, [...(byUri.get(uri) ?? []), diagnostic]);
    }
    setNginxDiagnostics(main, byUri);
    return result;
  }

  /** Runs nginx -t on the main configs and announces the result (the status bar shows it). */
  async function testConfigurations(nginx: NginxRuntime, mains: readonly string[]): Promise<TestResult> {
    const runs = [];
    for (const mainConfig of mains) {
      const result = await runNginxCheck(nginx, mainConfig);
      if (result) runs.push({ mainConfig, result });
    }
    const outcome = testResult(runs);
    void connection.sendNotification(TEST_RESULT_NOTIFICATION, outcome);
    return outcome;
  }

  connection.onInitialized(() => {
    if (canWatchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
    }
    configurationChanged();
  });

  // Settings are pushed by the client (VS Code's `synchronize.configurationSection`, or any
  // editor's workspace/didChangeConfiguration with an `nginx` section).
  connection.onDidChangeConfiguration(
    guarded('configuration', (params: DidChangeConfigurationParams) => {
      service.settings = parseSettings((params.settings as { nginx?: unknown } | undefined)?.nginx);
      updateRoots();
      updateTargetVersion();
      if (!service.settings.validateOnSave) clearNginxDiagnostics();
      documents.all().forEach((document) => scheduleValidation(document));
      configurationChanged();
    }, undefined),
  );

  /** The include graph, glob expansions and disk texts are kept until a file appears, goes or changes on disk. */
  function filesChanged(): void {
    files.forget();
    analyzer.filesChanged();
    workspaceNginxFiles = undefined;
    realPaths.clear();
    service.workspace.filesChanged();
  }

  /**
 * An opened document is a file for the analysis (even unsaved), a closed one is read from disk
 * again: which files exist changes only when the disk has no readable file there.
 */
  function openedOrClosed(path: string): void {
    files.forget(path);
    if (runtime.fileSystem.fileStatus(path) !== 'readable') filesChanged();
  }

  /**
   * The version each document was opened with: TextDocuments fires onDidChangeContent right after
   * onDidOpen for the same text, which must not postpone the open's analysis by the debounce nor make
   * this thread parse the whole file before the worker has even got it.
   */
  const openedVersions = new Map<string, number>();

  documents.onDidOpen((event) => {
    const path = toPath(event.document.uri);
    openedVersions.set(event.document.uri, event.document.version);
    openDocuments.set(path, event.document);
    files.documentsChanged();
    workspaceDiagnostics.forget(path);
    openedOrClosed(path);
    scheduleValidation(event.document, 0);
    configurationChanged();
  });
  /**
   * The server's own tree of an edited document is brought up to date once typing pauses, before the
   * next request needs it: a hover or completion then answers at once instead of re-parsing first.
   */
  const REPARSE_IDLE_MS = 50;
  const reparses = new Map<string, ReturnType<typeof setTimeout>>();

  documents.onDidChangeContent((event) => {
    if (openedVersions.get(event.document.uri) === event.document.version) return;
    const path = toPath(event.document.uri);
    openDocuments.set(path, event.document);
    files.documentsChanged();
    scheduleValidation(event.document);
    configurationChanged();
    clearTimeout(reparses.get(path));
    reparses.set(path, setTimeout(guarded('reparse', () => {
      reparses.delete(path);
      analyzer.documentsEdited(openDocuments);
      service.file(path);
    }, undefined), REPARSE_IDLE_MS));
  });
  documents.onDidClose((event) => {
    const path = toPath(event.document.uri);
    openedVersions.delete(event.document.uri);
    openDocuments.delete(path);
    files.documentsChanged();
    workspaceDiagnostics.forget(path);
    service.workspace.forget(path);
    openedOrClosed(path);
    clearTimeout(pending.get(event.document.uri));
    clearTimeout(reparses.get(path));
    reparses.delete(path);
    analyses.forget(event.document.uri);
    analysisDiagnostics.delete(event.document.uri);
    publish(event.document.uri);
    configurationChanged();
  });

  documents.onDidSave(
    guarded('save', ({ document }: { document: TextDocument }) => {
      const { validateOnSave, executablePath } = service.settings;
      const nginx = runtime.nginx;
      if (!nginx?.shouldRun({ trusted: workspaceTrusted, enabled: validateOnSave, executablePath })) return;
      const saved = toPath(document.uri);
      const main = nginx.mainConfigFor(saved, service.workspace.roots, workspaceFolders);
      if (!main) {
        connection.console.info(`nginx -t: not run for ${saved}: its main config is not a file inside the workspace folders`);
        return;
      }
      testConfigurations(nginx, [main]).catch((error) => connection.console.error(`nginx -t failed: ${error instanceof Error ? error.stack : String(error)}`));
    }, undefined),
  );

  // Files changed on disk (created, deleted, edited by another program): what was read is read again.
  // Clients that cannot watch files for the server leave them as they were until a file is created by
  // opening or closing a document.
  connection.onDidChangeWatchedFiles(
    guarded('watchedFiles', () => {
      runtime.forgetFiles?.();
      filesChanged();
      documents.all().forEach((document) => scheduleValidation(document));
      configurationChanged();
    }, undefined),
  );

  // "nginx: Test Configuration": nginx -t whatever nginx.validateOnSave says, still only in a trusted workspace.
  connection.onRequest(TEST_CONFIGURATION_REQUEST, async (params: { uri?: unknown } | undefined): Promise<TestResult> => {
    const refuse = (summary: string): TestResult => {
      connection.console.info(`nginx -t: not run: ${summary}`);
      return { mainConfigs: [], ok: false, summary };
    };
    const { executablePath } = service.settings;
    const nginx = runtime.nginx;
    if (!nginx) return refuse('nginx -t is not available here (no local nginx)');
    if (!nginx.shouldRun({ trusted: workspaceTrusted, enabled: true, executablePath })) {
      return refuse(workspaceTrusted ? 'nginx.executablePath is not set' : 'the workspace is not trusted');
    }
    const { roots } = service.workspace;
    const from = typeof params?.uri === 'string' ? nginx.mainConfigFor(toPath(params.uri), roots, workspaceFolders) : undefined;
    const mains = from ? [from] : roots.filter((root) => nginx.mainConfigFor(root, roots, workspaceFolders) === root);
    if (mains.length === 0) return refuse('no nginx.conf inside the workspace folders (see nginx.mainConfig)');
    try {
      return await testConfigurations(nginx, mains);
    } catch (error) {
      connection.console.error(`nginx -t failed: ${error instanceof Error ? error.stack : String(error)}`);
      return { mainConfigs: mains, ok: false, summary: `nginx -t failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  });

  connection.onNotification('nginx/workspaceTrust', (params: { trusted?: unknown } | undefined) => {
    workspaceTrusted = params?.trusted === true;
    if (!workspaceTrusted) clearNginxDiagnostics();
    updateTargetVersion();
    documents.all().forEach((document) => scheduleValidation(document));
    configurationChanged();
  });

  /**
 * The installed nginx's version, asked once per binary and only in a trusted workspace (asking runs
 * the binary); the log says which release the configuration is judged for, and why.
 */
  const installedVersions = new Map<string, string | undefined>();
  let announcedTarget = '';

  function updateTargetVersion(): void {
    const { executablePath, version } = service.settings;
    if (workspaceTrusted && runtime.nginx && !installedVersions.has(executablePath)) {
      installedVersions.set(executablePath, runtime.nginx.installedVersion(executablePath));
    }
    service.installedVersion = workspaceTrusted ? installedVersions.get(executablePath) : undefined;
    const target = targetOf({ nginxVersion: service.nginxVersion });
    const why = version ? 'the nginx.version setting' : service.installedVersion ? `${executablePath} -v` : 'the newest stable release known';
    const announcement = `Judging the configuration for nginx ${target.label} (${why}).`;
    if (announcement !== announcedTarget) connection.console.info((announcedTarget = announcement));
  }

  connection.onHover(
    guarded('hover', (params) => {
      const path = toPath(params.textDocument.uri);
      const file = service.file(path);
      const result = file && service.hover(path, file.lines.offsetAt(params.position));
      return result ? { contents: { kind: 'markdown', value: result.markdown }, range: file.lines.rangeOf(result.span) } : null;
    }, null),
  );

  /** The "Which location serves a URL" command: the route of a URL through the document's configuration. */
  connection.onRequest(
    'nginx/route',
    guarded('route', (params: { uri: string; url: string }) => {
      const [answer] = service.route(toPath(params.uri), [params.url]);
      if (!answer) return null;
      const where = (place: RoutePlace) => `${basename(place.file)}:${(service.file(place.file)?.lines.positionAt(place.span.start).line ?? 0) + 1}`;
      return {
        server: answer.server ? toLocation(answer.server) : null,
        location: answer.location ? toLocation(answer.location) : null,
        upstreamUri: answer.upstreamUri ?? null,
        message: routeSummary(answer, where),
      };
    }, null),
  );

  /** What codeAction/resolve needs to make a fix-all's edit: the document's version and the kind (none: every safe fix). */
  interface FixAllData {
    uri: string;
    version: number;
    code?: string;
  }

  connection.onCodeActionResolve(async (action): Promise<CodeAction> => {
    try {
      const { uri, version, code } = action.data as FixAllData;
      const document = documents.get(uri);
      // Chosen after the document changed: the editor asks for code actions of the new version.
      if (!document || document.version !== version) return action;
      const all = fixAll((await analyses.of(versionOf(document)))?.findings ?? [], toPath(uri), code);
      return all && documents.get(uri)?.version === version ? { ...action, edit: toWorkspaceEdit(all.edits) } : action;
    } catch (error) {
      connection.console.error(`codeActionResolve failed: ${error instanceof Error ? error.stack : String(error)}`);
      return action;
    }
  });

  /** The diagnostic published for each finding of an analysis: code actions name them without converting again. */
  const publishedDiagnostics = new WeakMap<Finding, Diagnostic>();

  connection.onCodeAction(
    guardedAsync('codeAction', async (params): Promise<CodeAction[]> => {
      const document = documents.get(params.textDocument.uri);
      const path = toPath(params.textDocument.uri);
      const analysis = document && (await analyses.of(versionOf(document)));
      const file = service.file(path);
      // No analysis when the document changed while its findings were computed (DocumentAnalyses.of()):
      // the editor asks again for the new version.
      if (!analysis || !file) return [];
      const { findings } = analysis;
      findings.forEach((finding, i) => publishedDiagnostics.set(finding, analysis.diagnostics[i]));
      const diagnosticOfFinding = (finding: Finding) => publishedDiagnostics.get(finding) ?? toDiagnostic(finding);
      const fixAllAction = (all: FixAll, kind: string, code?: string): CodeAction => {
        if (!resolvesFixAllEdits) return { title: all.title, kind, diagnostics: all.findings.map(diagnosticOfFinding), edit: toWorkspaceEdit(all.edits) };
        const data: FixAllData = { uri: params.textDocument.uri, version: document.version, code };
        return { title: all.title, kind, diagnostics: params.context.diagnostics.filter((diagnostic) => code === undefined || diagnostic.code === code), data };
      };
      // The fix-all of every safe fix is a source action: computed only when the editor asks for those
      // (on save, "Fix All", the Source Action menu), not on every cursor move.
      const safe = params.context.only?.some((kind) => FIX_ALL_KIND.startsWith(kind)) ? fixAll(findings, path) : undefined;
      const safeActions = safe ? [fixAllAction(safe, FIX_ALL_KIND)] : [];
      // Asked for source.fixAll only (editor.codeActionsOnSave, "Fix All"): the safe fixes, nothing else.
      if (params.context.only?.every((kind) => FIX_ALL_KIND.startsWith(kind) || kind.startsWith(FIX_ALL_KIND))) return safeActions;
      const range = { start: file.lines.offsetAt(params.range.start), end: file.lines.offsetAt(params.range.end) };
      const asked = params.context.diagnostics.map((diagnostic) => ({
        code: diagnostic.code,
        span: { start: file.lines.offsetAt(diagnostic.range.start), end: file.lines.offsetAt(diagnostic.range.end) },
      }));
      const actions = codeActionsAt(findings, path, range, asked);
      return [
        ...actions.quickFixes.map(({ finding, fix }): CodeAction => ({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnosticOfFinding(finding)],
          isPreferred: fix.preferred,
          edit: toWorkspaceEdit(fix.edits),
        })),
        ...actions.ofKinds.map((all) => fixAllAction(all, CodeActionKind.QuickFix, all.findings[0].code)),
        ...safeActions,
      ];
    }, []),
  );

  connection.onCompletion(
    guarded('completion', (params): CompletionList | CompletionItem[] => {
      const cursor = at(params);
      const lines = cursor && service.file(cursor.path)!.lines;
      if (!cursor || !lines) return [];
      // Documentation comes on completionItem/resolve: hundreds of directive docs would make each
      // response hundreds of kilobytes.
      const data: CompletionData = { path: cursor.path, offset: cursor.offset };
      const entries = service.complete(cursor.path, cursor.offset);
      const shared = takesCompletionDefaults ? entries[0]?.replace : undefined;
      const formatOf = (entry: CompletionEntry) => (entry.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText);
      const snippets = entries.filter((entry) => entry.snippet).length;
      // Plain text unless said (the protocol's default), or the list's default.
      const defaultFormat = takesFormatDefault && snippets > entries.length / 2 ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
      const items = entries.map((entry): CompletionItem => {
        const newText = entry.snippet ?? entry.label;
        const sharesRange = shared && entry.replace.start === shared.start && entry.replace.end === shared.end;
        return {
          label: entry.label,
          kind: completionKinds[entry.kind],
          ...(!resolvesCompletionDetail && { detail: entry.detail }),
          ...(entry.deprecated && { tags: [CompletionItemTag.Deprecated] }),
          ...(entry.rank !== undefined && { sortText: String(entry.rank).padStart(5, '0') }),
          ...(formatOf(entry) !== defaultFormat && { insertTextFormat: formatOf(entry) }),
          // With the default range, the label is the text unless textEditText says otherwise.
          ...(sharesRange ? newText !== entry.label && { textEditText: newText } : { textEdit: { range: lines.rangeOf(entry.replace), newText } }),
          ...(!takesCompletionDefaults && { data }),
        };
      });
      if (!takesCompletionDefaults) return items;
      const itemDefaults = { ...(shared && { editRange: lines.rangeOf(shared) }), ...(defaultFormat === InsertTextFormat.Snippet && { insertTextFormat: defaultFormat }), data };
      return { isIncomplete: false, itemDefaults, items };
    }, []),
  );

  interface CompletionData {
    path: string;
    offset: number;
  }

  function resolveCompletion(item: CompletionItem): CompletionItem {
    const { path, offset } = item.data as CompletionData;
    const entry = service.complete(path, offset).find((candidate) => candidate.label === item.label);
    return {
      ...item,
      ...(entry?.detail !== undefined && { detail: entry.detail }),
      ...(entry?.documentation && { documentation: { kind: 'markdown', value: entry.documentation } }),
    };
  }

  // On failure the item is returned as it came.
  connection.onCompletionResolve((item) => guarded('completionResolve', resolveCompletion, item)(item));

  connection.onDefinition(
    guarded('definition', (params) => {
      const cursor = at(params);
      return cursor ? service.definition(cursor.path, cursor.offset).map(toLocation) : [];
    }, []),
  );

  connection.onReferences(
    guarded('references', (params) => {
      const cursor = at(params);
      return cursor ? service.references(cursor.path, cursor.offset, params.context.includeDeclaration).map(toLocation) : [];
    }, []),
  );

  // A refused rename is answered with an error whose message the editor shows (LSP: RequestFailed).
  const renameError = (message: string) => new ResponseError(LSPErrorCodes.RequestFailed, message);

  connection.onPrepareRename(
    guarded('prepareRename', (params) => {
      const cursor = at(params);
      const result = cursor && service.prepareRename(cursor.path, cursor.offset);
      if (!result) return null;
      return 'error' in result ? renameError(result.error) : service.file(cursor.path)!.lines.rangeOf(result.span);
    }, null),
  );

  connection.onRenameRequest(
    guarded('rename', (params) => {
      const cursor = at(params);
      const result = cursor && service.rename(cursor.path, cursor.offset, params.newName);
      if (!result) return null;
      return 'error' in result ? renameError(result.error) : toWorkspaceEdit(result.edits);
    }, null),
  );

  connection.onDocumentLinks(
    guarded('documentLinks', (params): DocumentLink[] => {
      const path = toPath(params.textDocument.uri);
      const lines = service.file(path)?.lines;
      return lines ? service.documentLinks(path).map((link) => ({ range: lines.rangeOf(link.span), target: toUri(link.target) })) : [];
    }, []),
  );

  const symbolKinds: Record<SymbolNode['kind'], SymbolKind> = {
    http: SymbolKind.Namespace,
    events: SymbolKind.Namespace,
    stream: SymbolKind.Namespace,
    mail: SymbolKind.Namespace,
    types: SymbolKind.Namespace,
    server: SymbolKind.Class,
    location: SymbolKind.Method,
    upstream: SymbolKind.Interface,
    map: SymbolKind.Variable,
    geo: SymbolKind.Variable,
    split_clients: SymbolKind.Variable,
    if: SymbolKind.Operator,
    limit_except: SymbolKind.Operator,
    lua: SymbolKind.Function,
    block: SymbolKind.Object,
  };

  connection.onDocumentSymbol(
    guarded('documentSymbol', (params): DocumentSymbol[] => {
      const path = toPath(params.textDocument.uri);
      const lines = service.file(path)?.lines;
      if (!lines) return [];
      // Iterative: the outline is bounded in depth by the core, but stays off the call stack here too.
      const roots: DocumentSymbol[] = [];
      // A read index, not shift(): shift() moves the whole array, quadratic on a large outline.
      const queue: Array<{ node: SymbolNode; into: DocumentSymbol[] }> = service.symbols(path).map((node) => ({ node, into: roots }));
      for (let next = 0; next < queue.length; next++) {
        const { node, into } = queue[next];
        const symbol: DocumentSymbol = {
          name: node.name || node.kind,
          detail: node.detail,
          kind: symbolKinds[node.kind],
          range: lines.rangeOf(node.span),
          selectionRange: lines.rangeOf(node.selectionSpan),
          children: [],
        };
        into.push(symbol);
        for (const child of node.children) queue.push({ node: child, into: symbol.children! });
      }
      return roots;
    }, []),
  );

  connection.onWorkspaceSymbol(
    guarded('workspaceSymbol', (params): SymbolInformation[] =>
      service.workspaceSymbols(params.query, documents.keys().map(toPath)).map((item) => ({
        name: item.name,
        kind: symbolKinds[item.kind],
        containerName: item.detail,
        location: toLocation(item),
      })), []),
  );

  connection.onFoldingRanges(
    guarded('foldingRanges', (params): FoldingRange[] =>
      service.foldingRanges(toPath(params.textDocument.uri)).map((range) => ({
        startLine: range.startLine,
        endLine: range.endLine,
        kind: range.kind === 'comment' ? FoldingRangeKind.Comment : undefined,
      })), []),
  );

  function formattingEdits(uri: string, options: FormattingOptions, range?: Range): TextEdit[] {
    const path = toPath(uri);
    const lines = service.file(path)?.lines;
    if (!lines) return [];
    const span = range && { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) };
    return service.format(path, { tabSize: options.tabSize, insertSpaces: options.insertSpaces }, span)
      .map((edit) => ({ range: lines.rangeOf(edit.span), newText: edit.newText }));
  }

  connection.onDocumentFormatting(guarded('formatting', (params) => formattingEdits(params.textDocument.uri, params.options), []));
  connection.onDocumentRangeFormatting(
    guarded('rangeFormatting', (params) => formattingEdits(params.textDocument.uri, params.options, params.range), []),
  );

  runtime.onFilesArrived?.(() => {
    updateRoots();
    filesChanged();
    documents.all().forEach((document) => scheduleValidation(document));
    configurationChanged();
  });

  documents.listen(connection);
  connection.listen();
}
