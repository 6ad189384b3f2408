// The language client's options, the same for the desktop (extension.ts) and the web
// (browser/extension.ts) extension.

import { workspace } from 'vscode';
import type { LanguageClientOptions } from 'vscode-languageclient';

export function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: [{ language: 'nginx' }],
    outputChannelName: 'nginx Language Server',
    synchronize: { configurationSection: 'nginx' },
    // The server runs nginx -t on save only when told the workspace is trusted.
    initializationOptions: { workspaceTrusted: workspace.isTrusted },
  };
}
