// Sample URIs for a location: strings its name suggests, for the hover and the tests against nginx.

import type { RouteLocation } from './model';

/**
 * A string a regex probably matches: its literal parts, the first choice of each alternation, a
 * character of each class. A guess, to be tried with the regex itself.
 */
export function sampleOfRegex(pattern: string): string {
  return pattern
    .replace(/^\^|\$$/g, '')
    .replace(/\(\?<\w+>|\(\?P<\w+>|\(\?:/g, '(')
    .replace(/\(([^()|]*)\|[^()]*\)/g, '$1')
    .replace(/\[\^[^\]]*\]/g, 'z')
    .replace(/\[([^\]])[^\]]*\]/g, '$1')
    .replace(/\\d/g, '1').replace(/\\w/g, 'a').replace(/\\s/g, '-')
    .replace(/\.[*+]/g, 'a').replace(/\\(.)/g, '$1')
    .replace(/[()*+?^$]|\{\d*,?\d*\}/g, '');
}

/** URIs near a location's name: the name, longer, shorter, in capitals; a regex's sample under `/` and a folder. */
export function candidateUris(location: RouteLocation): string[] {
  if (location.kind === 'named') return [];
  if (location.kind === 'regex') {
    const sample = `/${sampleOfRegex(location.name).replace(/^\/+/, '')}`;
    return [sample, `/x${sample}`, sample.toUpperCase(), `${sample}x`];
  }
  const { name } = location;
  return [name, `${name}x`, `${name}a/b.js`, name.replace(/\/$/, ''), name.toUpperCase(), `${name}${name.endsWith('/') ? '' : '/'}index.html`];
}
