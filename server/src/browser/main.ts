// The server in a web worker (vscode.dev, github.dev): documents from didOpen/didChange, other
// files through the client (clientFileSystem.ts), no nginx -t.

import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { startServer } from '../server';
import { ClientFileSystem } from './clientFileSystem';

/** The worker's global scope (the DOM and WebWorker libs are not in the type check). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
const files = new ClientFileSystem(connection);

startServer(connection, {
  fileSystem: files,
  findMainConfigs: (folder) => files.findMainConfigs(folder),
  onFilesArrived: (listener) => files.onArrived(listener),
  forgetFiles: () => files.forget(),
});
connection.console.info('nginx -t on save is not available in the browser: the configuration is checked by the analysis only.');
