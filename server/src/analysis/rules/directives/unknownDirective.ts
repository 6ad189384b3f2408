import { statementSpan } from '../../../parser';
import { allDirectiveNames, availability, directiveSpecs } from '../../knowledge/directives';
import { compareVersions, parseVersion, type TargetVersion } from '../../knowledge/versions';
import { directiveInfos } from '../../reference';
import { allThirdPartyNames } from '../../thirdParty';
import type { DirectiveRule } from './directiveRule';

/** Edit distance, bounded: gives up (returns limit + 1) once every path exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    if (Math.min(...current) > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

const knownNames = new WeakMap<TargetVersion, readonly string[]>();

/** The names nginx at the target version knows, with those of nginx-extras' modules. */
function namesAt(target: TargetVersion): readonly string[] {
  let names = knownNames.get(target);
  if (!names) knownNames.set(target, (names = [...allDirectiveNames().filter((name) => directiveSpecs(name, target).length > 0), ...allThirdPartyNames()]));
  return names;
}

/** The closest directive name the target knows, if it is a plausible typo of `name`. */
export function suggestDirective(name: string, target: TargetVersion): string | undefined {
  const limit = name.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of namesAt(target)) {
    const distance = editDistance(name, candidate, limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

const BYTE_ORDER_MARK = '\ufeff';

export const unknownDirective: DirectiveRule = {
  id: 'unknown-directive',
  severity: 'error',
  description: 'A directive that neither nginx nor the modules shipped with nginx-extras define.',
  check(entry) {
    if (entry.context.kind === 'data' || entry.forms.length > 0 || entry.thirdParty || entry.declared) return undefined;
    const name = entry.directive.name.value;
    const span = statementSpan(entry.directive);
    // nginx does not skip a UTF-8 byte order mark: its bytes start the file's first word.
    if (name.startsWith(BYTE_ORDER_MARK)) {
      const meant = name.slice(BYTE_ORDER_MARK.length) || undefined;
      return { message: `unknown directive "${name}" (the file starts with a UTF-8 byte order mark, which nginx reads as part of this name: save the file without it)`, span, meant };
    }
    const why = whyUnknown(name, entry.target);
    if (typeof why === 'string') return { message: `unknown directive "${name}"${why}`, span };
    return { message: `unknown directive "${name}" (did you mean "${why.meant}"?)`, span, meant: why.meant };
  },
};

/** The open-source modules of nginx.org's docs that are not part of nginx's source, by what they are. */
const SEPARATE_MODULES: ReadonlyMap<string, string> = new Map([
  ['ngx_http_js_module', 'the njs module'],
  ['ngx_stream_js_module', 'the njs module'],
  ['ngx_otel_module', 'the OpenTelemetry module'],
  ['ngx_http_acme_module', 'the ACME module'],
]);

/** Why the target lacks the name: a newer or older nginx has it, NGINX Plus has it, or a typo (the name meant). */
function whyUnknown(name: string, target: TargetVersion): string | { meant: string } {
  const { since, removed, lastWith, sinceExact, removedExact } = availability(name);
  const targetIs = `the target is nginx ${target.label}`;
  if (removed && (!since || compareVersions(target.version, parseVersion(since)!) >= 0)) {
    return ` (${removedExact ? `removed in nginx ${removed}` : `removed between nginx ${lastWith} and ${removed}`}; ${targetIs})`;
  }
  if (since) return ` (${sinceExact ? `appeared in nginx ${since}` : `nginx ${since} has it`}; ${targetIs})`;
  // The docs also describe the open-source modules that nginx.org ships apart from nginx's source
  // (njs, OpenTelemetry, ACME), and NGINX Plus, whose directives no open-source release has.
  const documented = directiveInfos(name);
  // Removed before the oldest release of the data (limit_zone, 1.7.6): the docs still describe it.
  const removedLongAgo = documented.find((info) => info.removedIn)?.removedIn;
  if (removedLongAgo) return ` (removed in nginx ${removedLongAgo}; ${targetIs})`;
  const separate = documented.find((info) => SEPARATE_MODULES.has(info.module));
  if (separate) return ` (a directive of ${separate.module}, ${SEPARATE_MODULES.get(separate.module)} that is built apart from nginx: if your nginx loads it, add "${name}" to nginx.extraDirectives)`;
  if (documented.length > 0) return ' (an NGINX Plus directive: open-source nginx does not have it)';
  const suggestion = suggestDirective(name, target);
  return suggestion ? { meant: suggestion } : '';
}
