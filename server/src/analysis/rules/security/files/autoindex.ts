// autoindex: `autoindex on` lists every file of a directory that has no index file, backups and
// keys included. In an `internal` location only nginx's own redirects get there; where access rules
// or authentication restrict the location, the access phase refuses others before the listing
// (content phase) is made.

import { restricts } from '../access/access';
import { entriesNamed, findingAt, isInternal, levelsAround, wordsSpan, type SecurityRule } from '../rule';

export const autoindex: SecurityRule = {
  id: 'autoindex',
  severity: 'information',
  docs: 'https://nginx.org/en/docs/http/ngx_http_autoindex_module.html',
  description: '"autoindex on" in a location that is neither internal nor restricted (allow/deny, authentication): directory listings for anyone.',
  check(scope) {
    return entriesNamed(scope, 'autoindex').flatMap((entry) => {
      if (entry.directive.args[0]?.value !== 'on') return [];
      const levels = levelsAround(scope, entry);
      if (isInternal(levels) || restricts(levels)) return [];
      return [findingAt(this, scope, wordsSpan(entry.directive), 'Directory listings are on: anyone can see every file of a folder without an index file (backups, keys, .env files)')];
    });
  },
};
