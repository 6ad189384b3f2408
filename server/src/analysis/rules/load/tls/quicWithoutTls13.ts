import { statementSpan } from '../../../../parser';
import { inForce } from '../configuration';
import { hasCertificate, listenedAddresses } from './listenSslWithoutCertificate';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * QUIC is TLSv1.3 only: an address listened on with `quic` whose default server has a certificate
 * and `ssl_protocols` (its own or the http level's) without TLSv1.3 is refused by ngx_http_ssl_init(),
 * naming the server. The default protocols have TLSv1.3 in every release that knows quic (1.25).
 */
export const quicWithoutTls13: LoadRule = {
  id: 'quic-without-tls13',
  severity: 'error',
  description: 'A listen ... quic whose default server\'s ssl_protocols leave out TLSv1.3.',
  check(configuration, target) {
    const problems: LoadProblem[] = [];
    for (const { secure, defaultServer } of listenedAddresses(configuration, 'http', target)) {
      if (secure !== 'quic' || !hasCertificate(configuration, defaultServer)) continue;
      const protocols = inForce(configuration, defaultServer, 'ssl_protocols').at(-1);
      // ngx_conf_set_bitmask_slot() compares the words ignoring case.
      if (protocols && !protocols.directive.args.some((arg) => arg.value.toLowerCase() === 'tlsv1.3')) {
        problems.push({ at: defaultServer, span: statementSpan(defaultServer.directive), message: '"ssl_protocols" must enable TLSv1.3 for the "listen ... quic" directive' });
      }
    }
    return problems;
  },
};
