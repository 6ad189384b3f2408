// weak-tls-protocols: SSLv3, TLSv1 and TLSv1.1 are broken or deprecated (RFC 8996). They are named in
// ssl_protocols, or enabled by its default before 1.27.3 ("TLSv1 TLSv1.1 TLSv1.2", TLSv1.3 added in
// 1.23.4; CHANGES of 1.27.3: "now TLSv1 and TLSv1.1 protocols are disabled by default"; 1.24.0's and
// 1.26.3's ngx_http_ssl_merge_srv_conf() still merge NGX_SSL_TLSv1|NGX_SSL_TLSv1_1 in).

import { parseVersion, compareVersions } from '../../../knowledge/versions';
import { entriesNamed, findingAt, isHttpServer, missesIncludes, rejectsHandshakes, tlsListen, levelsOfBlock, valueInForce, wordsSpan, type SecurityRule } from '../rule';

/** By lowercase name: ngx_conf_set_bitmask_slot() (ngx_conf_file.c) compares the names with ngx_strcasecmp(). */
const WEAK_PROTOCOLS = new Map(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1'].map((name) => [name.toLowerCase(), name]));
/** The release whose ssl_protocols default is "TLSv1.2 TLSv1.3". */
const SAFE_DEFAULT_SINCE = parseVersion('1.27.3')!;
const SAFE_PROTOCOLS = 'ssl_protocols TLSv1.2 TLSv1.3;';

export const weakTlsProtocols: SecurityRule = {
  id: 'weak-tls-protocols',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_protocols',
  description: 'ssl_protocols enabling SSLv3, TLSv1 or TLSv1.1 (by name, or by the default before 1.27.3).',
  check(scope) {
    const listed = entriesNamed(scope, 'ssl_protocols').flatMap((entry) => {
      const weak = entry.directive.args.flatMap((arg) => WEAK_PROTOCOLS.get(arg.value.toLowerCase()) ?? []);
      if (weak.length === 0) return [];
      return [findingAt(this, scope, wordsSpan(entry.directive), `${weak.join(', ')} ${weak.length > 1 ? 'are' : 'is'} broken or deprecated (RFC 8996): clients can be downgraded to ${weak.length > 1 ? 'them' : 'it'}`, {
        fixes: [{ title: `Change to "${SAFE_PROTOCOLS}"`, preferred: true, edits: [{ file: scope.file.path, span: entry.directive, newText: SAFE_PROTOCOLS }] }],
      })];
    });
    const defaulted = entriesNamed(scope, 'server').flatMap((server) => {
      if (!isHttpServer(server) || compareVersions(server.target.version, SAFE_DEFAULT_SINCE) >= 0) return [];
      const levels = levelsOfBlock(scope, server);
      const listen = tlsListen(levels[0]);
      if (!listen || listen.file !== scope.file.path || valueInForce(levels, 'ssl_protocols') || rejectsHandshakes(levels) || missesIncludes(scope, levels)) return [];
      return [findingAt(this, scope, wordsSpan(listen.directive),
        `nginx ${server.target.label} enables TLSv1 and TLSv1.1 by default (until 1.27.3): set "${SAFE_PROTOCOLS}"`)];
    });
    return [...listed, ...defaulted];
  },
};
