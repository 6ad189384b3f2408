import { statementSpan } from '../../../../parser';
import { compareVersions, parseVersion, type TargetVersion } from '../../../knowledge/versions';
import { directiveSpecs } from '../../../knowledge/directives';
import { inForce, isHttpServer, isMailServer, isWholeConfiguration, placedNamed, unresolvedIn, type Configuration, type Placed } from '../configuration';
import { isDefaultServerListen, isSslListen, serverListens, type ServerListen } from '../servers/listenAddress';
import { mailTlsOf } from './setup';
import { judgedAlone, type LoadProblem, type LoadRule } from '../rule';

/** The release whose stream servers have names and so default servers, judged per address as http's are (ngx_stream_ssl_init()). */
const STREAM_DEFAULT_SERVERS_SINCE = parseVersion('1.25.5')!;
/** The release that knows `listen ... quic` (before, the parameter is invalid: another finding). */
const QUIC_SINCE = parseVersion('1.25.0')!;

/** ngx_http_ssl_init() and its stream and mail twins, naming what asks for TLS: `listen ... ssl`, `ssl`, `starttls`. */
const message = (asking: string) => `no "ssl_certificate" is defined for the "${asking}" directive`;

export const hasCertificate = (configuration: Configuration, server: Placed) => inForce(configuration, server, 'ssl_certificate').length > 0;
const rejectsHandshake = (configuration: Configuration, server: Placed) => inForce(configuration, server, 'ssl_reject_handshake')[0]?.directive.args[0]?.value === 'on';

export interface SecureAddress {
  /** `ssl` or `quic`: a listen of it has the parameter (ngx_http_add_addresses() ORs them). */
  secure?: 'ssl' | 'quic';
  servers: Placed[];
  /** The server of its `default_server` listen, else the first that listens on it. */
  defaultServer: Placed;
}

const addressesKept = new WeakMap<readonly ServerListen[], readonly SecureAddress[]>();

/**
 * The addresses the http or stream servers listen on, as ngx_http_ssl_init() (and ngx_stream_ssl_init())
 * go over them (read once per configuration's listens: two rules ask).
 */
export function listenedAddresses(configuration: Configuration, family: 'http' | 'stream', target: TargetVersion): readonly SecureAddress[] {
  const listens = serverListens(configuration, family, target);
  let kept = addressesKept.get(listens);
  if (!kept) addressesKept.set(listens, (kept = readAddresses(listens, family === 'http' && compareVersions(target.version, QUIC_SINCE) >= 0)));
  return kept;
}

/** `knowsQuic`: the http tree of a release with quic (stream has none: there the word is an invalid parameter, another finding). */
function readAddresses(listens: readonly ServerListen[], knowsQuic: boolean): SecureAddress[] {
  const addresses = new Map<string, { secure?: 'ssl' | 'quic'; servers: Placed[]; defaultServer?: Placed }>();
  for (const { placed, socket, server } of listens) {
    if (!server) continue;
    const args = placed.directive.args.map((arg) => arg.value);
    const quic = knowsQuic && args.includes('quic');
    const entry = addresses.get(socket) ?? { servers: [] };
    addresses.set(socket, entry);
    if (quic) entry.secure = 'quic';
    else if (args.includes('ssl')) entry.secure = 'ssl';
    if (!entry.servers.includes(server)) entry.servers.push(server);
    if (isDefaultServerListen(placed) && !entry.defaultServer) entry.defaultServer = server;
  }
  return [...addresses.values()].map(({ secure, servers, defaultServer = servers[0] }) => ({ secure, servers, defaultServer }));
}

/**
 * Each address listened on with `ssl` (or `quic`) needs a certificate in its default server, its own
 * or the level's; with `ssl_reject_handshake on` (1.19.4) there, every server of the address needs
 * one or the same (ngx_http_ssl_init(), and ngx_stream_ssl_init() from 1.25.5). nginx names the server.
 */
function byAddress(configuration: Configuration, family: 'http' | 'stream', target: TargetVersion): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const report = (server: Placed, secure: string) => problems.push({ at: server, span: statementSpan(server.directive), message: message(`listen ... ${secure}`) });
  for (const { secure, servers, defaultServer } of listenedAddresses(configuration, family, target)) {
    if (!secure || hasCertificate(configuration, defaultServer)) continue;
    if (!rejectsHandshake(configuration, defaultServer)) {
      report(defaultServer, secure);
      continue;
    }
    const lacking = servers.find((server) => !hasCertificate(configuration, server) && !rejectsHandshake(configuration, server));
    if (lacking) report(lacking, secure);
  }
  return problems;
}

/**
 * Before 1.25.5 every stream server with an `ssl` listen needs a certificate (ngx_stream_ssl_merge_srv_conf()),
 * and nginx names its last `ssl` listen.
 */
function byStreamServer(configuration: Configuration, target: TargetVersion): LoadProblem[] {
  const lastSslListen = new Map<Placed, Placed>();
  for (const { placed, server } of serverListens(configuration, 'stream', target)) {
    if (server && isSslListen(placed)) lastSslListen.set(server, placed);
  }
  return [...lastSslListen].filter(([server]) => !hasCertificate(configuration, server))
    .map(([, listen]) => ({ at: listen, span: statementSpan(listen.directive), message: message('listen ... ssl') }));
}

/**
 * `ssl on;` (the directive of nginx before 1.25.1), in force in an http server, own or inherited,
 * with no certificate in force and handshakes not rejected: ngx_http_ssl_merge_srv_conf() names the
 * `ssl` directive (its file and line).
 */
function bySslOn(configuration: Configuration, target: TargetVersion): LoadProblem[] {
  if (directiveSpecs('ssl', target).length === 0) return [];
  const named = new Set<Placed>();
  for (const server of placedNamed(configuration, 'server')) {
    if (!isHttpServer(server)) continue;
    const ssl = inForce(configuration, server, 'ssl').at(-1);
    if (ssl?.directive.args[0]?.value !== 'on' || hasCertificate(configuration, server) || rejectsHandshake(configuration, server)) continue;
    named.add(ssl);
  }
  return [...named].map((ssl) => ({ at: ssl, span: statementSpan(ssl.directive), message: message('ssl') }));
}

/** Each mail server that sets up TLS needs a certificate, its own or the mail level's (ngx_mail_ssl_merge_conf()). */
function byMailServer(configuration: Configuration, target: TargetVersion): LoadProblem[] {
  const problems: LoadProblem[] = [];
  for (const server of placedNamed(configuration, 'server')) {
    const tls = isMailServer(server) ? mailTlsOf(configuration, server, target) : undefined;
    if (tls && !hasCertificate(configuration, server)) problems.push({ at: tls.at, span: statementSpan(tls.at.directive), message: message(tls.mode) });
  }
  return problems;
}

/**
 * An `ssl` (or `quic`) listen, or `ssl on;`, without the certificate nginx needs for it, once the configuration is
 * read. Which server is an address's default depends on every file the main config includes, and a
 * certificate may be set at its http level: in a file read alone it is a warning.
 */
export const listenSslWithoutCertificate: LoadRule = {
  id: 'listen-ssl-without-certificate',
  severity: 'error',
  description: 'A listen with ssl or quic whose default server (or, in stream before 1.25.5, whose server) has no ssl_certificate; a server with `ssl on` and none; a mail server with TLS (listen ... ssl, ssl on, starttls) and none.',
  check(configuration, target) {
    const streamByAddress = compareVersions(target.version, STREAM_DEFAULT_SERVERS_SINCE) >= 0;
    const problems = [
      ...bySslOn(configuration, target),
      ...byAddress(configuration, 'http', target),
      ...(streamByAddress ? byAddress(configuration, 'stream', target) : byStreamServer(configuration, target)),
      ...byMailServer(configuration, target),
    ];
    if (isWholeConfiguration(configuration)) return problems;
    // A file read alone: its http level, or a server elsewhere that is the address's default, may
    // bring the certificate; an include the workspace lacks, in the server or at its level, may too.
    return problems.filter(({ at }) => {
      const server = at.directive.name.value === 'server' ? at : at.parent;
      return !unresolvedIn(configuration, [server, server?.parent, undefined]);
    }).map((problem) => judgedAlone(problem, 'a certificate at the http level outside it'));
  },
};
