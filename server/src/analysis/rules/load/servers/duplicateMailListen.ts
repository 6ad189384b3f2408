import { repeatedSockets } from './duplicateStreamListen';
import { serverListens } from './listenAddress';
import type { LoadRule } from '../rule';

/**
 * Two mail listens of one address and port, in one server or in two: mail servers have no names to
 * share an address by (ngx_mail_core_listen(), as the `listen` is read, in every release).
 */
export const duplicateMailListen: LoadRule = {
  id: 'duplicate-mail-listen',
  severity: 'error',
  description: 'Two mail listens of the same address and port.',
  check: (configuration, target) => repeatedSockets(serverListens(configuration, 'mail', target)),
};
