// response-splitting: a value that nginx writes into a header or a request line, built from a
// variable that can hold a line feed. $uri and $document_uri are decoded (%0A becomes a line feed,
// ngx_http_parse_complex_uri()), and so is what a regex captures from them; nginx copies the value as
// it is (ngx_http_header_filter(), ngx_http_proxy_create_request()), so "\n" starts a new header.

import type { Word } from '../../../../parser';
import type { DirectiveEntry } from '../../../directiveIndex';
import type { Finding } from '../../../types';
import { groupOf, locationRegex, matchesNewline } from '../proxy/captures';
import { entriesNamed, findingAt, type SecurityRule } from '../rule';

/** Decoded variables: $request_uri stays encoded and is safe. */
const DECODED = new Set(['uri', 'document_uri']);

/** The argument of each directive that becomes a header or a request line. */
const WRITTEN_ARGUMENT: Record<string, (args: number) => number | undefined> = {
  add_header: () => 1,
  proxy_set_header: () => 1,
  proxy_pass: () => 0,
  rewrite: () => 1,
  // return CODE URL, or return URL (a redirect); `return 200 text` writes a body, not a header.
  return: (count) => (count === 1 ? 0 : 1),
};

export const responseSplitting: SecurityRule = {
  id: 'response-splitting',
  severity: 'warning',
  docs: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#var_uri',
  description: 'A header or proxied request line built from a variable that can hold a line feed ($uri, a [^/]* capture).',
  check(scope) {
    const findings: Finding[] = [];
    for (const [name, argumentOf] of Object.entries(WRITTEN_ARGUMENT)) {
      for (const entry of entriesNamed(scope, name)) {
        const { args } = entry.directive;
        if (name === 'return' && args.length === 2 && !/^30[1278]$/.test(args[0].value)) continue;
        if (name === 'rewrite' && !isRedirect(args)) continue;
        const word = args[argumentOf(args.length) ?? -1];
        const culprit = word?.value.includes('$') && newlineSource(entry, word.value);
        if (!culprit) continue;
        findings.push(findingAt(this, scope, word,
          `${culprit} can hold a line feed (%0A in the request), which nginx writes as it is: a client can add headers of its own (response splitting); use $request_uri or a capture that excludes "\\n"`));
      }
    }
    return findings;
  },
};

/**
 * A rewrite writes its replacement into a header only as a redirect (ngx_http_rewrite(): a replacement
 * that starts with http://, https:// or $scheme, or the `redirect` and `permanent` flags); otherwise it
 * is the request's new URI, which nginx escapes where it sends it on (ngx_http_proxy_create_request()).
 */
const isRedirect = (args: readonly Word[]) => /^(?:https?:\/\/|\$scheme)/.test(args[1]?.value ?? '') || args[2]?.value === 'redirect' || args[2]?.value === 'permanent';

/** A decoded variable in a value (`$uri`, `${document_uri}`), its name ending where a name's characters do. */
const HAS_DECODED = /\$\{?(?:uri|document_uri)(?!\w)/i;

/** The first variable of `value` that can hold a line feed, as written. */
function newlineSource(entry: DirectiveEntry, value: string): string | undefined {
  // A rewrite's captures are its own regex's; elsewhere, the enclosing regex location's.
  const pattern = entry.directive.name.value === 'rewrite' ? entry.directive.args[0]?.value : locationRegex(entry);
  // Without a regex only a decoded variable can: one test instead of reading each variable (most
  // proxy_set_header and proxy_pass values of a large file).
  if (pattern === undefined && !HAS_DECODED.test(value)) return undefined;
  for (const match of value.matchAll(/\$\{?(\w+)\}?/g)) {
    const variable = match[1];
    if (DECODED.has(variable.toLowerCase())) return match[0];
    // A redirect's $1..$9 are escaped when the request's URI was (ngx_http_script_copy_capture_code(),
    // e->quote): only its named captures, read as variables, come as they are.
    if (entry.directive.name.value === 'rewrite' && /^\d+$/.test(variable)) continue;
    const group = pattern === undefined ? undefined : groupOf(pattern, variable);
    if (group && matchesNewline(group.body)) return `${match[0]} (captured by "(${group.body})")`;
  }
  return undefined;
}
