// return-before-access: `return` runs in the rewrite phase (ngx_http_rewrite_module), which comes
// before the access phase (NGX_HTTP_REWRITE_PHASE < NGX_HTTP_ACCESS_PHASE in ngx_http_core_module.h),
// so allow/deny and auth_* of the same location never apply to the answer that `return` gives.

import { restricts } from './access';
import { entriesNamed, findingAt, levelsAround, wordsSpan, type SecurityRule } from '../rule';

export const returnBeforeAccess: SecurityRule = {
  id: 'return-before-access',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return',
  description: '"return" in a location whose access rules or authentication it runs before.',
  check(scope) {
    return entriesNamed(scope, 'return').flatMap((entry) => {
      const code = Number(entry.directive.args[0]?.value);
      // Refusing (4xx) before the access rules refuses nobody that they would have let in.
      if (code >= 400 && code < 500) return [];
      // The location the return belongs to (through an `if` in it).
      const levels = levelsAround(scope, entry).filter((level) => level.block?.name.value !== 'if');
      if (levels[0]?.block?.name.value !== 'location' || !restricts(levels)) return [];
      // A named location is reached by an internal redirect (error_page, try_files): its return is
      // the answer to a request the access phase has judged already, such as auth_request's 401 page.
      if (levels[0].block.args[0]?.value.startsWith('@')) return [];
      return [findingAt(this, scope, wordsSpan(entry.directive),
        '"return" answers in the rewrite phase, before the access phase: the allow/deny or auth_* rules of this location never apply to it')];
    });
  },
};
