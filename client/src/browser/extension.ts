// The web extension (vscode.dev, github.dev): the browser build of the server in a web worker,
// and the workspace read for it through workspace.fs (server/src/browser/protocol.ts).

import { FileType, RelativePattern, Uri, workspace, type ExtensionContext } from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import {
  FIND_MAIN_CONFIGS,
  READ_DIRECTORY,
  READ_FILE,
  type FindMainConfigsParams,
  type FindMainConfigsResult,
  type ReadDirectoryParams,
  type ReadDirectoryResult,
  type ReadFileParams,
  type ReadFileResult,
} from '../../../server/src/browser/protocol';
import { clientOptions } from '../clientOptions';

/** The web worker constructor (the DOM lib is not in the type check). */
declare const Worker: new (url: string) => ConstructorParameters<typeof LanguageClient>[3];

let client: LanguageClient | undefined;

async function readFile({ uri, maxBytes }: ReadFileParams): Promise<ReadFileResult> {
  try {
    const file = Uri.parse(uri);
    const stat = await workspace.fs.stat(file);
    if (stat.type & FileType.Directory) return null;
    if (stat.size > maxBytes) return { refused: `it is larger than ${maxBytes / 1048576} MB` };
    return { text: new TextDecoder().decode(await workspace.fs.readFile(file)) };
  } catch {
    return null;
  }
}

async function readDirectory({ uri }: ReadDirectoryParams): Promise<ReadDirectoryResult> {
  try {
    return (await workspace.fs.readDirectory(Uri.parse(uri))).map(([name]) => name);
  } catch {
    return null;
  }
}

async function findMainConfigs({ folderUri, limit }: FindMainConfigsParams): Promise<FindMainConfigsResult> {
  const found = await workspace.findFiles(new RelativePattern(Uri.parse(folderUri), '**/nginx.conf'), '**/{node_modules,.git}/**', limit);
  return found.map((uri) => uri.toString());
}

export async function activate(context: ExtensionContext): Promise<void> {
  const worker = new Worker(Uri.joinPath(context.extensionUri, 'dist', 'browser', 'server.js').toString(true));
  client = new LanguageClient('nginx', 'nginx Language Server', clientOptions(), worker);
  client.onRequest(READ_FILE, readFile);
  client.onRequest(READ_DIRECTORY, readDirectory);
  client.onRequest(FIND_MAIN_CONFIGS, findMainConfigs);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
