// "Which server and location serve a URL": the routing core's answer as plain data the CLI, the
// editor command and the hover show (files and spans, the words of the directives, the upstream URI).

import { fileContext } from '../analysis/fileContext';
import { route, routingModelOf, type Route } from '../analysis/routing';
import type { Placed } from '../analysis/rules/load/configuration';
import type { ConfigFile, Workspace } from '../analysis/workspace';
import { statementSpan, type Span } from '../parser';

export interface RoutePlace {
  file: string;
  span: Span;
  /** The directive as written, without its block: `location ^~ /ws/`, `server_name example.com`. */
  text: string;
}

export interface RouteAnswer {
  url: string;
  server?: RoutePlace & { chosenBy: string };
  location?: RoutePlace;
  /** The URI the location's proxy_pass sends, and how it is made. */
  upstreamUri?: string;
  upstreamNote?: string;
  /** Why no location answers (400, no server on the port, a redirect). */
  error?: string;
  notes: string[];
}

const words = (placed: Placed) => [placed.directive.name.value, ...placed.directive.args.map((arg) => placed.file.text.slice(arg.start, arg.end))].join(' ');

const place = (placed: Placed): RoutePlace => ({ file: placed.file.path, span: statementSpan(placed.directive), text: words(placed) });

function answer(found: Route): RouteAnswer {
  const result: RouteAnswer = { url: found.url, notes: found.notes };
  if (found.server) {
    const { by } = found.server;
    result.server = { ...place(found.server.server.placed), chosenBy: 'name' in by ? `server_name ${by.name.kind === 'regex' ? '~' : ''}${by.name.name}` : `default server of ${by.defaultOf}` };
  }
  if (found.error) result.error = found.error;
  const match = found.match;
  if (match?.kind === 'redirect') result.error = `301 redirect (${match.location.name} with a *_pass)`;
  if (match && match.kind !== 'undecided' && match.location) result.location = place(match.location.placed);
  if (found.upstream) {
    result.upstreamUri = found.upstream.kind === 'uri' ? found.upstream.uri : found.upstream.template;
    result.upstreamNote = found.upstream.note;
  }
  return result;
}

/** The routes of URLs through the configuration `file` belongs to (its main config's, else the file on its own). */
export function routeUrls(file: ConfigFile, workspace: Workspace, urls: readonly string[]): RouteAnswer[] {
  const model = routingModelOf(file, workspace, fileContext(file, workspace));
  return urls.map((url) => answer(route(model, { url })));
}

/** One line for a notification: the server, the location and the upstream URI (`where` names a place: `chat.conf:23`). */
export function routeSummary(answer: RouteAnswer, where: (place: RoutePlace) => string): string {
  const parts: string[] = [];
  if (answer.server) parts.push(`server at ${where(answer.server)} (${answer.server.chosenBy})`);
  if (answer.location) parts.push(`${answer.location.text} at ${where(answer.location)}`);
  else if (answer.server && !answer.error) parts.push('no location: the server level serves it');
  if (answer.error) parts.push(answer.error);
  if (answer.upstreamUri !== undefined) parts.push(`the upstream gets ${answer.upstreamUri}`);
  return `${answer.url}: ${[...parts, ...answer.notes].join('; ')}`;
}
