// Starts the language server (dist/server.js) for nginx documents, and forwards the commands and the
// status bar to it: the work is the server's (server/src/nginxTestCommand.ts, features/route.ts).

import * as path from 'node:path';
import { commands, Range, StatusBarAlignment, ThemeColor, Uri, window, workspace, type ExtensionContext, type StatusBarItem } from 'vscode';
import { LanguageClient, TransportKind, type Location, type ServerOptions } from 'vscode-languageclient/node';
// Names and types only: the bundle takes these few lines of the server's module, none of its work.
import { TEST_CONFIGURATION_REQUEST, TEST_RESULT_NOTIFICATION, type TestResult } from '../../server/src/nginxTestCommand';
import { SERVER_ENVIRONMENT } from '../../server/src/node/serverEnvironment';
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
  const env = { ...process.env, ...SERVER_ENVIRONMENT };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  client = new LanguageClient('nginx', 'nginx Language Server', serverOptions, clientOptions());
  const languageClient = client;
  const status = testStatusItem();
  context.subscriptions.push(
    status,
    workspace.onDidGrantWorkspaceTrust(() => {
      status.show();
      void languageClient.sendNotification('nginx/workspaceTrust', { trusted: true });
    }),
    commands.registerCommand('nginx.testConfiguration', async () => {
      status.text = '$(sync~spin) nginx -t';
      const result = await languageClient.sendRequest<TestResult>(TEST_CONFIGURATION_REQUEST, { uri: window.activeTextEditor?.document.uri.toString() });
      showTestResult(status, result);
      if (!result.ok) languageClient.outputChannel.show(true);
    }),
    commands.registerCommand('nginx.showOutput', () => languageClient.outputChannel.show()),
    commands.registerCommand('nginx.whichLocation', whichLocation),
  );
  await client.start();
  // Runs on save announce their result too.
  context.subscriptions.push(languageClient.onNotification(TEST_RESULT_NOTIFICATION, (result: TestResult) => showTestResult(status, result)));
}

/** The status-bar item: the last nginx -t result, a click runs it again. Shown where nginx can run (trusted workspaces). */
function testStatusItem(): StatusBarItem {
  const item = window.createStatusBarItem('nginx.test', StatusBarAlignment.Left);
  item.name = 'nginx -t';
  item.text = '$(play) nginx -t';
  item.tooltip = 'Test the configuration with nginx -t';
  item.command = 'nginx.testConfiguration';
  if (workspace.isTrusted) item.show();
  return item;
}

function showTestResult(item: StatusBarItem, result: TestResult): void {
  item.text = result.ok ? '$(check) nginx -t' : '$(error) nginx -t';
  item.tooltip = `nginx -t: ${result.summary}. Click to run it again.`;
  item.backgroundColor = result.ok ? undefined : new ThemeColor('statusBarItem.errorBackground');
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
