// The operating system's confinement of `nginx -t`: a child that sees the whole file system read-only
// but for its sandbox folder, a private /tmp and /run, a minimal /dev, no network (a namespace with
// only a loopback interface), its own process ids, and dies with its parent. nginx's own reading of
// the configuration (and any load-time code: Lua, Perl) then writes nowhere else, whatever it reads.
//
// bwrap (bubblewrap) first, then util-linux's unshare. Run by root, neither creates a user namespace
// (nginx -t as root chowns the temp folders it creates in the sandbox to the `user` directive's user,
// as the real nginx does, which a one-uid user namespace would refuse): the child keeps only
// OWNERSHIP_CAPS instead, which cannot remount, mknod nor reach outside the namespaces. Run by any
// other user, the child runs as that user in a user namespace, with no capability.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { makeSandboxFolder, removeSandboxFolder } from './leftovers';

export type ConfinementKind = 'bwrap' | 'unshare';

export interface Confinement {
  kind: ConfinementKind;
  /**
   * The command that runs `file args` confined, `sandbox` the only folder it may write; `visible`
   * paths under /tmp or /run stay visible there, read-only, instead of being covered.
   */
  wrap(sandbox: string, file: string, args: readonly string[], visible?: readonly string[]): { file: string; args: string[] };
}

/** What root keeps inside: creating, chowning and reading files in the sandbox, as nginx -t does. */
const OWNERSHIP_CAPS = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER'];
/** The device nodes the child gets (bwrap's --dev gives the same). */
const DEVICES = ['null', 'zero', 'full', 'random', 'urandom'];
const BWRAP = '/usr/bin/bwrap';
const UNSHARE = '/usr/bin/unshare';
const SETPRIV = '/usr/bin/setpriv';
/** How long the probe (a confined `true`) may take before the confinement counts as unavailable. */
const PROBE_TIMEOUT_MS = 5000;

const isRoot = () => process.geteuid?.() === 0;
/** The folders each child gets a private, empty, writable copy of. */
const PRIVATE_FOLDERS = ['/tmp', '/run'];
const coveredByPrivate = (paths: readonly string[]) =>
  paths.filter((file) => PRIVATE_FOLDERS.some((folder) => file.startsWith(folder + '/')) && fs.existsSync(file));

const bwrap: Confinement = {
  kind: 'bwrap',
  wrap(sandbox, file, args, visible = []) {
    const namespaces = isRoot()
      ? ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try']
      : ['--unshare-all'];
    const caps = isRoot() ? ['--cap-drop', 'ALL', ...OWNERSHIP_CAPS.flatMap((cap) => ['--cap-add', cap])] : [];
    return {
      file: BWRAP,
      args: [
        ...namespaces, ...caps, '--die-with-parent', '--new-session',
        '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc',
        // A fresh /proc is writable where the host's is: sysctls stay read-only.
        '--ro-bind', '/proc/sys', '/proc/sys', '--ro-bind-try', '/proc/sysrq-trigger', '/proc/sysrq-trigger',
        ...PRIVATE_FOLDERS.flatMap((folder) => ['--tmpfs', folder]),
        ...coveredByPrivate(visible).flatMap((kept) => ['--ro-bind', kept, kept]),
        '--bind', sandbox, sandbox, '--chdir', sandbox,
        '--', file, ...args,
      ],
    };
  },
};

// Run by unshare in its new mount namespace (as root there), with the sandbox as $1, the number of
// paths to keep visible as $2, those paths, then the command: the device nodes and kept paths bound
// into the sandbox, every mount read-only but the sandbox's own bind
// mount (and /proc, where the nested unshare writes its uid map; /proc/sys is made read-only), a
// tmpfs /dev with those nodes bound back, private /tmp and /run, the sandbox bound back under them through the working directory (which still reaches it once /tmp is covered), the kept
// paths bound back read-only, then the command, dropped to the invoking user or to OWNERSHIP_CAPS.
const UNSHARE_SCRIPT = `set -eu
sandbox=$1; kept=$2; shift 2
cd "$sandbox"
mkdir .dev .kept
for node in ${DEVICES.join(' ')}; do : > ".dev/$node"; mount --bind "/dev/$node" ".dev/$node"; done
i=0
while [ $i -lt "$kept" ]; do
  i=$((i + 1)); eval "path=\\$$i"
  if [ -d "$path" ]; then mkdir ".kept/$i"; else : > ".kept/$i"; fi
  mount --bind "$path" ".kept/$i"
  mount -o remount,bind,ro ".kept/$i"
done
mount --rbind "$sandbox" "$sandbox"
cd "$sandbox"
mount --bind /proc/sys /proc/sys
awk '{ print $5 }' /proc/self/mountinfo | while read -r point; do
  point=$(printf '%b' "$point")
  case "$point" in "$sandbox" | "$sandbox"/* | /proc) ;; *) mount -o remount,bind,ro "$point" ;; esac
done
mount -t tmpfs -o mode=0755 tmpfs /dev
for node in ${DEVICES.join(' ')}; do : > "/dev/$node"; mount -c --bind ".dev/$node" "/dev/$node"; done
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p "$sandbox"
mount -c --rbind . "$sandbox"
i=0
while [ $i -lt "$kept" ]; do
  i=$((i + 1)); eval "path=\\$$i"
  mkdir -p "$(dirname "$path")"
  if [ -d ".kept/$i" ]; then mkdir -p "$path"; else : > "$path"; fi
  mount -c --bind ".kept/$i" "$path"
  mount -o remount,bind,ro "$path"
done
shift "$kept"
exec "$@"`;

const unshare: Confinement = {
  kind: 'unshare',
  wrap(sandbox, file, args, visible = []) {
    const kept = coveredByPrivate(visible);
    const uid = process.geteuid?.() ?? 0;
    const gid = process.getegid?.() ?? 0;
    const user = isRoot() ? [] : ['--map-root-user'];
    const drop = isRoot()
      ? [SETPRIV, '--inh-caps=-all', `--bounding-set=-all,${OWNERSHIP_CAPS.map((cap) => '+' + cap.slice(4).toLowerCase()).join(',')}`, '--']
      : [UNSHARE, `--map-user=${uid}`, `--map-group=${gid}`, '--'];
    return {
      file: SETPRIV,
      args: [
        '--pdeathsig', 'KILL', '--', UNSHARE, ...user, '--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child',
        '--mount-proc', '--net', '--ipc', '--uts', '--', '/bin/sh', '-c', UNSHARE_SCRIPT, 'sh', sandbox, String(kept.length), ...kept, ...drop, file, ...args,
      ],
    };
  },
};

const CANDIDATES: Record<ConfinementKind, { confinement: Confinement; binaries: string[] }> = {
  bwrap: { confinement: bwrap, binaries: [BWRAP] },
  unshare: { confinement: unshare, binaries: [SETPRIV, UNSHARE] },
};

/** The confinement, or why there is none (a reason for the Output channel). */
export type Detected = Confinement | { unavailable: string };

const probed = new Map<ConfinementKind, Detected>();

/** Whether `kind` works here: a confined `true` must run and exit 0 (cached per process). */
export function probeConfinement(kind: ConfinementKind): Detected {
  const known = probed.get(kind);
  if (known) return known;
  const { confinement, binaries } = CANDIDATES[kind];
  let detected: Detected;
  if (process.platform !== 'linux') detected = { unavailable: `${kind} needs Linux namespaces, not ${process.platform}` };
  else if (!binaries.every((binary) => fs.existsSync(binary))) detected = { unavailable: `${binaries.join(' and ')} not installed` };
  else {
    const sandbox = makeSandboxFolder();
    try {
      const command = confinement.wrap(sandbox, '/bin/true', []);
      const run = spawnSync(command.file, command.args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, stdio: ['ignore', 'ignore', 'pipe'] });
      detected = run.status === 0 ? confinement : { unavailable: `${kind} cannot create namespaces here: ${(run.stderr || run.error?.message || `exit status ${run.status}`).trim()}` };
    } finally {
      removeSandboxFolder(sandbox);
    }
  }
  probed.set(kind, detected);
  return detected;
}

/** The first confinement that works here: bwrap, else unshare; else why neither does. */
export function detectConfinement(): Detected {
  const reasons: string[] = [];
  for (const kind of Object.keys(CANDIDATES) as ConfinementKind[]) {
    const detected = probeConfinement(kind);
    if (!('unavailable' in detected)) return detected;
    reasons.push(detected.unavailable);
  }
  return { unavailable: reasons.join('; ') };
}
