import type { DirectiveRule } from './directiveRule';

/**
 * The type each *_types directive starts its list with (its command's `post`): ngx_http_html_default_types[0]
 * for gzip, sub_filter, ssi and addition, the charset and xslt modules' own first default.
 */
const FIRST_TYPE: ReadonlyMap<string, string> = new Map([
  ['gzip_types', 'text/html'],
  ['sub_filter_types', 'text/html'],
  ['ssi_types', 'text/html'],
  ['addition_types', 'text/html'],
  ['charset_types', 'text/html'],
  ['xslt_types', 'text/xml'],
]);

/**
 * A MIME type a *_types list already holds: ngx_http_types_slot() (src/http/ngx_http.c) warns
 * "duplicate MIME type" and skips it. The list of a block starts with the directive's first default
 * (`gzip_types text/html ...` repeats it) and goes on over the block's lines of the same name; `*`
 * ends it. nginx loads the configuration: advice, not a problem.
 */
export const duplicateMimeType: DirectiveRule = {
  id: 'duplicate-mime-type',
  severity: 'information',
  description: 'A MIME type given twice to gzip_types (or sub_filter_types, ssi_types, charset_types...), text/html included: nginx warns and ignores it.',
  check(entry) {
    const { directive } = entry;
    const first = FIRST_TYPE.get(directive.name.value);
    if (first === undefined || entry.context.kind !== 'directives') return undefined;
    const listed = new Set([first]);
    for (const earlier of entry.directivesBefore() ?? []) {
      if (earlier.name.value !== directive.name.value) continue;
      for (const arg of earlier.args) {
        if (arg.value === '*') return undefined;
        listed.add(arg.value.toLowerCase());
      }
    }
    for (const arg of directive.args) {
      const type = arg.value.toLowerCase();
      if (type === '*') return undefined;
      if (listed.has(type)) {
        const always = type === first && ` (${directive.name.value} always includes ${first})`;
        // nginx lowercases the word in place before it names it.
        return { message: `duplicate MIME type "${type}"${always || ''}`, span: { start: arg.start, end: arg.end } };
      }
      listed.add(type);
    }
    return undefined;
  },
};
