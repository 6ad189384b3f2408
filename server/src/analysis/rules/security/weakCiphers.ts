// weak-ssl-ciphers: ssl_ciphers that enable suites no current Mozilla profile (modern, intermediate;
// ssl-config.mozilla.org) keeps: RC4, DES and 3DES, MD5, NULL and anonymous suites, export grades.
// A keyword after `!` or `-` removes suites (OpenSSL's cipher list format) and is fine.

import { entriesNamed, findingAt, wordsSpan, type SecurityRule } from './rule';

/** Suite names or OpenSSL keywords that enable broken suites. */
const WEAK_CIPHER = /^(?:.*-)?(?:RC4|DES|3DES|DES-CBC3|MD5|NULL|eNULL|aNULL|EXPORT|EXP|ADH|AECDH|IDEA|SEED|RC2)(?:-.*)?$|^(?:LOW|EXPORT\d*)$/i;

export const weakCiphers: SecurityRule = {
  id: 'weak-ssl-ciphers',
  severity: 'warning',
  docs: 'https://ssl-config.mozilla.org/',
  description: 'ssl_ciphers that enable RC4, DES/3DES, MD5, NULL, anonymous or export suites.',
  check(scope) {
    return entriesNamed(scope, 'ssl_ciphers').flatMap((entry) => {
      const list = entry.directive.args[0]?.value ?? '';
      const weak = list.split(/[:, ]+/).filter((item) => item && !/^[!+-]/.test(item) && WEAK_CIPHER.test(item));
      if (weak.length === 0) return [];
      return [findingAt(this, scope, wordsSpan(entry.directive),
        `ssl_ciphers enables ${weak.join(', ')}, outside the current Mozilla profiles: use the intermediate profile's list (ECDHE with AES-GCM or ChaCha20)`)];
    });
  },
};
