// The requests the browser build of the server sends its client, which reads the workspace through
// VS Code's workspace.fs (github.dev, vscode.dev: no disk the server could read). Shared by both ends.

/** A file's text: `{ text }`, `{ refused }` (why it is not read: too large), or null when there is no such file. */
export const READ_FILE = 'nginx/readFile';
export interface ReadFileParams {
  uri: string;
  maxBytes: number;
}
export type ReadFileResult = { text: string } | { refused: string } | null;

/** The names in a directory, or null when it is none. */
export const READ_DIRECTORY = 'nginx/readDirectory';
export interface ReadDirectoryParams {
  uri: string;
}
export type ReadDirectoryResult = string[] | null;

/** The URIs of the nginx.conf files of a workspace folder (outside node_modules and .git), at most `limit`. */
export const FIND_MAIN_CONFIGS = 'nginx/findMainConfigs';
export interface FindMainConfigsParams {
  folderUri: string;
  limit: number;
}
export type FindMainConfigsResult = string[];
