// What a running `nginx -t` leaves if the server stops mid-check: its process group and its sandbox
// folder. Both are removed when the process exits, which every way the server stops goes through
// (vscode-languageserver exits on the `exit` notification, on stdin's end and when the client process
// dies; exitOnSignals() turns SIGTERM, SIGINT and SIGHUP into an exit). A server killed outright
// (SIGKILL) cannot clean up: its confined nginx dies with it (bwrap --die-with-parent, setpriv
// --pdeathsig), and its sandbox folders, named after its pid, are swept by the next check of any server.

import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { posix as path } from 'node:path';

const SANDBOX_PREFIX = 'nginx-check-';
const liveGroups = new Set<number>();
const liveFolders = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', cleanUpNow);
}

/** Kills every tracked process group and removes every tracked folder, synchronously. */
function cleanUpNow(): void {
  for (const group of liveGroups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
  for (const folder of liveFolders) fs.rmSync(folder, { recursive: true, force: true });
  liveFolders.clear();
}

/** A new sandbox folder, removed at exit unless released first. */
export function makeSandboxFolder(): string {
  hookExit();
  const folder = fs.mkdtempSync(path.join(tmpdir(), `${SANDBOX_PREFIX}${process.pid}-`));
  liveFolders.add(folder);
  return folder;
}

export function removeSandboxFolder(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
  liveFolders.delete(folder);
}

/** A detached child's process group, killed at exit unless released first. */
export function trackGroup(pid: number): void {
  hookExit();
  liveGroups.add(pid);
}

export function releaseGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** Removes the sandbox folders of servers that no longer run (killed before they could clean up). */
export function sweepOrphanedFolders(): void {
  const named = new RegExp(`^${SANDBOX_PREFIX}(\\d+)-`);
  let entries: string[];
  try {
    entries = fs.readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(named.exec(entry)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(tmpdir(), entry), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Turns the signals that stop a server into an exit, so that the exit clean-up runs. */
export function exitOnSignals(): void {
  for (const [signal, number] of [['SIGTERM', 15], ['SIGINT', 2], ['SIGHUP', 1]] as const) {
    process.on(signal, () => process.exit(128 + number));
  }
}
