import { spawn } from 'node:child_process';

const t0 = Date.now();
export function log(msg) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[e2e ${s}s] ${msg}\n`);
}

/** Child processes started in their own process group, killed (whole group) by killAll(). */
const children = new Set();

export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killGroup(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Ends every tracked child: SIGTERM to its group, then SIGKILL for any still there after `graceMs`. */
export async function killAll(graceMs = 5000) {
  const list = [...children];
  for (const c of list) killGroup(c, 'SIGTERM');
  await Promise.all(
    list.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            killGroup(c, 'SIGKILL');
            resolve();
          }, graceMs);
          c.once('exit', () => {
            clearTimeout(timer);
            // The group may still hold grandchildren (code-server's extension host, language server).
            try {
              process.kill(-c.pid, 'SIGKILL');
            } catch {
              /* group gone */
            }
            resolve();
          });
        }),
    ),
  );
}

/**
 * Runs a command to completion. Output streams through unless `quiet`, in which case it is kept and
 * its tail printed if the command fails. Rejects on a non-zero exit.
 */
export function run(cmd, args, { cwd, env, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(cmd, args, { cwd, env: env ?? process.env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'], detached: true }),
    );
    let out = '';
    if (quiet) {
      const keep = (d) => {
        out += d;
        if (out.length > 200_000) out = out.slice(-100_000);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
    }
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve(out);
      if (quiet) process.stdout.write(out.slice(-20_000));
      reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd ?? process.cwd()}) exited with ${code ?? signal}`));
    });
  });
}

/** Rejects after `ms` with a message naming `what`, unless `promise` settles first. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
    }),
  ]);
}
