// A header value for one request: its variables put in where the request tells them, `map`
// targets looked up as ngx_http_map_find() does. Anything else stays unknown: the value is then
// shown as written, never guessed.

import { compilePcre } from '../routing/regex';
import { toBytes } from '../routing/uri';
import { MAX_MAP_DEPTH, type MapDefinition, type MapEntry } from './maps';

/** `$name` and `${name}` (ngx_http_script_compile(): letters, digits and `_`; `$1` is a regex capture). */
const VARIABLE = /\$(?:\{(\w+)\}|(\w+))/g;

/**
 * The value `value` takes when the variables are those of `known` (lowercase names without `$`)
 * and the maps; undefined when a variable in it is not known for the request.
 */
export function evaluate(value: string, known: ReadonlyMap<string, string>, maps: ReadonlyMap<string, MapDefinition>, depth = 0): string | undefined {
  let unknown = false;
  const result = value.replace(VARIABLE, (_, braced: string | undefined, bare: string | undefined) => {
    const found = variableValue((braced ?? bare ?? '').toLowerCase(), known, maps, depth);
    if (found === undefined) unknown = true;
    return found ?? '';
  });
  return unknown ? undefined : result;
}

function variableValue(name: string, known: ReadonlyMap<string, string>, maps: ReadonlyMap<string, MapDefinition>, depth: number): string | undefined {
  if (known.has(name)) return known.get(name);
  const map = depth < MAX_MAP_DEPTH ? maps.get(name) : undefined;
  // `hostnames` makes keys wildcards (`*.example.com`), which the lookup below does not do.
  if (!map || map.incomplete || hasHostnames(map)) return undefined;
  const source = evaluate(map.source, known, maps, depth + 1);
  if (source === undefined) return undefined;
  const entry = mapEntryFor(map, source);
  if (entry === 'undecided') return undefined;
  return evaluate(entry ? entry.value : map.defaultValue, known, maps, depth + 1);
}

const hasHostnames = (map: MapDefinition) =>
  map.directive.block?.children.some((node) => node.kind === 'directive' && node.name.value === 'hostnames' && node.args.length === 0) ?? false;

/**
 * ngx_http_map_find(): the string keys first, compared with the value lowercased (the keys are
 * lowercased at load); then, for a non-empty value, the regexes in order. Undefined: the default.
 * 'undecided' when a regex is one JavaScript cannot match as PCRE does.
 */
function mapEntryFor(map: MapDefinition, source: string): MapEntry | 'undecided' | undefined {
  const lower = source.toLowerCase();
  const exact = map.entries.find((entry) => !entry.regex && entry.key.toLowerCase() === lower);
  if (exact || source === '') return exact;
  for (const entry of map.entries) {
    if (!entry.regex) continue;
    const regex = compilePcre(entry.key, entry.regex === 'insensitive');
    if (!regex) return 'undecided';
    if (regex.test(toBytes(source))) return entry;
  }
  return undefined;
}
