import { statementSpan } from '../../../../parser';
import { compareVersions } from '../../../knowledge/versions';
import { inForceFrom, isHttpServer, isMailServer, isStreamServer, isWholeConfiguration, placedIn, placedNamed, type Configuration, type Placed } from '../configuration';
import { isSslListen } from '../servers/listenAddress';
import { certificatesInForce, mailTlsOf, type MailTls } from './setup';
import { STREAM_VIRTUAL_SERVERS_SINCE } from '../servers/duplicateStreamListen';
import { tlsUpstreamLevels } from './sslVerifyWithoutCa';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * A certificate written with more words than its one (a `;` left out swallowed the key's line: nginx
 * refuses it, another finding) tells nothing of the keys.
 */
const refusedAny = (certificates: readonly Placed[]) => certificates.some((placed) => placed.directive.args.length !== 1);

/** The certificates in force in a server, and its keys, when the keys are fewer (ngx_*_ssl_merge_*conf()); undefined otherwise. */
function lackingKeys(configuration: Configuration, server: Placed): ReturnType<typeof certificatesInForce> | undefined {
  const inForce = certificatesInForce(configuration, server);
  const { certificates, keys } = inForce;
  return certificates.length > keys.length && !refusedAny(certificates) ? inForce : undefined;
}

/** What nginx names for an http or stream server's certificates without keys: the last certificate, or before 1.25.5 a stream server's `listen ... ssl`. */
function serverKeyProblem(configuration: Configuration, server: Placed, streamAsHttp: boolean): LoadProblem | undefined {
  if (placedIn(configuration, server, 'ssl').length > 0) return undefined;
  const { certificates } = lackingKeys(configuration, server) ?? {};
  if (!certificates) return undefined;
  if (isStreamServer(server) && !streamAsHttp) {
    const listen = placedIn(configuration, server, 'listen').find(isSslListen);
    return listen && { at: listen, span: statementSpan(listen.directive), message: 'no "ssl_certificate_key" is defined for the "listen ... ssl" directive' };
  }
  const last = certificates[certificates.length - 1];
  return { at: last, span: statementSpan(last.directive), message: `no "ssl_certificate_key" is defined for certificate "${last.directive.args[0]?.value ?? ''}"` };
}

/**
 * ngx_mail_ssl_merge_conf(): a mail server with TLS and certificates needs as many keys, naming the
 * directive that asks for TLS (no key at all, or none for the last certificate).
 */
function mailKeyProblem(configuration: Configuration, server: Placed, { mode, at }: MailTls): LoadProblem | undefined {
  const { certificates, keys } = lackingKeys(configuration, server) ?? {};
  if (!certificates || !keys) return undefined;
  const last = certificates[certificates.length - 1].directive.args[0]?.value ?? '';
  const message = keys.length === 0 ? `no "ssl_certificate_key" is defined for the "${mode}" directive` : `no "ssl_certificate_key" is defined for certificate "${last}" and the "${mode}" directive`;
  return { at, span: statementSpan(at.directive), message };
}

/**
 * An http server whose `ssl_certificate`s, its own or inherited, outnumber its `ssl_certificate_key`s:
 * ngx_http_ssl_merge_srv_conf() refuses it whether or not the server listens with ssl, naming the
 * last certificate and no line. Judged in a whole configuration only: a fragment's http level is
 * another file's. Servers with the old `ssl on` (removed in 1.25.1) get another message: not judged.
 * A stream server is judged so from 1.25.5; before, ngx_stream_ssl_merge_conf() asked only a server
 * that listens with ssl, naming that listen ("... for the "listen ... ssl" directive"). The client
 * certificate nginx shows an upstream over TLS (ngx_http_proxy_set_ssl() and its twins) needs its key too.
 */
export const sslCertificateWithoutKey: LoadRule = {
  id: 'ssl-certificate-without-key',
  severity: 'error',
  description: 'An ssl_certificate without its ssl_certificate_key in an http, stream or mail server, or for an upstream over TLS.',
  check(configuration, target) {
    if (!isWholeConfiguration(configuration)) return [];
    const streamAsHttp = compareVersions(target.version, STREAM_VIRTUAL_SERVERS_SINCE) >= 0;
    const problems: LoadProblem[] = [];
    for (const server of placedNamed(configuration, 'server')) {
      const tls = isMailServer(server) ? mailTlsOf(configuration, server, target) : undefined;
      const problem = tls ? mailKeyProblem(configuration, server, tls)
        : (isHttpServer(server) || isStreamServer(server)) && server.parent ? serverKeyProblem(configuration, server, streamAsHttp) : undefined;
      if (problem) problems.push(problem);
    }
    const reported = new Set<Placed>();
    for (const { level, prefix } of tlsUpstreamLevels(configuration)) {
      const certificate = inForceFrom(configuration, level, `${prefix}_ssl_certificate`);
      if (!certificate || reported.has(certificate) || inForceFrom(configuration, level, `${prefix}_ssl_certificate_key`)) continue;
      reported.add(certificate);
      const message = `no "${prefix}_ssl_certificate_key" is defined for certificate "${certificate.directive.args[0]?.value ?? ''}"`;
      problems.push({ at: certificate, span: statementSpan(certificate.directive), message });
    }
    return problems;
  },
};
