// The "headers it really sends" part of a `location` hover: for each header family in force, every
// entry with the level it comes from, entries nginx skips (empty values) marked, map values shown,
// and the defaults nginx adds itself. Built on the header model (analysis/headers).

import type { Directive } from '../parser';
import type { Inclusion } from '../analysis/fileContext';
import { defaultsNotSet, headerEntries, mapsAround, type HeaderEntry, type HeaderFamily } from '../analysis/headers';
import type { TargetVersion } from '../analysis/knowledge/versions';
import { levelsOutward, Memo, named, type Level } from '../analysis/websocket/levels';
import type { ConfigFile, Workspace } from '../analysis/workspace';

/** Map values listed in a hover line; more are summed up ("and 3 more"). */
export const MAX_SHOWN_MAP_VALUES = 4;

/** The families shown, with the directive that makes each matter at a location. */
const FAMILIES: Array<{ family: HeaderFamily; title: string; when?: string }> = [
  { family: 'proxy_set_header', title: 'Headers sent to the upstream', when: 'proxy_pass' },
  { family: 'grpc_set_header', title: 'Headers sent to the gRPC upstream', when: 'grpc_pass' },
  { family: 'proxy_hide_header', title: 'Upstream headers hidden from the client', when: 'proxy_pass' },
  { family: 'add_header', title: 'Headers added to the response' },
];

/** Where a level is: `this location`, `server (line 4)`, `http (nginx.conf, line 2)`. */
function levelName(level: Level, location: Directive, file: ConfigFile, workspace: Workspace): string {
  if (level.block === location) return 'this location';
  const line = (workspace.file(level.file)?.lines.positionAt(level.block?.start ?? 0).line ?? 0) + 1;
  return `${level.block?.name.value ?? 'the top level'} (${level.file === file.path ? '' : `${level.file}, `}line ${line})`;
}

const code = (text: string) => `\`${text === '' ? '""' : text.replace(/`/g, "'")}\``;

function entryLine(entry: HeaderEntry, family: HeaderFamily): string {
  if (family === 'proxy_hide_header') return `- ${entry.name}`;
  if (!entry.sent) return `- ~~${entry.name}: ${code(entry.value)}~~ not sent (empty value)`;
  const values = entry.values?.filter((possible) => possible.via.length > 0).map((possible) => code(possible.value));
  const unique = [...new Set(values)];
  const shown = unique.length > MAX_SHOWN_MAP_VALUES ? [...unique.slice(0, MAX_SHOWN_MAP_VALUES), `and ${unique.length - MAX_SHOWN_MAP_VALUES} more`] : unique;
  const mapped = shown.length > 0 ? ` → ${shown.join(' | ')}` : entry.values ? '' : ' (a map we cannot read in full)';
  return `- ${entry.name}: ${code(entry.value)}${mapped}`;
}

/** The markdown of the headers in force at `chain`'s innermost location; undefined when it has none to show. */
export function locationHeadersMarkdown(
  file: ConfigFile,
  chain: readonly Directive[],
  workspace: Workspace,
  graph: ReadonlyMap<string, Inclusion>,
  target: TargetVersion,
): string | undefined {
  const location = chain[chain.length - 1];
  if (location?.name.value !== 'location' || !location.block) return undefined;
  const levels = levelsOutward(workspace, graph, file.path, chain, new Memo());
  const maps = mapsAround(workspace, file.path, graph);
  const sections: string[] = [];
  for (const { family, title, when } of FAMILIES) {
    if (when && !named(levels[0], when).length) continue;
    const entries = headerEntries(levels, family, maps);
    const defaults = family === 'proxy_set_header' ? defaultsNotSet(entries.map((entry) => entry.key), target) : [];
    if (entries.length === 0 && defaults.length === 0) continue;
    const from = entries.length > 0 ? ` — ${family} from ${levelName(entries[0].level, location, file, workspace)}` : '';
    sections.push([
      `**${title}**${from}`,
      '',
      ...entries.map((entry) => entryLine(entry, family)),
      ...defaults.map((header) => `- ${header.name}: ${code(header.value)} (nginx ${target.label} default)`),
    ].join('\n'));
  }
  return sections.length > 0 ? sections.join('\n\n') : undefined;
}
