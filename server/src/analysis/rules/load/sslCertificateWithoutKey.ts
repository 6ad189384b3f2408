import { statementSpan } from '../../../parser';
import { compareVersions } from '../../knowledge/versions';
import { inForce, inForceFrom, isHttpServer, isMailServer, isStreamServer, isWholeConfiguration, placedIn, placedNamed, type Configuration, type Placed } from './configuration';
import { isSslListen } from './listenAddress';
import { mailCertificates, mailTlsOf, type MailTls } from './mailTls';
import { STREAM_VIRTUAL_SERVERS_SINCE } from './duplicateStreamListen';
import { tlsUpstreamLevels } from './sslVerifyWithoutCa';
import type { LoadProblem, LoadRule } from './rule';

/**
 * An http server whose `ssl_certificate`s, its own or inherited, outnumber its `ssl_certificate_key`s:
 * ngx_http_ssl_merge_srv_conf() refuses it whether or not the server listens with ssl, naming the
 * last certificate and no line. Judged in a whole configuration only: a fragment's http level is
 * another file's. Servers with the old `ssl on` (removed in 1.25.1) get another message: not judged.
 * A stream server is judged so from 1.25.5; before, ngx_stream_ssl_merge_conf() asked only a server
 * that listens with ssl, naming that listen ("... for the "listen ... ssl" directive"). The client
 * certificate nginx shows an upstream over TLS (ngx_http_proxy_set_ssl() and its twins) needs its key too.
 */
/**
 * A certificate written with more words than its one (a `;` left out swallowed the key's line: nginx
 * refuses it, another finding) tells nothing of the keys.
 */
const refusedAny = (certificates: readonly Placed[]) => certificates.some((placed) => placed.directive.args.length !== 1);

/**
 * ngx_mail_ssl_merge_conf(): a mail server with TLS and certificates needs as many keys, naming the
 * directive that asks for TLS (no key at all, or none for the last certificate).
 */
function mailKeyProblem(configuration: Configuration, server: Placed, { mode, at }: MailTls): LoadProblem | undefined {
  const { certificates, keys } = mailCertificates(configuration, server);
  if (certificates.length === 0 || keys.length >= certificates.length || refusedAny(certificates)) return undefined;
  const last = certificates[certificates.length - 1].directive.args[0]?.value ?? '';
  const message = keys.length === 0 ? `no "ssl_certificate_key" is defined for the "${mode}" directive` : `no "ssl_certificate_key" is defined for certificate "${last}" and the "${mode}" directive`;
  return { at, span: statementSpan(at.directive), message };
}

export const sslCertificateWithoutKey: LoadRule = {
  id: 'ssl-certificate-without-key',
  severity: 'error',
  description: 'An ssl_certificate without its ssl_certificate_key in an http, stream or mail server, or for an upstream over TLS.',
  check(configuration, target) {
    if (!isWholeConfiguration(configuration)) return [];
    const streamAsHttp = compareVersions(target.version, STREAM_VIRTUAL_SERVERS_SINCE) >= 0;
    const problems: LoadProblem[] = [];
    for (const server of placedNamed(configuration, 'server')) {
      if (!(isHttpServer(server) || isStreamServer(server)) || !server.parent) continue;
      if (placedIn(configuration, server, 'ssl').length > 0) continue;
      const certificates = inForce(configuration, server, 'ssl_certificate');
      if (certificates.length === 0 || inForce(configuration, server, 'ssl_certificate_key').length >= certificates.length || refusedAny(certificates)) continue;
      if (isStreamServer(server) && !streamAsHttp) {
        const listen = placedIn(configuration, server, 'listen').find(isSslListen);
        if (listen) problems.push({ at: listen, span: statementSpan(listen.directive), message: 'no "ssl_certificate_key" is defined for the "listen ... ssl" directive' });
        continue;
      }
      const last = certificates[certificates.length - 1];
      problems.push({ at: last, span: statementSpan(last.directive), message: `no "ssl_certificate_key" is defined for certificate "${last.directive.args[0]?.value ?? ''}"` });
    }
    for (const server of placedNamed(configuration, 'server')) {
      const tls = isMailServer(server) ? mailTlsOf(configuration, server, target) : undefined;
      const problem = tls && mailKeyProblem(configuration, server, tls);
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
