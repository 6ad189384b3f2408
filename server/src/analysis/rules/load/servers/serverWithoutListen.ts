import { statementSpan } from '../../../../parser';
import { isMailServer, isStreamServer, placedIn, placedNamed, unresolvedIn } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * A stream or mail server with no `listen` is refused once its block is read (ngx_stream_core_server(),
 * ngx_mail_core_server()), naming the server; an http server listens on port 80 by default.
 */
export const serverWithoutListen: LoadRule = {
  id: 'server-without-listen',
  severity: 'error',
  description: 'A stream or mail server without a listen directive.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    for (const server of placedNamed(configuration, 'server')) {
      if (!(isStreamServer(server) || isMailServer(server))) continue;
      // An include the workspace lacks may hold the listen.
      if (placedIn(configuration, server, 'listen').length > 0 || unresolvedIn(configuration, [server])) continue;
      problems.push({ at: server, span: statementSpan(server.directive), message: 'no "listen" is defined for server' });
    }
    return problems;
  },
};
