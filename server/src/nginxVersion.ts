// The version of the user's nginx binary (`nginx -v`), for the default target version. Runs the
// binary, so the server asks only in a trusted workspace.

import { spawnSync } from 'node:child_process';

/** `nginx -v` answers at once; a binary that hangs is not waited for. */
const VERSION_TIMEOUT_MS = 3000;

/** "1.22.1" from `nginx -v` ("nginx version: nginx/1.22.1 (Ubuntu)" on stderr), or undefined. */
export function installedNginxVersion(executablePath: string): string | undefined {
  const run = spawnSync(executablePath, ['-v'], { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS });
  if (run.error) return undefined;
  return /nginx\/(\d+\.\d+\.\d+)/.exec(`${run.stderr}${run.stdout}`)?.[1];
}
