// Starts the language server (dist/server.js) for nginx documents, and the "Which location serves
// a URL…" command, which asks the server (nginx/route) and shows its answer.

import * as path from 'node:path';
import { commands, Range, Uri, window, workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type Location, type ServerOptions } from 'vscode-languageclient/node';
import { clientOptions } from './clientOptions';

/** The server's answer to nginx/route. */
interface RouteResponse {
  server: Location | null;
  location: Location | null;
  upstreamUri: string | null;
  message: string;
}

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  client = new LanguageClient('nginx', 'nginx Language Server', serverOptions, clientOptions());
  await client.start();
  context.subscriptions.push(
    workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('nginx/workspaceTrust', { trusted: true })),
    commands.registerCommand('nginx.whichLocation', whichLocation),
  );
}

/** Asks for a URL, routes it through the active configuration, jumps to the location (or the server) and says what serves it. */
async function whichLocation(): Promise<void> {
  const document = window.activeTextEditor?.document;
  if (!client || document?.languageId !== 'nginx') {
    void window.showWarningMessage('Open an nginx configuration file first.');
    return;
  }
  const url = await window.showInputBox({ prompt: 'Which location serves this URL?', placeHolder: 'https://example.com/ws/chat' });
  if (!url) return;
  const answer = await client.sendRequest<RouteResponse | null>('nginx/route', { uri: document.uri.toString(), url });
  if (!answer) return;
  const target = answer.location ?? answer.server;
  if (target) {
    const { start, end } = target.range;
    const selection = new Range(start.line, start.character, end.line, end.character);
    await window.showTextDocument(Uri.parse(target.uri), { selection });
  }
  void window.showInformationMessage(answer.message);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
