// Starts the language server (dist/server.js) for nginx documents, and forwards the commands and the
// status bar to it: the work is the server's (server/src/nginxTestCommand.ts), nothing else lives here.

import * as path from 'node:path';
import { commands, StatusBarAlignment, ThemeColor, window, workspace, type ExtensionContext, type StatusBarItem } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
// Names and types only: the bundle takes these few lines of the server's module, none of its work.
import { TEST_CONFIGURATION_REQUEST, TEST_RESULT_NOTIFICATION, type TestResult } from '../../server/src/nginxTestCommand';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'nginx' }],
    outputChannelName: 'nginx Language Server',
    synchronize: { configurationSection: 'nginx' },
    // The server runs nginx -t only when told the workspace is trusted.
    initializationOptions: { workspaceTrusted: workspace.isTrusted },
  };
  client = new LanguageClient('nginx', 'nginx Language Server', serverOptions, clientOptions);
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

export async function deactivate(): Promise<void> {
  await client?.stop();
}
