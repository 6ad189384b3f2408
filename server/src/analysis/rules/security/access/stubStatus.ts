// stub-status-open: `stub_status` answers anyone its connection counts unless access rules or
// authentication restrict the location, or the server listens on loopback only.

import { insertLinesIntoBlock } from '../../../edits';
import { named } from '../../../websocket/levels';
import { restricts } from './access';
import { entriesNamed, findingAt, isInternal, levelsAround, missesIncludes, wordsSpan, type SecurityRule } from '../rule';

/** A listen address that only this host reaches: 127.x, [::1], localhost, a unix socket. */
const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|\[::1\]|localhost|unix:)/;

export const stubStatus: SecurityRule = {
  id: 'stub-status-open',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_stub_status_module.html',
  description: 'stub_status without allow/deny all (or authentication), on a server that is not loopback-only.',
  check(scope) {
    return entriesNamed(scope, 'stub_status').flatMap((entry) => {
      const levels = levelsAround(scope, entry);
      if (restricts(levels) || isInternal(levels) || missesIncludes(scope, levels)) return [];
      const server = levels.find((level) => level.block?.name.value === 'server');
      const listens = server ? named(server, 'listen') : [];
      if (listens.length > 0 && listens.every((listen) => LOOPBACK.test(listen.directive.args[0]?.value ?? ''))) return [];
      const location = entry.parent?.directive;
      const fixes = location?.block ? [{
        title: 'Allow only this host ("allow 127.0.0.1; deny all;")',
        edits: [insertLinesIntoBlock(scope.file, location, [entry.directive], ['allow 127.0.0.1;', 'allow ::1;', 'deny all;'])],
      }] : [];
      return [findingAt(this, scope, wordsSpan(entry.directive), 'stub_status answers any client: restrict it with allow and "deny all" (or authentication)', { fixes })];
    });
  },
};
