import { statementSpan } from '../../../../parser';
import { compareVersions, parseVersion, type TargetVersion } from '../../../knowledge/versions';
import { inForceFrom, isHttpServer, isMailServer, isStreamServer, placedIn, placedNamed, type Configuration, type Placed } from '../configuration';
import { STREAM_VIRTUAL_SERVERS_SINCE } from '../servers/duplicateStreamListen';
import { isSslListen } from '../servers/listenAddress';
import { loadsCertificates, mailTlsOf } from './setup';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * ngx_http_ssl_merge_srv_conf() and the mail one take an ssl_trusted_certificate for the clients' CA
 * from 1.27.2 (CHANGES: "now the "ssl_client_certificate" directive is not required for client SSL
 * certificates verification").
 */
const TRUSTED_FOR_CLIENTS_SINCE = parseVersion('1.27.2')!;
const TRUSTED_WORDING_SINCE = parseVersion('1.28.0')!;

const isOn = (placed: Placed | undefined) => placed?.directive.args[0]?.value === 'on';

/** ngx_http_ssl_merge_srv_conf() sets up TLS for `ssl on`, a certificate, or handshakes rejected. */
const httpTlsSetUp = (configuration: Configuration, server: Placed) =>
  isOn(inForceFrom(configuration, server, 'ssl')) || inForceFrom(configuration, server, 'ssl_certificate') !== undefined || isOn(inForceFrom(configuration, server, 'ssl_reject_handshake'));

/**
 * ngx_stream_ssl_merge_srv_conf() sets up TLS as http's does from 1.25.5; before, ngx_stream_ssl_merge_conf()
 * only for a server with a `listen ... ssl`, whose certificates and keys are then loaded (else another error).
 */
function streamTlsSetUp(configuration: Configuration, server: Placed, target: TargetVersion): boolean {
  if (compareVersions(target.version, STREAM_VIRTUAL_SERVERS_SINCE) >= 0) return httpTlsSetUp(configuration, server);
  return placedIn(configuration, server, 'listen').some(isSslListen) && loadsCertificates(configuration, server);
}

/** ngx_mail_ssl_merge_conf() verifies clients once TLS is asked for and its certificates and keys are loaded (else another error). */
const mailTlsSetUp = (configuration: Configuration, server: Placed, target: TargetVersion) =>
  mailTlsOf(configuration, server, target) !== undefined && loadsCertificates(configuration, server);

/**
 * ngx_http_ssl_merge_srv_conf(), and stream's and mail's (the same words, the same releases): an
 * http, stream or mail server with TLS set up that verifies clients (`on`, `optional`; `optional_no_ca` asks
 * no CA) needs the CA to verify them with. nginx names no line.
 */
function clientVerifyProblems(configuration: Configuration, target: TargetVersion): LoadProblem[] {
  const trustedCounts = compareVersions(target.version, TRUSTED_FOR_CLIENTS_SINCE) >= 0;
  const message = compareVersions(target.version, TRUSTED_WORDING_SINCE) >= 0
    ? 'no ssl_client_certificate or ssl_trusted_certificate for ssl_verify_client'
    : 'no ssl_client_certificate for ssl_verify_client';
  const problems: LoadProblem[] = [];
  for (const server of placedNamed(configuration, 'server')) {
    if (!(isHttpServer(server) || isStreamServer(server) || isMailServer(server))) continue;
    // Few servers verify clients: asked first.
    const verify = inForceFrom(configuration, server, 'ssl_verify_client');
    if (!verify || !['on', 'optional'].includes(verify.directive.args[0]?.value ?? '')) continue;
    const setUp = isHttpServer(server) ? httpTlsSetUp(configuration, server)
      : isStreamServer(server) ? streamTlsSetUp(configuration, server, target) : mailTlsSetUp(configuration, server, target);
    if (!setUp || inForceFrom(configuration, server, 'ssl_client_certificate')) continue;
    if (trustedCounts && inForceFrom(configuration, server, 'ssl_trusted_certificate')) continue;
    problems.push({ at: verify, span: statementSpan(verify.directive), message });
  }
  return problems;
}

/**
 * The upstream modules' TLS (ngx_http_proxy_set_ssl() and its grpc and uwsgi twins,
 * ngx_stream_proxy_set_ssl()): `*_ssl_verify on` where the connection to the upstream is TLS needs
 * the CA to verify it with. nginx names no line.
 */
const UPSTREAM_TLS: ReadonlyArray<{ pass: string; prefix: string; isTls: (pass: Placed, configuration: Configuration) => boolean }> = [
  // proxy_pass https://..., or a URL with variables, whose TLS context is made at load.
  { pass: 'proxy_pass', prefix: 'proxy', isTls: (pass) => pass.context.kind === 'directives' && pass.context.family === 'http' && /^https:\/\/|\$/i.test(pass.directive.args[0]?.value ?? '') },
  { pass: 'grpc_pass', prefix: 'grpc', isTls: (pass) => /^grpcs:\/\//i.test(pass.directive.args[0]?.value ?? '') },
  { pass: 'uwsgi_pass', prefix: 'uwsgi', isTls: (pass) => /^suwsgi:\/\//i.test(pass.directive.args[0]?.value ?? '') },
  // The stream proxy_pass takes an address; `proxy_ssl on` makes it TLS.
  { pass: 'proxy_pass', prefix: 'proxy', isTls: (pass, configuration) => pass.context.kind === 'directives' && pass.context.family === 'stream' && !!pass.parent && isOn(inForceFrom(configuration, pass.parent, 'proxy_ssl')) },
];

const tlsLevelsKept = new WeakMap<Configuration, ReadonlyArray<{ level: Placed; prefix: string }>>();

/** The levels that pass to an upstream over TLS, with the prefix of their module's *_ssl_* directives (read once per configuration: two rules ask). */
export function tlsUpstreamLevels(configuration: Configuration): ReadonlyArray<{ level: Placed; prefix: string }> {
  let levels = tlsLevelsKept.get(configuration);
  if (levels) return levels;
  const found: Array<{ level: Placed; prefix: string }> = [];
  for (const { pass, prefix, isTls } of UPSTREAM_TLS) {
    for (const placed of placedNamed(configuration, pass)) if (placed.parent && isTls(placed, configuration)) found.push({ level: placed.parent, prefix });
  }
  tlsLevelsKept.set(configuration, (levels = found));
  return levels;
}

function upstreamVerifyProblems(configuration: Configuration): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const reported = new Set<Placed>();
  for (const { level, prefix } of tlsUpstreamLevels(configuration)) {
    const verify = inForceFrom(configuration, level, `${prefix}_ssl_verify`);
    if (!verify || !isOn(verify) || reported.has(verify) || inForceFrom(configuration, level, `${prefix}_ssl_trusted_certificate`)) continue;
    reported.add(verify);
    problems.push({ at: verify, span: statementSpan(verify.directive), message: `no ${prefix}_ssl_trusted_certificate for ${prefix}_ssl_verify` });
  }
  return problems;
}

/** Verifying a peer's certificate without the CA to verify it with: clients (ssl_verify_client) or upstreams (proxy_ssl_verify...). */
export const sslVerifyWithoutCa: LoadRule = {
  id: 'ssl-verify-without-ca',
  severity: 'error',
  description: 'ssl_verify_client (http, stream, mail), or proxy_ssl_verify (grpc, uwsgi, stream), turned on without the CA certificates to verify with.',
  check(configuration, target) {
    return [...clientVerifyProblems(configuration, target), ...upstreamVerifyProblems(configuration)];
  },
};
