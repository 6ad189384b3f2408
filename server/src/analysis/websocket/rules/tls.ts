import { filesAround, type Inclusion } from '../../fileContext';
import { directivesNamed, type Directive, type Span } from '../../../parser';
import { blockIndent, eolOf, indentAt, indentUnit, insertLinesIntoBlock, lineEnd, startsLine, wholeLines } from '../../edits';
import type { Fix, TextEdit } from '../../types';
import type { ConfigFile, Workspace } from '../../workspace';
import { listenAddress } from '../../rules/load/servers/listenAddress';
import { locationHeader } from '../fixes';
import { named, type Level } from '../levels';
import { findingFor, WEBSOCKET_DOCS, type WebSocketRule } from './rule';

/**
 * A server level listens with TLS: `listen ... ssl` (or QUIC), the old `ssl on;`, or a listen on
 * an address that another server's listen makes TLS (`tlsAddresses`): ngx_http_add_addresses() ORs
 * `ssl` over the listens of one address, so every server on it speaks TLS.
 */
function hasTls(server: Level, tlsAddresses: () => ReadonlySet<string>): boolean {
  const listens = named(server, 'listen');
  return (
    listens.some((listen) => listen.directive.args.some((arg) => arg.value === 'ssl' || arg.value === 'quic')) ||
    named(server, 'ssl').some((ssl) => ssl.directive.args[0]?.value === 'on') ||
    listens.some((listen) => tlsAddresses().has(listenAddress(listen.directive.args[0]?.value ?? '') ?? ''))
  );
}

/** What the TLS rule and its fixes read of the other servers' listens. */
export interface ListensAround {
  /** The `listen ... ssl` directives, and the addresses they make TLS (as listenAddress() writes them). */
  tls: Directive[];
  tlsAddresses: Set<string>;
  /**
   * The listens on 443 marked default_server: a second one on the same address is an error
   * ("a duplicate default server"), so a TLS twin drops its default_server when another server has one.
   */
  defaults443: Directive[];
  /**
   * The names of the servers with a `listen 443 ssl` of their own, each with that listen: a plain
   * server of the same name is not made TLS by the fixes, whose `listen 443 ssl` would be a
   * "conflicting server name" that nginx ignores (the TLS server keeps the name).
   */
  tlsServerNames: Map<string, { file: string; listen: Directive }>;
}

function readListens(workspace: Workspace, files: Iterable<string>): ListensAround {
  const found: ListensAround = { tls: [], tlsAddresses: new Set(), defaults443: [], tlsServerNames: new Map() };
  for (const path of files) {
    const tree = workspace.file(path)?.tree;
    for (const server of tree ? directivesNamed(tree, 'server') : []) {
      const own = server.block?.children.filter((node): node is Directive => node.kind === 'directive') ?? [];
      const tlsListen = own.find((node) => node.name.value === 'listen' && on443(node) && node.args.some((arg) => arg.value === 'ssl'));
      if (!tlsListen) continue;
      for (const name of own.filter((node) => node.name.value === 'server_name').flatMap((node) => node.args.map((arg) => arg.value.toLowerCase()))) {
        if (!found.tlsServerNames.has(name)) found.tlsServerNames.set(name, { file: path, listen: tlsListen });
      }
    }
    for (const listen of tree ? directivesNamed(tree, 'listen') : []) {
      const address = listen.args.some((arg) => arg.value === 'ssl') ? listenAddress(listen.args[0].value) : undefined;
      if (address) {
        found.tls.push(listen);
        found.tlsAddresses.add(address);
      }
      if (on443(listen) && listen.args.some((arg) => /^default(?:_server)?$/.test(arg.value))) found.defaults443.push(listen);
    }
  }
  return found;
}

/** The listens of the configuration around `file`, read once while the files stay as they are, not once per server or per file. */
export function listensAround(workspace: Workspace, file: string, graph: ReadonlyMap<string, Inclusion>): ListensAround {
  const files = filesAround(file, graph);
  return workspace.keptOver('listens', files, () => readListens(workspace, files));
}

/** A listen on port 443 (`443`, `*:443`, `[::]:443`...): it gets `ssl`, as a second one would be "a duplicate listen". */
const on443 = (listen: Directive) => /^(?:443|.*:443)$/.test(listen.args[0]?.value ?? '');

/**
 * Parameters a TLS listen derived from a plain one does not copy: it sets them itself. `http2` is
 * copied as written: the fix makes the server TLS, and turns on nothing its title does not say.
 */
const TLS_PARAMETERS = new Set(['ssl', 'quic']);

/**
 * The TLS twin of a plain listen: its address with port 443 (a templated port too: `${PORT}`
 * becomes 443), `ssl`, and the original's other parameters (default_server, proxy_protocol,
 * http2...) as written. Undefined for a unix socket.
 */
function tlsListen(file: ConfigFile, listen: Directive, keepDefault: boolean): string | undefined {
  const [address, ...params] = listen.args;
  if (!address || address.value.startsWith('unix:')) return undefined;
  // `80`, `${PORT}` → 443; `host:80`, `[::]:80`, `host:${PORT}` → host:443; `host`, `[::1]` → host:443.
  const host = /^(?:\d+|\$\{?\w+\}?)$/.test(address.value) ? undefined
    : address.value.replace(/(^\[[^\]]*\]|^[^:[]*):(?:\d+|\$\{?\w+\}?)$/, '$1');
  const kept = params.filter((param) => !TLS_PARAMETERS.has(param.value) && (keepDefault || !/^default(?:_server)?$/.test(param.value)));
  return ['listen', host ? `${host}:443` : '443', 'ssl', ...kept.map((param) => sliceOf(file, param))].join(' ') + ';';
}

/**
 * A listen that only this machine reaches: a unix socket, or a loopback address (127.0.0.0/8,
 * [::1], localhost): traffic that never crosses a network needs no TLS.
 */
const isLocalListen = (listen: Directive) =>
  /^(?:unix:|127\.\d+\.\d+\.\d+(?::|$)|\[::1\](?::|$)|localhost(?::|$))/i.test(listen.args[0]?.value ?? '');

/**
 * The TLS settings of Mozilla's intermediate profile (ssl-config.mozilla.org, nginx, intermediate,
 * guidelines 5.7: ECDHE suites only, so no ssl_dhparam is needed) but for those the server has or
 * inherits: a second one at the same level is "is duplicate", and an inherited ssl_certificate or
 * ssl_session_cache (whose zone size must not differ) is the user's.
 */
function tlsSettings(levels: readonly Level[], serverName: string, sessionCache: string): string[] {
  const has = (name: string) => levels.some((level) => named(level, name).length > 0);
  const lines: Array<[string, string]> = [
    ['ssl_certificate', `# The certificate pair must exist (certbot certonly -d ${serverName}, or your own files).`],
    ['ssl_certificate', `ssl_certificate /etc/letsencrypt/live/${serverName}/fullchain.pem;`],
    ['ssl_certificate_key', `ssl_certificate_key /etc/letsencrypt/live/${serverName}/privkey.pem;`],
    ['ssl_protocols', 'ssl_protocols TLSv1.2 TLSv1.3;'],
    ['ssl_ciphers', 'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;'],
    ['ssl_prefer_server_ciphers', 'ssl_prefer_server_ciphers off;'],
    ['ssl_session_timeout', 'ssl_session_timeout 1d;'],
    ['ssl_session_cache', `ssl_session_cache ${sessionCache};`],
    ['ssl_session_tickets', 'ssl_session_tickets off;'],
  ];
  return lines.filter(([name]) => !has(name)).map(([, line]) => line);
}

/** A directive and the `# comment` after it on its line: a listen moved to another server takes its comment along. */
function withComment(file: ConfigFile, directive: Directive): Span {
  const rest = file.text.slice(directive.end, lineEnd(file, directive.end));
  const comment = /^[ \t]*#.*?(?=[ \t]*$)/.exec(rest);
  return { start: directive.start, end: directive.end + (comment?.[0].length ?? 0) };
}

const sliceOf = (file: ConfigFile, span: Span) => file.text.slice(span.start, span.end);

/** Removes a directive: its whole line when it is alone on it, else the directive and the spaces after it. */
function removeDirective(file: ConfigFile, directive: Span): TextEdit {
  const rest = file.text.slice(directive.end, lineEnd(file, directive.end));
  if (startsLine(file, directive.start) && rest.trim() === '') return { file: file.path, span: wholeLines(file, directive), newText: '' };
  return { file: file.path, span: { start: directive.start, end: directive.end + /^[ \t]*/.exec(rest)![0].length }, newText: '' };
}

/**
 * The session cache to add: Mozilla's `shared:MozSSL:10m`, or the MozSSL zone as another server
 * already declares it (a shared zone declared twice with different sizes is an error).
 */
function mozillaSessionCache(workspace: Workspace, files: Iterable<string>): string {
  for (const path of files) {
    const tree = workspace.file(path)?.tree;
    for (const directive of tree ? directivesNamed(tree, 'ssl_session_cache') : []) {
      const zone = directive.args.find((arg) => arg.value.startsWith('shared:MozSSL:'));
      if (zone) return zone.value;
    }
  }
  return 'shared:MozSSL:10m';
}

/** The session cache zone a server's TLS fixes reuse, read once while the files stay as they are. */
export function sessionCacheAround(workspace: Workspace, file: string, graph: ReadonlyMap<string, Inclusion>): string {
  const files = filesAround(file, graph);
  return workspace.keptOver('session-cache', files, () => mozillaSessionCache(workspace, files));
}

/**
 * The two TLS fixes for a server block written in `file`; `levels` are the server's level and the
 * levels around it (http); `sessionCache` is the ssl_session_cache argument to add.
 */
export function tlsFixes(file: ConfigFile, levels: readonly Level[], sessionCache: string, defaultTaken: boolean): Fix[] {
  const server = levels[0];
  const block = server.block!;
  const ownListens = block.block!.children.filter((node): node is Directive => node.kind === 'directive' && node.name.value === 'listen');
  const allListens = named(server, 'listen');
  const serverNames = named(server, 'server_name').flatMap((placed) => placed.directive.args.map((arg) => arg.value));
  const certName = serverNames.find((name) => /^[\w-]+(\.[\w-]+)+$/.test(name)) ?? 'example.com';

  // Port 443 listens get `ssl`; the missing ones (IPv4, IPv6) are added.
  const tls443 = ownListens.filter(on443);
  const addSsl = tls443.map((listen): TextEdit => {
    const last = listen.args[listen.args.length - 1];
    return { file: file.path, span: { start: last.end, end: last.end }, newText: ' ssl' };
  });
  // Each plain listen gets its TLS twin (none when its address listens on 443 already).
  const taken = new Set(tls443.map((listen) => listen.args[0].value));
  const twins = ownListens.filter((listen) => !on443(listen)).map((listen) => tlsListen(file, listen, !defaultTaken));
  const listenLines = [...new Set(twins.filter((line): line is string => line !== undefined && !taken.has(line.split(' ')[1])))];
  if (ownListens.length === 0) listenLines.push('listen 443 ssl;');
  const lines = [...listenLines, ...tlsSettings(levels, certName, sessionCache)];

  // A server with no listen listens on *:80 (listen docs: "Default: listen *:80 | *:8000;"):
  // adding `listen 443 ssl` alone would take port 80 away from it.
  const keepPort80 = allListens.length === 0 ? ['listen 80;'] : [];
  const addTls: Fix = {
    title: 'Add TLS: listen 443 ssl with certificate placeholders (wss://; the certificate pair must exist)',
    preferred: true,
    needsInput: true,
    edits: [...addSsl, insertLinesIntoBlock(file, block, ownListens, [...keepPort80, ...lines])],
  };
  // Moving listens written in another file is beyond a quick fix.
  if (allListens.length > ownListens.length) return [addTls];

  // Move the server to 443 and answer its plain ports with a redirect to https://.
  const plain = ownListens.filter((listen) => !on443(listen));
  const eol = eolOf(file);
  const indent = indentAt(file, block.start);
  const inner = blockIndent(file, block);
  const step = inner.startsWith(indent) && inner.length > indent.length ? inner.slice(indent.length) : indentUnit(file);
  const moveToTls: TextEdit[] = plain.length > 0
    ? [
        { file: file.path, span: withComment(file, plain[0]), newText: lines.join(eol + (startsLine(file, plain[0].start) ? indentAt(file, plain[0].start) : inner)) },
        ...plain.slice(1).map((listen) => removeDirective(file, withComment(file, listen))),
      ]
    : [insertLinesIntoBlock(file, block, ownListens, lines)];
  const redirect = [
    'server {',
    ...(plain.length > 0 ? plain.map((listen) => sliceOf(file, withComment(file, listen))) : ['listen 80;']).map((line) => step + line),
    ...(serverNames.length > 0 ? [`${step}server_name ${serverNames.join(' ')};`] : []),
    `${step}return 301 https://$host$request_uri;`,
    '}',
  ];
  // After the server's closing line, or right after its `}` when more code follows on that line.
  const closeLineEnd = lineEnd(file, block.end);
  const afterServer = file.text.slice(block.end, closeLineEnd).trim() === '' ? closeLineEnd : block.end;
  const redirectServer: Fix = {
    title: 'Add TLS and redirect http:// to https:// (port-80 server)',
    needsInput: true,
    edits: [...addSsl, ...moveToTls,
      { file: file.path, span: { start: afterServer, end: afterServer }, newText: eol + eol + redirect.map((line) => indent + line).join(eol) }],
  };
  return [addTls, redirectServer];
}

/** ws:// only: the WebSocket traffic (cookies, tokens) crosses the network unencrypted. */
export const noTlsRule: WebSocketRule = {
  id: 'ws-no-tls',
  severity: 'information',
  docs: WEBSOCKET_DOCS,
  description: 'A WebSocket endpoint on a server with no TLS listener (ws:// only).',
  check(ws) {
    const at = ws.levels.findIndex((level) => level.block?.name.value === 'server');
    const server = ws.levels[at];
    if (!server?.block || hasTls(server, () => listensAround(ws.workspace, ws.file.path, ws.graph).tlsAddresses)) return [];
    const listens = named(server, 'listen');
    if (listens.length > 0 && listens.every((listen) => isLocalListen(listen.directive))) return [];
    const serverFile = ws.workspace.file(server.file);
    const related = [
      { file: server.file, span: server.block.name, message: 'this server has no TLS listener' },
      ...listens.map((listen) => ({ file: listen.file, span: listen.directive, message: 'plain-HTTP listener' })),
    ];
    // A TLS server of the same name answers https:// for it: this location belongs there.
    const { tlsServerNames } = listensAround(ws.workspace, ws.file.path, ws.graph);
    const tlsName = named(server, 'server_name').flatMap((placed) => placed.directive.args).find((name) => tlsServerNames.has(name.value.toLowerCase()));
    if (tlsName) {
      const twin = tlsServerNames.get(tlsName.value.toLowerCase())!;
      return [findingFor(this, ws, locationHeader(ws),
        `This WebSocket endpoint is served over plain HTTP (ws://): its traffic is unencrypted; wss:// requests for "${tlsName.value}" go to its TLS server, which must hold this location to serve them`,
        { related: [...related, { file: twin.file, span: twin.listen, message: `the TLS server of "${tlsName.value}"` }] })];
    }
    return [findingFor(this, ws, locationHeader(ws),
      'This WebSocket endpoint is served over plain HTTP (ws://): its traffic is unencrypted; add TLS to serve wss://',
      {
        related,
        // One server's fixes serve all its WebSocket locations.
        fixes: serverFile
          ? ws.memo.get('tls-fixes', server, () => {
              const sessionCache = sessionCacheAround(ws.workspace, ws.file.path, ws.graph);
              const { defaults443 } = listensAround(ws.workspace, ws.file.path, ws.graph);
              const own = new Set(listens.map((listen) => listen.directive));
              return tlsFixes(serverFile, ws.levels.slice(at), sessionCache, defaults443.some((listen) => !own.has(listen)));
            })
          : [],
      })];
  },
};
