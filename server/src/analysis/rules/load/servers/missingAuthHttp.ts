import { statementSpan } from '../../../../parser';
import { inForce, isMailServer, placedNamed, unresolvedIn } from '../configuration';
import type { LoadProblem, LoadRule } from '../rule';

/**
 * Every mail server asks an auth_http service where to proxy a client: its own `auth_http` or the
 * mail level's, else ngx_mail_auth_http_merge_conf() refuses it, naming the server.
 */
export const missingAuthHttp: LoadRule = {
  id: 'missing-auth-http',
  severity: 'error',
  description: 'A mail server without auth_http, its own or the mail level\'s.',
  check(configuration) {
    const problems: LoadProblem[] = [];
    for (const server of placedNamed(configuration, 'server')) {
      // An include the workspace lacks, in the server or at the mail level, may set it.
      if (!isMailServer(server) || !server.parent || unresolvedIn(configuration, [server, server.parent])) continue;
      if (inForce(configuration, server, 'auth_http').length === 0) problems.push({ at: server, span: statementSpan(server.directive), message: 'no "auth_http" is defined for server' });
    }
    return problems;
  },
};
