import { statementSpan } from '../../../parser';
import { placedNamed, type Configuration, type Placed } from './configuration';
import { isDefaultServerListen, serverListens } from './listenAddress';
import type { LoadProblem, LoadRule } from './rule';

/** The value of `name` set in `server` or, when the server sets none, at the http level around it (ngx_conf_merge_*). */
function inherited(configuration: Configuration, server: Placed, name: string): Placed | undefined {
  const set = placedNamed(configuration, name);
  return set.find((placed) => placed.parent === server) ?? set.find((placed) => placed.parent === server.parent);
}

const hasCertificate = (configuration: Configuration, server: Placed) => inherited(configuration, server, 'ssl_certificate') !== undefined;
const rejectsHandshake = (configuration: Configuration, server: Placed) => inherited(configuration, server, 'ssl_reject_handshake')?.directive.args[0]?.value === 'on';

interface Address {
  /** `ssl` or `quic`: a listen of it has the parameter (ngx_http_add_addresses() ORs them). */
  secure?: 'ssl' | 'quic';
  servers: Placed[];
  defaultServer?: Placed;
}

/**
 * An address listened on with `ssl` (or `quic`) whose default server has no certificate, in the
 * server or at the http level (ngx_http_ssl_init() in ngx_http_ssl_module.c, once the configuration
 * is read). With `ssl_reject_handshake on` (1.19.4) in the default server, every server of the
 * address needs one or the same. nginx names the server block. Judged in a whole configuration
 * only: which server is an address's default depends on every file the main config includes.
 */
export const listenSslWithoutCertificate: LoadRule = {
  id: 'listen-ssl-without-certificate',
  severity: 'error',
  description: 'A listen with ssl or quic whose default server has no ssl_certificate.',
  check(configuration) {
    if (!configuration.main || configuration.unresolved.size > 0) return [];
    const addresses = new Map<string, Address>();
    for (const { placed, address, server } of serverListens(configuration, 'http')) {
      if (!server?.parent) continue;
      const args = placed.directive.args.map((arg) => arg.value);
      // A quic listen is a socket of its own (ngx_http_add_addresses() compares opt.quic).
      const quic = args.includes('quic');
      const key = quic ? `${address} quic` : address;
      const entry = addresses.get(key) ?? { servers: [] };
      addresses.set(key, entry);
      if (quic) entry.secure = 'quic';
      else if (args.includes('ssl')) entry.secure = 'ssl';
      if (!entry.servers.includes(server)) entry.servers.push(server);
      if (isDefaultServerListen(placed) && !entry.defaultServer) entry.defaultServer = server;
    }
    const problems: LoadProblem[] = [];
    const report = (server: Placed, secure: string) => problems.push({
      at: server, span: statementSpan(server.directive), message: `no "ssl_certificate" is defined for the "listen ... ${secure}" directive`,
    });
    for (const { secure, servers, defaultServer = servers[0] } of addresses.values()) {
      if (!secure || hasCertificate(configuration, defaultServer)) continue;
      if (!rejectsHandshake(configuration, defaultServer)) {
        report(defaultServer, secure);
        continue;
      }
      const lacking = servers.find((server) => !hasCertificate(configuration, server) && !rejectsHandshake(configuration, server));
      if (lacking) report(lacking, secure);
    }
    return problems;
  },
};
