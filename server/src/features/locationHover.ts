// Hover on a `location`'s path: sample URIs it serves, and for the URIs its name suggests that it
// does not serve, which location does (what shadows it).

import type { Context } from '../analysis/context';
import { findLocation, routingModelOf, type RouteLocation, type RouteServer } from '../analysis/routing';
import { candidateUris } from '../analysis/routing/samples';
import { parseComplexUri, showBytes, toBytes } from '../analysis/routing/uri';
import type { ConfigFile, Workspace } from '../analysis/workspace';
import type { Directive } from '../parser';

/** Samples and shadowing URIs shown at most. */
const MAX_SHOWN = 4;

function findOwn(servers: readonly RouteServer[], directive: Directive): { server: RouteServer; location: RouteLocation } | undefined {
  for (const server of servers) {
    const pending = [...server.locations, ...server.named];
    while (pending.length > 0) {
      const location = pending.pop()!;
      if (location.placed.directive === directive) return { server, location };
      pending.push(...location.children);
    }
  }
  return undefined;
}

const lineOf = (location: RouteLocation, file: ConfigFile) => {
  const { placed } = location;
  const line = placed.file.lines.positionAt(placed.directive.start).line + 1;
  return placed.file.path === file.path ? `line ${line}` : `${placed.file.path.split('/').pop()}:${line}`;
};

const written = (location: RouteLocation) => location.placed.directive.args.map((arg) => arg.value).join(' ');

/** The routing part of a location's hover, or undefined when the directive is not a location of an http server. */
export function locationHoverMarkdown(file: ConfigFile, directive: Directive, workspace: Workspace, top: Context): string | undefined {
  const own = findOwn(routingModelOf(file, workspace, top).servers, directive);
  if (!own) return undefined;
  const { server, location } = own;
  const lines = [`**location ${written(location)}**`, ''];
  if (location.kind === 'named') {
    lines.push('A named location: never matched from outside, reached only by `try_files`, `error_page`, `auth_request` or the like.');
    return lines.join('\n');
  }
  if (location.internal) lines.push('`internal`: a request from outside that it matches gets 404.', '');
  const serves: string[] = [];
  const elsewhere: string[] = [];
  for (const candidate of new Set(candidateUris(location))) {
    const uri = parseComplexUri(toBytes(candidate), server.mergeSlashes);
    if ('error' in uri) continue;
    const match = findLocation(server.locations, uri.path);
    const shown = `\`${showBytes(uri.path)}\``;
    if (match.kind === 'undecided') continue;
    if (match.kind === 'redirect') elsewhere.push(`${shown} → 301 to \`${showBytes(uri.path)}/\``);
    else if (match.location === location) serves.push(shown);
    else if (match.location) elsewhere.push(`${shown} → \`location ${written(match.location)}\` (${lineOf(match.location, file)})`);
    else elsewhere.push(`${shown} → no location (the server level)`);
  }
  if (serves.length > 0) lines.push(`**Serves**, for example: ${serves.slice(0, MAX_SHOWN).join(', ')}`);
  else lines.push('**Serves** none of the URIs its name suggests.');
  if (elsewhere.length > 0) lines.push('', '**Served elsewhere:**', ...elsewhere.slice(0, MAX_SHOWN).map((entry) => `- ${entry}`));
  return lines.join('\n');
}
