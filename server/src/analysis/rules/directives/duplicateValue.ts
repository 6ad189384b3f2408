import type { DirectiveRule } from './directiveRule';

/**
 * A word that a bitmask directive (ssl_protocols, proxy_next_upstream, gzip_proxied...) already has:
 * ngx_conf_set_bitmask_slot() (src/core/ngx_conf_file.c) sets the bits of every word of every line
 * of the name in the block, and warns `duplicate value "TLSv1.2"` for bits already set. nginx loads
 * the configuration: advice, not a problem.
 */
export const duplicateValue: DirectiveRule = {
  id: 'duplicate-value',
  severity: 'information',
  description: 'A value a bitmask directive (ssl_protocols, proxy_next_upstream, gzip_proxied...) already has in the block: nginx warns and ignores it.',
  check(entry) {
    const { directive, allowed } = entry;
    if (allowed.length === 0 || !allowed.every((spec) => spec.value?.kind === 'bitmask')) return undefined;
    const name = directive.name.value;
    // ngx_strcasecmp(): the words are compared without case.
    const set = new Set((entry.directivesBefore() ?? []).filter((earlier) => earlier.name.value === name).flatMap((earlier) => earlier.args.map((arg) => arg.value.toLowerCase())));
    for (const arg of directive.args) {
      const word = arg.value.toLowerCase();
      if (set.has(word)) return { message: `duplicate value "${arg.value}"`, span: { start: arg.start, end: arg.end } };
      set.add(word);
    }
    return undefined;
  },
};
