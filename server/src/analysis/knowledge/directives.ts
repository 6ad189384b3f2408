// What nginx itself knows of each directive, release by release: read from the `ngx_command_t`
// tables of its source by scripts/generate-directive-data.mjs (never typed by hand).

import type { Word } from '../../parser';
import data from './nginx-directives.json';
import type { Family } from '../reference';
import { compareVersions, parseVersion, RELEASES, type TargetVersion } from './versions';

/** How the set handler reads the value: the ngx_conf_set_*_slot of src/core/ngx_conf_file.c. */
export interface ValueSyntax {
  kind: 'flag' | 'num' | 'size' | 'off' | 'msec' | 'sec' | 'bufs' | 'enum' | 'bitmask' | 'complexSize';
  /** The words an enum or bitmask takes (compared ignoring case, as ngx_strcasecmp does). */
  values?: readonly string[];
  /** A number's bounds (ngx_conf_check_num_bounds(); an upper bound of -1: none). */
  bounds?: readonly [number, number];
}

/** One form of a directive (one module's `ngx_command_t` entry) as a set of releases has it. */
export interface DirectiveSpec {
  name: string;
  family: Family;
  module: string;
  /** Context names as the docs spell them (`if` is `if` in a server, `if in location` in a location); `any` for include. */
  contexts: readonly string[];
  block: boolean;
  /** NGX_CONF_TAKE* as counts; 1MORE, 2MORE and ANY as a lower bound. */
  args: { counts?: readonly number[]; atLeast?: number };
  /** The handler answers "is duplicate" when the directive is repeated in one block. */
  duplicate: boolean;
  value?: ValueSyntax;
  /** `listen`: the words its handler takes after the address; one ending in `=` (or `ipv6only=o`) is a prefix. */
  parameters?: readonly string[];
  /** What nginx warns as it reads the directive: deprecated or obsolete, and what to use instead. */
  warning?: string;
  /** Indexes into RELEASES. */
  releases: readonly number[];
}

type Form = Omit<DirectiveSpec, 'name'>;
const forms = data.directives as unknown as Record<string, readonly Form[]>;
const appeared = data.appeared as Record<string, string>;
const removed = data.removed as Record<string, string>;

const NONE: readonly DirectiveSpec[] = [];
const specsByTarget = new WeakMap<TargetVersion, Map<string, readonly DirectiveSpec[]>>();

/** Every form of `name` that nginx at the target version has. */
export function directiveSpecs(name: string, target: TargetVersion): readonly DirectiveSpec[] {
  let byName = specsByTarget.get(target);
  if (!byName) specsByTarget.set(target, (byName = new Map()));
  let specs = byName.get(name);
  if (!specs) byName.set(name, (specs = Object.hasOwn(forms, name) ? specsAt(name, target) : NONE));
  return specs;
}

function specsAt(name: string, target: TargetVersion): readonly DirectiveSpec[] {
  const at = (index: number) => forms[name].filter((form) => form.releases.includes(index)).map((form) => ({ name, ...form }));
  const known = at(target.base);
  if (!target.between) return known;
  // A directive the change log removes at or before the target is gone, though the release before has it (`ssl` in 1.25.1).
  const gone = removed[name] && parseVersion(removed[name]);
  if (gone && compareVersions(gone, target.version) <= 0) return at(target.base + 1);
  // Between two releases of the data: a form that only the next one has (a directive added, or one
  // that takes more: `listen ... quic` between 1.24.0 and 1.26.3) is there when the change log dates
  // the directive at or before the target, or when it gives no date (no Error on a doubt).
  const date = appeared[name] && parseVersion(appeared[name]);
  if (date && compareVersions(date, target.version) > 0) return known;
  const next = forms[name].filter((form) => form.releases.includes(target.base + 1) && !form.releases.includes(target.base));
  return [...known, ...next.map((form) => ({ name, ...form }))];
}

/** Every form of `name` in any release: what the name means when the target lacks it. */
export function anyReleaseSpecs(name: string): readonly DirectiveSpec[] {
  return Object.hasOwn(forms, name) ? forms[name].map((form) => ({ name, ...form })) : NONE;
}

/** Every directive name some release has. */
export function allDirectiveNames(): readonly string[] {
  return Object.keys(forms);
}

export interface Availability {
  /** The first release that has it: the change log's date, else the first release of the data that has it. */
  since?: string;
  /** The release that dropped it: the change log's date, else the first release of the data without it. */
  removed?: string;
  /** The last release of the data that has it, before `removed`. */
  lastWith?: string;
  /** The dates come from the change log (else they are the data's releases: the change is at or before them). */
  sinceExact: boolean;
  removedExact: boolean;
}

/** When the releases of the data have `name`; nothing for a name that all have, or none. */
export function availability(name: string): Availability {
  const present = new Set(anyReleaseSpecs(name).flatMap((spec) => spec.releases));
  const first = RELEASES.findIndex((_, i) => present.has(i));
  if (first < 0) return { sinceExact: false, removedExact: false };
  const gone = RELEASES.findIndex((_, i) => i > first && !present.has(i));
  return {
    ...(first > 0 ? { since: appeared[name] ?? RELEASES[first] } : {}),
    ...(gone > 0 ? { removed: removed[name] ?? RELEASES[gone], lastWith: RELEASES[gone - 1] } : {}),
    sinceExact: Object.hasOwn(appeared, name),
    removedExact: Object.hasOwn(removed, name),
  };
}

/** ngx_conf_handler()'s argument count test: ANY, FLAG, 1MORE, 2MORE, then the TAKE bits. */
export function acceptsArgumentCount(spec: DirectiveSpec, count: number): boolean {
  return spec.args.atLeast !== undefined ? count >= spec.args.atLeast : (spec.args.counts ?? []).includes(count);
}

/** `word` is one of the parameters (exact, or starting with a prefix one) of a `listen` form. */
export function takesParameter(parameters: readonly string[], word: string): boolean {
  return parameters.some((parameter) => word === parameter || (parameter.includes('=') && word.startsWith(parameter)));
}

/** The first word after a `listen`'s address that the form does not take. */
export const untakenParameter = (spec: DirectiveSpec, args: readonly Word[]) => args.find((arg, i) => i > 0 && !takesParameter(spec.parameters ?? [], arg.value));

/** The first release of the data whose `name` of `family` takes the parameter `word`. */
export function parameterSince(name: string, family: Family, word: string): string | undefined {
  const releases = anyReleaseSpecs(name)
    .filter((spec) => spec.family === family && spec.parameters && takesParameter(spec.parameters, word))
    .flatMap((spec) => spec.releases);
  return releases.length > 0 ? RELEASES[Math.min(...releases)] : undefined;
}
