// weak-ssl-ciphers: ssl_ciphers that enable suites no current Mozilla profile (modern, intermediate;
// ssl-config.mozilla.org) keeps: RC4, DES and 3DES, MD5, NULL and anonymous suites, export grades.
// OpenSSL's cipher list format (ciphers(1)): `!X` deletes X's suites for good, wherever it stands;
// `-X` deletes those added before it; `+X` only moves them.

import { entriesNamed, findingAt, wordsSpan, type SecurityRule } from '../rule';

/** The weak families of OpenSSL's keywords and suite-name parts: a suite of several is deleted by any of them. */
const FAMILIES: Readonly<Record<string, readonly string[]>> = {
  RC4: ['RC4'], DES: ['DES', 'LOW'], LOW: ['LOW'], '3DES': ['3DES'], MD5: ['MD5'], NULL: ['eNULL'], ENULL: ['eNULL'],
  ANULL: ['aNULL'], ADH: ['aNULL', 'ADH'], AECDH: ['aNULL', 'AECDH'], EXP: ['EXP'], EXPORT: ['EXP'], IDEA: ['IDEA'], SEED: ['SEED'], RC2: ['RC2'],
};

/** The weak families an item enables: of each part of a `+` combination, or of a suite name (`DES-CBC3-SHA` is 3DES). */
function familiesOf(item: string): string[] {
  const parts = item.toUpperCase().replace(/DES-CBC3/g, '3DES').replace(/^EXP(?:ORT)?\d+/, 'EXP').split(/[+-]/);
  return [...new Set(parts.flatMap((part) => FAMILIES[part] ?? []))];
}

/** The items of a list that enable weak suites and that no `!X` anywhere, or `-X` after them, deletes. */
function weakItems(list: string): string[] {
  const items = list.split(/[:, ]+/).filter(Boolean);
  const deletedForGood = new Set(items.filter((item) => item.startsWith('!')).flatMap((item) => familiesOf(item.slice(1))));
  return items.filter((item, index) => {
    if (/^[!+-]/.test(item)) return false;
    const families = familiesOf(item);
    const deletedAfter = new Set(items.slice(index + 1).filter((later) => later.startsWith('-')).flatMap((later) => familiesOf(later.slice(1))));
    return families.length > 0 && !families.some((family) => deletedForGood.has(family) || deletedAfter.has(family));
  });
}

export const weakCiphers: SecurityRule = {
  id: 'weak-ssl-ciphers',
  severity: 'warning',
  docs: 'https://ssl-config.mozilla.org/',
  description: 'ssl_ciphers that enable RC4, DES/3DES, MD5, NULL, anonymous or export suites.',
  check(scope) {
    return entriesNamed(scope, 'ssl_ciphers').flatMap((entry) => {
      const weak = weakItems(entry.directive.args[0]?.value ?? '');
      if (weak.length === 0) return [];
      return [findingAt(this, scope, wordsSpan(entry.directive),
        `ssl_ciphers enables ${weak.join(', ')}, outside the current Mozilla profiles: use the intermediate profile's list (ECDHE with AES-GCM or ChaCha20)`)];
    });
  },
};
