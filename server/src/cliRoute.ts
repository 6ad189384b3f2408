// `nginx-lint route URL... [--config FILE] [--format json]`: per URL, the server and location that
// serve it (file and nginx's 1-based line), the URI and the request headers the upstream gets.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { targetOf } from './analysis/analyze';
import { versionProblem } from './analysis/knowledge/versions';
import { Workspace } from './analysis/workspace';
import { clientHeadersText, routeUrls, upstreamHeaderText, type RouteAnswer, type RoutePlace } from './features/route';
import { nodeFileSystem } from './nodeFileSystem';
import { NginxLines } from './parser';

/** Where the configuration is looked for without --config: the current folder's, then the system's. */
const DEFAULT_CONFIGS = ['nginx.conf', '/etc/nginx/nginx.conf'];

const ROUTE_USAGE = `usage: nginx-lint route URL... [--config FILE] [--format text|json] [--nginx-version VERSION]
  Which server and location of the configuration (default: ./nginx.conf, else /etc/nginx/nginx.conf)
  serve each URL (http://host[:port]/path?args), and the URI and headers its proxy_pass sends upstream.
  A ws:// or wss:// URL is a WebSocket handshake (Upgrade: websocket); others a plain GET.
  --nginx-version: the release whose defaults apply (Connection: close before 1.29.7; default: the newest stable known).
`;

interface RouteOptions {
  urls: string[];
  config?: string;
  format: 'text' | 'json';
  version?: string;
}

function parseRouteArguments(argv: readonly string[]): RouteOptions | string {
  const options: RouteOptions = { urls: [], format: 'text' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--config') options.config = inline ?? argv[++i];
    else if (flag === '--format') {
      const format = inline ?? argv[++i];
      if (format !== 'text' && format !== 'json') return `--format takes text or json, not "${format}"`;
      options.format = format;
    } else if (flag === '--nginx-version') {
      const version = inline ?? argv[++i] ?? '';
      const problem = versionProblem(version, '--nginx-version');
      if (problem) return problem;
      options.version = version;
    } else if (argv[i].startsWith('--')) return `unknown option ${argv[i]}`;
    else options.urls.push(argv[i]);
  }
  if (options.config === undefined && argv.includes('--config')) return '--config takes a FILE';
  return options.urls.length > 0 ? options : 'no URL given';
}

interface JsonRoute {
  url: string;
  server: { file: string; line: number } | null;
  location: { file: string; line: number } | null;
  upstreamUri: string | null;
  /** [] without a proxy_pass. */
  upstreamHeaders: Array<{ name: string; value: string; resolved?: string; from: { file: string; line: number } | null }>;
  clientHeaders: { passed: boolean; except: string[]; from: { file: string; line: number } | null } | null;
  error?: string;
  notes: string[];
}

/** Exit status: 0 when every URL reaches a location or a server, 1 when one gets none, 2 on bad usage. */
export function routeCommand(argv: readonly string[]): number {
  if (argv.includes('--help')) {
    process.stdout.write(ROUTE_USAGE);
    return 0;
  }
  const options = parseRouteArguments(argv);
  if (typeof options === 'string') {
    process.stderr.write(`nginx-lint route: ${options}\n${ROUTE_USAGE}`);
    return 2;
  }
  const config = options.config ?? DEFAULT_CONFIGS.find((candidate) => fs.existsSync(candidate));
  const configPath = config && path.resolve(config);
  const workspace = new Workspace(nodeFileSystem);
  const file = configPath ? workspace.file(configPath) : undefined;
  if (!configPath || !file) {
    process.stderr.write(`nginx-lint route: cannot read ${config ?? DEFAULT_CONFIGS.join(' or ')}\n`);
    return 2;
  }
  if (path.basename(configPath) === 'nginx.conf') workspace.roots = [configPath];
  const answers = routeUrls(file, workspace, options.urls, targetOf({ nginxVersion: options.version }));
  const linesOf = new Map<string, NginxLines>();
  // nginx's line numbers (by LF), as nginx -t and the lint output name them.
  const lineOf = (placeOf: RoutePlace) => {
    let lines = linesOf.get(placeOf.file);
    if (!lines) linesOf.set(placeOf.file, (lines = new NginxLines(workspace.file(placeOf.file)?.text ?? '')));
    return lines.lineAt(placeOf.span.start);
  };
  const at = (placeOf: RoutePlace | undefined) => placeOf && { file: shown(placeOf.file), line: lineOf(placeOf) };
  if (options.format === 'json') {
    const json: JsonRoute[] = answers.map((answer) => ({
      url: answer.url, server: at(answer.server) ?? null, location: at(answer.location) ?? null, upstreamUri: answer.upstreamUri ?? null,
      upstreamHeaders: (answer.upstreamHeaders ?? []).map((header) => ({ ...header, from: at(header.from) ?? null })),
      clientHeaders: answer.clientHeaders ? { ...answer.clientHeaders, from: at(answer.clientHeaders.from) ?? null } : null,
      ...(answer.error && { error: answer.error }), notes: answer.notes,
    }));
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    for (const answer of answers) process.stdout.write(textOf(answer, (placeOf) => `${shown(placeOf.file)}:${lineOf(placeOf)}`));
  }
  return answers.some((answer) => !answer.server) ? 1 : 0;
}

function textOf(answer: RouteAnswer, where: (placeOf: RoutePlace) => string): string {
  const lines = [answer.url];
  if (answer.server) lines.push(`  server    ${where(answer.server)}  (${answer.server.chosenBy})`);
  if (answer.location) lines.push(`  location  ${where(answer.location)}  ${answer.location.text}`);
  else if (answer.server && !answer.error) lines.push('  location  none: the server level serves it');
  if (answer.upstreamUri !== undefined) lines.push(`  upstream  ${answer.upstreamUri}  (${answer.upstreamNote})`);
  for (const header of answer.upstreamHeaders ?? []) lines.push(`  header    ${upstreamHeaderText(header)}  (${header.from ? where(header.from) : 'nginx default'})`);
  if (answer.clientHeaders) lines.push(`  client    ${clientHeadersText(answer.clientHeaders)}${answer.clientHeaders.from ? `  (${where(answer.clientHeaders.from)})` : ''}`);
  if (answer.error) lines.push(`  answer    ${answer.error}`);
  for (const note of answer.notes) lines.push(`  note      ${note}`);
  return `${lines.join('\n')}\n`;
}

/** A path relative to the current folder when it is under it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}
