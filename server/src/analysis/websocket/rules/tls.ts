import type { Directive } from '../../../parser';
import { eolOf, indentAt, indentUnit, insertLinesAfter, insertLinesAtBlockStart, lineEnd, wholeLines } from '../../edits';
import type { Fix, TextEdit } from '../../types';
import type { ConfigFile } from '../../workspace';
import { locationHeader } from '../fixes';
import { named, type Level } from '../levels';
import { findingFor, type WebSocketRule } from './rule';

/** A server level listens with TLS: `listen ... ssl` (or QUIC), or the old `ssl on;`. */
function hasTls(server: Level): boolean {
  return (
    named(server, 'listen').some((listen) => listen.directive.args.some((arg) => arg.value === 'ssl' || arg.value === 'quic')) ||
    named(server, 'ssl').some((ssl) => ssl.directive.args[0]?.value === 'on')
  );
}

/** The TLS lines of Mozilla's intermediate profile (ssl-config.mozilla.org, nginx, intermediate). */
function tlsLines(server: Level, serverName: string): string[] {
  const has = (name: string) => named(server, name).length > 0;
  const lines: Array<[string, string]> = [
    ['ssl_certificate', `ssl_certificate /etc/letsencrypt/live/${serverName}/fullchain.pem;`],
    ['ssl_certificate_key', `ssl_certificate_key /etc/letsencrypt/live/${serverName}/privkey.pem;`],
    ['ssl_protocols', 'ssl_protocols TLSv1.2 TLSv1.3;'],
    ['ssl_ciphers', 'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384;'],
    ['ssl_prefer_server_ciphers', 'ssl_prefer_server_ciphers off;'],
    ['ssl_session_timeout', 'ssl_session_timeout 1d;'],
    ['ssl_session_cache', 'ssl_session_cache shared:MozSSL:10m;'],
    ['ssl_session_tickets', 'ssl_session_tickets off;'],
  ];
  // Directives the server already has stay as they are (a second one may be "is duplicate").
  return ['listen 443 ssl;', 'listen [::]:443 ssl;', ...lines.filter(([name]) => !has(name)).map(([, line]) => line)];
}

/** The two TLS fixes for a server block written in `file`. */
export function tlsFixes(file: ConfigFile, server: Level): Fix[] {
  const block = server.block!;
  const ownListens = block.block!.children.filter((node): node is Directive => node.kind === 'directive' && node.name.value === 'listen');
  const serverNames = named(server, 'server_name').flatMap((placed) => placed.directive.args.map((arg) => arg.value));
  const certName = serverNames.find((name) => /^[\w-]+(\.[\w-]+)+$/.test(name)) ?? 'example.com';
  const lines = tlsLines(server, certName);
  const last = ownListens[ownListens.length - 1];
  const addTls: Fix = {
    title: 'Add TLS: listen 443 ssl with certificate placeholders (wss://)',
    preferred: true,
    edits: [last ? insertLinesAfter(file, last, lines) : insertLinesAtBlockStart(file, block, lines)],
  };

  // Move the server to 443 and answer its old ports with a redirect to https://.
  const indent = indentAt(file, block.start);
  const eol = eolOf(file);
  const innerIndent = last ? indentAt(file, last.start) : indent + indentUnit(file);
  const step = innerIndent.slice(indent.length);
  const redirect = [
    'server {',
    ...(ownListens.length > 0 ? ownListens.map((listen) => file.text.slice(listen.start, listen.end)) : ['listen 80;']).map((line) => step + line),
    ...(serverNames.length > 0 ? [`${step}server_name ${serverNames.join(' ')};`] : []),
    `${step}return 301 https://$host$request_uri;`,
    '}',
  ];
  const moveToTls: TextEdit[] = last
    ? [
        { file: file.path, span: ownListens[0], newText: lines.join(eol + innerIndent) },
        ...ownListens.slice(1).map((listen) => ({ file: file.path, span: wholeLines(file, listen), newText: '' })),
      ]
    : [insertLinesAtBlockStart(file, block, lines)];
  const afterServer = lineEnd(file, block.end);
  const redirectServer: Fix = {
    title: 'Add TLS and redirect http:// to https:// (port-80 server)',
    edits: [...moveToTls, { file: file.path, span: { start: afterServer, end: afterServer }, newText: eol + eol + redirect.map((line) => indent + line).join(eol) }],
  };
  return [addTls, redirectServer];
}

/** ws:// only: the WebSocket traffic (cookies, tokens) crosses the network unencrypted. */
export const noTlsRule: WebSocketRule = {
  id: 'ws-no-tls',
  severity: 'information',
  description: 'A WebSocket endpoint on a server with no TLS listener (ws:// only).',
  check(ws) {
    const server = ws.levels.find((level) => level.block?.name.value === 'server');
    if (!server?.block || hasTls(server)) return [];
    const serverFile = ws.workspace.file(server.file);
    const listens = named(server, 'listen');
    const related = [
      { file: server.file, span: server.block.name, message: 'this server has no TLS listener' },
      ...listens.map((listen) => ({ file: listen.file, span: listen.directive, message: 'plain-HTTP listener' })),
    ];
    return [findingFor(this, ws, locationHeader(ws),
      'This WebSocket endpoint is served over plain HTTP (ws://): its traffic is unencrypted; add TLS to serve wss://',
      { related, fixes: serverFile ? tlsFixes(serverFile, server) : [] })];
  },
};
