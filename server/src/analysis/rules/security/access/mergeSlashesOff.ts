// merge-slashes-off: with `merge_slashes off`, `//admin` is not normalized to `/admin`
// (ngx_http_parse_complex_uri()), so it misses `location /admin` and whatever access rules it has.

import { named } from '../../../websocket/levels';
import { restricts } from './access';
import { entriesNamed, findingAt, isHttpServer, levelsOfBlock, wordsSpan, type SecurityRule } from '../rule';

export const mergeSlashesOff: SecurityRule = {
  id: 'merge-slashes-off',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#merge_slashes',
  description: '"merge_slashes off" where prefix locations carry access rules: "//path" bypasses them.',
  check(scope) {
    return entriesNamed(scope, 'merge_slashes').flatMap((entry) => {
      if (entry.directive.args[0]?.value !== 'off') return [];
      // The servers it applies to: its own server, or every server of the http block it is in.
      const owner = entry.parent;
      const servers = owner && isHttpServer(owner) ? [owner] : entriesNamed(scope, 'server').filter((e) => isHttpServer(e) && e.parent === owner);
      const guarded = servers.flatMap((server) => named(levelsOfBlock(scope, server)[0], 'location')).find((location) => {
        const prefix = location.directive.args.length === 1 || location.directive.args[0]?.value === '^~';
        const entryOf = scope.entryOf(location.directive);
        return prefix && entryOf && restricts(levelsOfBlock(scope, entryOf));
      });
      if (!guarded) return [];
      const path = guarded.directive.args[guarded.directive.args.length - 1].value;
      return [findingAt(this, scope, wordsSpan(entry.directive), `With merge_slashes off, "/${path}" does not match "location ${path}": its access rules can be bypassed`, {
        related: [{ file: guarded.file, span: wordsSpan(guarded.directive), message: 'a prefix location with access rules' }],
      })];
    });
  },
};
