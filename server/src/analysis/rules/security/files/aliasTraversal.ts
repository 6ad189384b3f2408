// alias-traversal: `location /static { alias /srv/static/; }` serves /static../etc/passwd as
// /srv/static/../etc/passwd. ngx_http_map_uri_to_path() replaces the location's prefix by the alias
// without looking at what follows it, so the prefix must end in `/` when the alias does.

import { findingAt, entriesNamed, wordsSpan, type SecurityRule } from '../rule';

export const aliasTraversal: SecurityRule = {
  id: 'alias-traversal',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#alias',
  description: 'A prefix location without a trailing / whose alias ends in /: path traversal one level up.',
  check(scope) {
    return entriesNamed(scope, 'alias').flatMap((entry) => {
      const location = entry.parent?.directive;
      const target = entry.directive.args[0];
      if (location?.name.value !== 'location' || !target?.value.endsWith('/')) return [];
      const [first, second] = location.args;
      // Only prefix locations: `location /x` and `location ^~ /x` (a regex alias takes captures).
      const path = location.args.length === 1 ? first : first?.value === '^~' ? second : undefined;
      if (!path || path.value.endsWith('/') || path.value.startsWith('@')) return [];
      return [findingAt(this, scope, wordsSpan(entry.directive),
        `"location ${path.value}" does not end in "/" but its alias does: "${path.value}../" reaches the parent of ${target.value}`, {
          related: [{ file: scope.file.path, span: wordsSpan(location), message: 'the prefix without a trailing /' }],
          fixes: [{
            title: `Change the location to "${path.value}/"`,
            preferred: true,
            edits: [{ file: scope.file.path, span: path, newText: `${path.quote ?? ''}${path.value}/${path.quote ?? ''}` }],
          }],
        })];
    });
  },
};
