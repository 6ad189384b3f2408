// The variables nginx itself defines, release by release: the `ngx_http_variable_t` and
// `ngx_stream_variable_t` tables of its source (scripts/generate-directive-data.mjs). A name ending
// in `*` is a prefix family (NGX_HTTP_VAR_PREFIX: `$http_*`, `$arg_*`, `$cookie_*`...).

import data from './nginx-directives.json';
import { compareVersions, parseVersion, type TargetVersion } from './versions';

export type VariableFamily = 'http' | 'stream';

const tables = data.variables as Record<VariableFamily, Record<string, readonly number[]>>;

const prefixes = Object.fromEntries(
  (Object.keys(tables) as VariableFamily[]).map((family) => [
    family,
    Object.entries(tables[family]).filter(([name]) => name.endsWith('*')).map(([name, releases]) => ({ prefix: name.slice(0, -1), releases })),
  ]),
) as Record<VariableFamily, Array<{ prefix: string; releases: readonly number[] }>>;

const appeared = data.variablesAppeared as Record<string, string>;

/**
 * At the target: a release of the data, or between two of them: either one's variables, unless the
 * change log dates the variable after the target (`$connection_time` in 1.19.10); no Error on a doubt.
 */
function inTarget(name: string, releases: readonly number[], target: TargetVersion): boolean {
  if (releases.includes(target.base)) return true;
  if (!target.between || !releases.includes(target.base + 1)) return false;
  const date = Object.hasOwn(appeared, name) ? parseVersion(appeared[name]) : undefined;
  return !date || compareVersions(date, target.version) <= 0;
}

/** `name` (without `$`, lowercase) is a variable that nginx at the target version defines in the `family` tree. */
export function isNginxVariable(name: string, family: VariableFamily, target: TargetVersion): boolean {
  const exact = Object.hasOwn(tables[family], name) ? tables[family][name] : undefined;
  if (exact && inTarget(name, exact, target)) return true;
  return prefixes[family].some(({ prefix, releases }) => name.length > prefix.length && name.startsWith(prefix) && inTarget(`${prefix}*`, releases, target));
}

const fixedTables = data.fixedVariables as Record<VariableFamily, Record<string, readonly number[]>>;

/**
 * `name` (lowercase) is a variable of every nginx build at the target that is not changeable: `set`,
 * `map`, `geo` and the other definers cannot define it again (ngx_http_add_variable()).
 */
export function isFixedVariable(name: string, family: VariableFamily, target: TargetVersion): boolean {
  return Object.hasOwn(fixedTables[family], name) && inTarget(name, fixedTables[family][name], target);
}
