// nginx releases: the target version a configuration is judged for, and how it compares with the
// releases whose source the directive data was generated from.

import data from './nginx-directives.json';

/** A version as [major, minor, patch]; a branch (`1.24`) has patch Infinity: its newest release. */
export type Version = readonly [number, number, number];

/** The releases of the generated data, oldest first. */
export const RELEASES: readonly string[] = data.releases;

export function parseVersion(text: string): Version | undefined {
  const match = /^\s*(?:nginx\/)?(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), match[3] === undefined ? Infinity : Number(match[3])];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** What is wrong with a release given by the user (a flag or a setting named `source`), if anything. */
export const versionProblem = (version: string, source: string) =>
  parseVersion(version) ? undefined : `${source} takes a release such as 1.24 or 1.30.4, not "${version}"`;

const releaseVersions = RELEASES.map((release) => parseVersion(release)!);

/** nginx numbers stable branches even (1.30) and mainline odd (1.31). */
const isStable = (version: Version) => version[1] % 2 === 0;

/** The default target: the newest stable release of the data. */
export const DEFAULT_VERSION: string = RELEASES.filter((_, i) => isStable(releaseVersions[i])).pop()!;

export interface TargetVersion {
  /** As the user wrote it, or the default release. */
  readonly label: string;
  readonly version: Version;
  /** The release of the data of the version's stable branch, else the newest at or before the version (the oldest when the version is older). */
  readonly base: number;
  /** The version lies after RELEASES[base] and before the next release of the data. */
  readonly between: boolean;
}

const targets = new Map<string, TargetVersion>();

/** The target for a version text (`1.24`, `1.30.4`, `nginx/1.22.1`); undefined when it is no version. */
export function targetVersion(text: string = DEFAULT_VERSION): TargetVersion | undefined {
  let target = targets.get(text);
  if (target) return target;
  const version = parseVersion(text);
  if (!version) return undefined;
  let base = 0;
  releaseVersions.forEach((release, i) => {
    if (compareVersions(release, version) <= 0) base = i;
  });
  let between = compareVersions(releaseVersions[base], version) < 0 && base + 1 < RELEASES.length;
  // A stable branch takes fixes only, no new directives or variables: a version of a stable branch
  // the data has a release of (1.18, 1.24.2, 1.22.0) is judged by that release.
  const branchRelease = releaseVersions.findIndex((release) => release[0] === version[0] && release[1] === version[1]);
  if (isStable(version) && branchRelease >= 0) [base, between] = [branchRelease, false];
  const label = version[2] === Infinity ? `${version[0]}.${version[1]}` : `${version[0]}.${version[1]}.${version[2]}`;
  targets.set(text, (target = { label, version, base, between }));
  return target;
}

export const DEFAULT_TARGET: TargetVersion = targetVersion()!;
