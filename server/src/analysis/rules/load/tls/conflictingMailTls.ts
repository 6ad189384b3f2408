import { statementSpan } from '../../../../parser';
import { placedIn, placedNamed, type Placed } from '../configuration';
import { mailHasSslDirective } from './setup';
import type { LoadProblem, LoadRule } from '../rule';

const value = (placed: Placed) => placed.directive.args[0]?.value;
const startsTls = (starttls: Placed) => value(starttls) === 'on' || value(starttls) === 'only';

/**
 * `ssl on` and `starttls on` (or `only`) in one mail block (before 1.25.1, which removed `ssl`): the
 * later of the two is refused as it is read (ngx_mail_ssl_enable(), ngx_mail_ssl_starttls()).
 */
export const conflictingMailTls: LoadRule = {
  id: 'conflicting-mail-tls',
  severity: 'error',
  description: 'ssl on and starttls in one mail block: TLS from the first byte, or after STARTTLS, not both.',
  check(configuration, target) {
    if (!mailHasSslDirective(target)) return [];
    const problems: LoadProblem[] = [];
    for (const ssl of placedNamed(configuration, 'ssl')) {
      if (ssl.context.kind !== 'directives' || ssl.context.family !== 'mail' || value(ssl) !== 'on') continue;
      for (const starttls of placedIn(configuration, ssl.parent, 'starttls')) {
        if (!startsTls(starttls)) continue;
        const [later, message] = starttls.order < ssl.order ? [ssl, '"starttls" directive conflicts with "ssl on"'] : [starttls, '"ssl" directive conflicts with "starttls"'];
        problems.push({ at: later, span: statementSpan(later.directive), message });
      }
    }
    return problems;
  },
};
