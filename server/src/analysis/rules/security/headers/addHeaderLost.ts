// add-header-lost: security headers (HSTS, CSP...) set at server or http level and dropped in a block
// that adds headers of its own. From 1.29.3 `add_header_inherit merge` keeps them (a second fix).

import { directiveSpecs } from '../../../knowledge/directives';
import { insertLinesIntoBlock } from '../../../edits';
import { lostEntries, lostFinding } from './lostByInheritance';
import type { SecurityRule } from '../rule';

/** Response headers whose loss removes a protection of the browser. */
export const SECURITY_HEADERS = new Set([
  'strict-transport-security', 'content-security-policy', 'content-security-policy-report-only', 'x-frame-options',
  'x-content-type-options', 'x-xss-protection', 'referrer-policy', 'permissions-policy',
  'cross-origin-opener-policy', 'cross-origin-embedder-policy', 'cross-origin-resource-policy',
]);

export const addHeaderLost: SecurityRule = {
  id: 'add-header-lost',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
  description: 'Security headers (HSTS, CSP, X-Frame-Options...) set above and dropped in a block with add_header of its own.',
  check(scope) {
    return lostEntries(scope, 'add_header', (placed) => SECURITY_HEADERS.has(placed.directive.args[0]?.value.toLowerCase() ?? '')).map((found) => {
      const merge = directiveSpecs('add_header_inherit', found.entry.target).length > 0
        ? [{ title: 'Add "add_header_inherit merge;"', edits: [insertLinesIntoBlock(scope.file, found.entry.directive, found.own.map((p) => p.directive), ['add_header_inherit merge;'])] }]
        : [];
      return lostFinding(this, scope, found, 'sent', merge);
    });
  },
};
