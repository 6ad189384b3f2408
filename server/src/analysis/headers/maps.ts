// `map` blocks as nginx evaluates them (ngx_http_map_module.c): a source, a target variable, and
// the values the target can take. What the header model follows to know what a header can be.

import { directivesNamed, type Directive } from '../../parser';
import { filesAround, type Inclusion } from '../fileContext';
import type { Workspace } from '../workspace';

export interface MapEntry {
  /** The key as nginx sees it: a string, or for a regex the pattern after `~` / `~*`. */
  key: string;
  /** `~` (case-sensitive) or `~*` regex keys; strings are compared case-insensitively (ngx_http_map_find()). */
  regex?: 'sensitive' | 'insensitive';
  value: string;
  /** The entry's line in the map block. */
  line: Directive;
}

export interface MapDefinition {
  directive: Directive;
  file: string;
  /** The map's source: `$http_upgrade`. */
  source: string;
  /** The target variable, lowercase, without `$` (nginx looks variables up case-insensitively). */
  target: string;
  entries: MapEntry[];
  /** The `default` value: an empty string when the map has none (ngx_http_map_block()). */
  defaultValue: string;
  /** The `default` line, when the map has one. */
  defaultLine?: Directive;
  /** An `include` inside the map: entries we cannot see, so its values are not all known. */
  incomplete: boolean;
}

/** The maps a file's rules and hovers see (filesAround()), kept while those files stay as they are. */
export function mapsAround(workspace: Workspace, file: string, graph: ReadonlyMap<string, Inclusion>): Map<string, MapDefinition> {
  const files = filesAround(file, graph);
  return workspace.keptOver('maps', files, () => mapDefinitions(workspace, files));
}

/** The map definitions of the given files, by target variable. */
export function mapDefinitions(workspace: Workspace, files: Iterable<string>): Map<string, MapDefinition> {
  const maps = new Map<string, MapDefinition>();
  for (const path of files) {
    const file = workspace.file(path);
    if (!file) continue;
    for (const directive of directivesNamed(file.tree, 'map')) {
      const [source, target] = directive.args;
      if (!source || !target?.value.startsWith('$') || !directive.block) continue;
      const definition: MapDefinition = {
        directive, file: path, source: source.value, target: variableName(target.value) ?? target.value.slice(1).toLowerCase(),
        entries: [], defaultValue: '', incomplete: false,
      };
      // ngx_http_map(): the words are compared after unquoting; parameters (`hostnames`) have no value.
      for (const node of directive.block.children) {
        if (node.kind !== 'directive' || node.args.length !== 1) continue;
        const key = node.name.value;
        const value = node.args[0].value;
        if (key === 'include') definition.incomplete = true;
        else if (key === 'default') Object.assign(definition, { defaultValue: value, defaultLine: node });
        else if (key.startsWith('~*')) definition.entries.push({ key: key.slice(2), regex: 'insensitive', value, line: node });
        else if (key.startsWith('~')) definition.entries.push({ key: key.slice(1), regex: 'sensitive', value, line: node });
        else definition.entries.push({ key: key.startsWith('\\') ? key.slice(1) : key, value, line: node });
      }
      maps.set(definition.target, definition);
    }
  }
  return maps;
}

/** The variable a value consists of, lowercase without `$`: `$http_upgrade` and `${http_upgrade}` give `http_upgrade`. */
export function variableName(value: string): string | undefined {
  return /^\$(?:\{(\w+)\}|(\w+))$/.exec(value)?.slice(1).find(Boolean)?.toLowerCase();
}

/** How deep map values that are map targets are followed (nginx itself fails at run time on a cycle). */
export const MAX_MAP_DEPTH = 8;

/** One value a header can take, and the map entry (if any) that gives it. */
export interface PossibleValue {
  value: string;
  /** The map entries followed to reach the value, outermost first; empty for a value written in place. */
  via: Array<{ map: MapDefinition; entry?: MapEntry }>;
}

/**
 * The values a header value can take: a value that is one map target becomes the values of the
 * map's entries and default, followed through maps of maps; anything else is itself (a variable
 * such as `$http_connection` stands for the client's own header). Undefined when a map we follow is
 * incomplete (an `include` we do not read), so its values are unknown.
 */
export function possibleValues(value: string, maps: ReadonlyMap<string, MapDefinition>): readonly PossibleValue[] | undefined {
  // Asked for every header of 20,000 locations, about a few values: kept per maps (which are kept while their files are the same).
  let byValue = possibleByMaps.get(maps);
  if (!byValue) possibleByMaps.set(maps, (byValue = new Map()));
  if (!byValue.has(value)) byValue.set(value, valuesThrough(value, maps, 0));
  return byValue.get(value);
}

const possibleByMaps = new WeakMap<ReadonlyMap<string, MapDefinition>, Map<string, readonly PossibleValue[] | undefined>>();

function valuesThrough(value: string, maps: ReadonlyMap<string, MapDefinition>, depth: number): PossibleValue[] | undefined {
  const map = depth < MAX_MAP_DEPTH ? maps.get(variableName(value) ?? '') : undefined;
  if (!map) return [{ value, via: [] }];
  if (map.incomplete) return undefined;
  const values: PossibleValue[] = [];
  for (const entry of [...map.entries, undefined]) {
    const inner = valuesThrough(entry ? entry.value : map.defaultValue, maps, depth + 1);
    if (!inner) return undefined;
    values.push(...inner.map((possible) => ({ value: possible.value, via: [{ map, entry }, ...possible.via] })));
  }
  return values;
}
