// "Which server and location serve a URL": the routing core's answer as plain data the CLI, the
// editor command and the hover show (files and spans, the words of the directives, the upstream URI
// and the request headers the upstream gets).

import { MAIN } from '../analysis/context';
import { fileContext } from '../analysis/fileContext';
import { mapDefinitions, type MapDefinition } from '../analysis/headers';
import { upstreamRequestHeaders, type UpstreamHeader } from '../analysis/headers/upstream';
import type { TargetVersion } from '../analysis/knowledge/versions';
import { route, routingModel, type Route } from '../analysis/routing';
import { configurationsOf, type Configuration, type Placed } from '../analysis/rules/load/configuration';
import { levelsOfRead, Memo } from '../analysis/websocket/levels';
import type { ConfigFile, Workspace } from '../analysis/workspace';
import { statementSpan, type Directive, type Span } from '../parser';

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
  /** The request headers the proxy_pass sends, in nginx's order (analysis/headers/upstream.ts). */
  upstreamHeaders?: Array<Omit<UpstreamHeader, 'from'> & { from?: RoutePlace }>;
  /** The client's other headers: passed as is (unless proxy_pass_request_headers off), except these names. */
  clientHeaders?: { passed: boolean; except: string[]; from?: RoutePlace };
  /** Why no location answers (400, no server on the port, a redirect). */
  error?: string;
  notes: string[];
}

const words = (directive: Directive, text: string) => [directive.name.value, ...directive.args.map((arg) => text.slice(arg.start, arg.end))].join(' ');

const placeIn = (directive: Directive, file: ConfigFile): RoutePlace => ({ file: file.path, span: statementSpan(directive), text: words(directive, file.text) });

const place = (placed: Placed): RoutePlace => placeIn(placed.directive, placed.file);

/** What the routes of one configuration share. */
interface RouteScope {
  configuration: Configuration;
  workspace: Workspace;
  maps: ReadonlyMap<string, MapDefinition>;
  target: TargetVersion;
  memo: Memo;
}

function answer(found: Route, scope: RouteScope): RouteAnswer {
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
  if (found.variables && match?.kind === 'location' && match.location) Object.assign(result, headersSent(match.location.placed, found.variables, scope));
  return result;
}

/** The request headers a location's proxy_pass sends for the request, each with the line that sets it. */
function headersSent(location: Placed, variables: ReadonlyMap<string, string>, scope: RouteScope): Pick<RouteAnswer, 'upstreamHeaders' | 'clientHeaders'> {
  const { configuration, workspace, maps, target, memo } = scope;
  const levels = levelsOfRead(workspace, location, configuration.top === MAIN ? undefined : configuration.start.path, memo);
  const sent = upstreamRequestHeaders(levels, maps, target, variables);
  // A level's directives carry the path of their file: its ConfigFile gives their words and span.
  const placeOf = (at: { directive: Directive; file: string }) => {
    const file = workspace.file(at.file);
    return file && placeIn(at.directive, file);
  };
  const { from, ...clientHeaders } = sent.clientHeaders;
  return {
    upstreamHeaders: sent.headers.map(({ from: setBy, ...header }) => ({ ...header, ...(setBy && { from: placeOf(setBy) }) })),
    clientHeaders: { ...clientHeaders, ...(from && { from: placeOf(from) }) },
  };
}

/** The routes of URLs through the configuration `file` belongs to (its main config's, else the file on its own). */
export function routeUrls(file: ConfigFile, workspace: Workspace, urls: readonly string[], target: TargetVersion): RouteAnswer[] {
  const configuration = configurationsOf(file, workspace, fileContext(file, workspace))[0];
  const model = routingModel(configuration);
  const scope = { configuration, workspace, maps: mapDefinitions(workspace, configuration.files.keys()), target, memo: new Memo() };
  return urls.map((url) => answer(route(model, { url }), scope));
}

/** `Upgrade: websocket ($http_upgrade)`: the value for the request and, when variables make it, as written. */
export function upstreamHeaderText(header: { name: string; value: string; resolved?: string }): string {
  if (header.resolved === undefined || header.resolved === header.value) return `${header.name}: ${header.value}`;
  return `${header.name}: ${header.resolved} (${header.value})`;
}

/** The client's headers the upstream gets besides those listed. */
export function clientHeadersText(clientHeaders: NonNullable<RouteAnswer['clientHeaders']>): string {
  return clientHeaders.passed
    ? `the client's other headers as is (never its ${clientHeaders.except.join(', ')})`
    : 'none of the client\'s headers (proxy_pass_request_headers off)';
}

/** One line for a notification: the server, the location, the upstream URI and headers (`where` names a place: `chat.conf:23`). */
export function routeSummary(answer: RouteAnswer, where: (place: RoutePlace) => string): string {
  const parts: string[] = [];
  if (answer.server) parts.push(`server at ${where(answer.server)} (${answer.server.chosenBy})`);
  if (answer.location) parts.push(`${answer.location.text} at ${where(answer.location)}`);
  else if (answer.server && !answer.error) parts.push('no location: the server level serves it');
  if (answer.error) parts.push(answer.error);
  if (answer.upstreamUri !== undefined) {
    const sent = [...(answer.upstreamHeaders ?? []).map(upstreamHeaderText), ...(answer.clientHeaders?.passed ? ["the client's other headers as is"] : [])];
    parts.push(`the upstream gets ${answer.upstreamUri}${sent.length > 0 ? ` with ${sent.join(', ')}` : ''}`);
  }
  return `${answer.url}: ${[...parts, ...answer.notes].join('; ')}`;
}
