import { statementSpan } from '../../../../parser';
import { listenPortOf } from '../../../knowledge/addresses';
import { MAIL_PROTOCOL_PORTS } from '../../../knowledge/handlerValues';
import { isMailServer, placedIn, placedNamed, unresolvedIn } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

const WELL_KNOWN_PORTS = new Set([...MAIL_PROTOCOL_PORTS.values()].flat());

/**
 * A mail server speaks the `protocol` it names, else the one whose port a listen of it names (143
 * and 993 are IMAP, 110 and 995 POP3, 25, 465 and 587 SMTP: ngx_mail_core_listen()); with neither,
 * ngx_mail_core_merge_srv_conf() refuses it, naming the server.
 */
export const unknownMailProtocol: LoadRule = {
  id: 'unknown-mail-protocol',
  severity: 'error',
  description: 'A mail server with no protocol directive and no listen on a port of IMAP, POP3 or SMTP.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    for (const server of placedNamed(configuration, 'server')) {
      if (!isMailServer(server) || placedIn(configuration, server, 'protocol').length > 0 || unresolvedIn(configuration, [server])) continue;
      const ports = placedIn(configuration, server, 'listen').map((listen) => listenPortOf(listen.directive.args[0]?.value ?? ''));
      if (!ports.some((port) => port !== undefined && WELL_KNOWN_PORTS.has(Number(port)))) {
        problems.push({ at: server, span: statementSpan(server.directive), message: 'unknown mail protocol for server' });
      }
    }
    return problems;
  },
};
