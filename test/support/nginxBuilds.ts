/**
 * The real nginx binaries the tests can judge with: Debian's nginx-extras (1.22.1, with its dynamic
 * and third-party modules) and the releases that scripts/build-nginx.mjs built from
 * ../shared/nginx-src into its cache (NGINX_BUILDS). ORACLE_VERSIONS (`1.22.1,1.30.4`) restricts
 * them to the versions listed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildDirOf, buildsRoot, compareVersions, ORACLE_RELEASES, tarballOf } from '../../scripts/build-nginx.mjs';
import { nginxAvailable } from './nginx';
import { installedNginxVersion } from '../../server/src/nginxVersion';

export const DEBIAN_NGINX = process.env.NGINX || '/usr/sbin/nginx';

export interface NginxBinary {
  /** As `nginx -v` prints it: `1.24.0`. */
  version: string;
  path: string;
  /** Debian's build, which loads Debian's dynamic modules; a source build has no module to load. */
  debian: boolean;
  /** `1.22.1 (Debian nginx-extras)`, `1.24.0 (source build)`. */
  label: string;
}

export interface MissingBinary {
  version: string;
  reason: string;
}

/** A build's folder: `<version>-<16 hex digits of the tarball's sha256>` (build-nginx.mjs). */
const BUILD_FOLDER = /^(\d+\.\d+\.\d+)-[0-9a-f]{16}$/;

/** The binaries present, oldest release first, and the releases the tests expect that are not. */
export function nginxBinaries(): { binaries: NginxBinary[]; missing: MissingBinary[] } {
  const binaries: NginxBinary[] = [];
  const missing: MissingBinary[] = [];
  const debianVersion = nginxAvailable() ? installedNginxVersion(DEBIAN_NGINX) : undefined;
  if (debianVersion) {
    binaries.push({ version: debianVersion, path: DEBIAN_NGINX, debian: true, label: `${debianVersion} (Debian nginx-extras)` });
  } else {
    missing.push({ version: '1.22.1', reason: `no Debian nginx at ${DEBIAN_NGINX} (apt-get install nginx-extras)` });
  }
  const root = buildsRoot();
  const folders = existsSync(root) ? readdirSync(root).filter((name) => BUILD_FOLDER.test(name)) : [];
  const built = new Set<string>();
  for (const folder of folders) {
    const release = BUILD_FOLDER.exec(folder)![1];
    // A build of another tarball than the one there now is stale: build-nginx.mjs makes a new one.
    if (existsSync(tarballOf(release)) && buildDirOf(release) !== join(root, folder)) continue;
    const path = join(root, folder, 'nginx');
    const version = existsSync(path) ? installedNginxVersion(path) : undefined;
    if (!version) continue;
    built.add(version);
    binaries.push({ version, path, debian: false, label: `${version} (source build)` });
  }
  for (const release of ORACLE_RELEASES) {
    if (!built.has(release)) missing.push({ version: release, reason: `not built: node scripts/build-nginx.mjs ${release} (cache ${root})` });
  }
  const wanted = process.env.ORACLE_VERSIONS?.split(/[\s,]+/).filter(Boolean);
  if (!wanted) return { binaries: binaries.sort(byVersion), missing: missing.sort(byVersion) };
  for (const version of wanted) {
    if (!binaries.some((b) => b.version === version) && !missing.some((m) => m.version === version)) {
      missing.push({ version, reason: 'no binary of that version (ORACLE_VERSIONS)' });
    }
  }
  const listed = (entry: { version: string }) => wanted.includes(entry.version);
  return { binaries: binaries.filter(listed).sort(byVersion), missing: missing.filter(listed).sort(byVersion) };
}

const byVersion = (a: { version: string }, b: { version: string }) => compareVersions(a.version, b.version);
