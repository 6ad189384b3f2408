import { statementSpan } from '../../../parser';
import { inForce, isWholeConfiguration, placedIn, placedNamed } from './configuration';
import type { LoadProblem, LoadRule } from './rule';

/**
 * An http server whose `ssl_certificate`s, its own or inherited, outnumber its `ssl_certificate_key`s:
 * ngx_http_ssl_merge_srv_conf() refuses it whether or not the server listens with ssl, naming the
 * last certificate and no line. Judged in a whole configuration only: a fragment's http level is
 * another file's. Servers with the old `ssl on` (removed in 1.25.1) get another message: not judged.
 */
export const sslCertificateWithoutKey: LoadRule = {
  id: 'ssl-certificate-without-key',
  severity: 'error',
  description: 'An ssl_certificate without its ssl_certificate_key in a server.',
  check(configuration) {
    if (!isWholeConfiguration(configuration)) return [];
    const problems: LoadProblem[] = [];
    for (const server of placedNamed(configuration, 'server')) {
      const { directive, context } = server;
      if (!directive.block || context.kind !== 'directives' || context.name !== 'http' || !server.parent) continue;
      if (placedIn(configuration, server, 'ssl').length > 0) continue;
      const certificates = inForce(configuration, server, 'ssl_certificate');
      if (certificates.length === 0 || inForce(configuration, server, 'ssl_certificate_key').length >= certificates.length) continue;
      const last = certificates[certificates.length - 1];
      problems.push({ at: last, span: statementSpan(last.directive), message: `no "ssl_certificate_key" is defined for certificate "${last.directive.args[0]?.value ?? ''}"` });
    }
    return problems;
  },
};
