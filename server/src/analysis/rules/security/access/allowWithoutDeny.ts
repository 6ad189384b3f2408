// allow-without-deny: a level whose access rules only allow. The rules are checked in order and a
// request that matches none is let through (ngx_http_access_handler() returns NGX_DECLINED), so
// without a final `deny all` the `allow` lines restrict nobody.

import { insertLinesIntoBlock } from '../../../edits';
import { entriesNamed, findingAt, levelsOfBlock, missesIncludes, wordsSpan, type SecurityRule } from '../rule';

export const allowWithoutDeny: SecurityRule = {
  id: 'allow-without-deny',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_access_module.html',
  description: '"allow" rules with no "deny" after them in their block: everyone is allowed.',
  check(scope) {
    const blocks = new Set(entriesNamed(scope, 'allow').flatMap((entry) => (entry.parent ? [entry.parent] : [])));
    return [...blocks].flatMap((block) => {
      if (missesIncludes(scope, levelsOfBlock(scope, block).slice(0, 1))) return [];
      const rules = (block.directive.block?.children ?? []).filter((node) => node.kind === 'directive' && (node.name.value === 'allow' || node.name.value === 'deny'));
      const last = rules[rules.length - 1];
      if (!last || last.kind !== 'directive' || last.name.value !== 'allow' || last.args[0]?.value === 'all' || rules.some((rule) => rule.kind === 'directive' && rule.name.value === 'deny')) return [];
      return [findingAt(this, scope, wordsSpan(last), `These "allow" rules restrict nobody: a client that matches none of them is let in; add "deny all;" after them`, {
        fixes: [{ title: 'Add "deny all;"', preferred: true, edits: [insertLinesIntoBlock(scope.file, block.directive, [last], ['deny all;'])] }],
      })];
    });
  },
};
