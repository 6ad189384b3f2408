// How a server sets up TLS, for the checks of its certificates, keys and client verification: the
// certificates in force in any tree, and the ways a mail server asks for TLS, as
// ngx_mail_ssl_merge_conf() (src/mail/ngx_mail_ssl_module.c) reads them.

import { directiveSpecs } from '../../../knowledge/directives';
import type { TargetVersion } from '../../../knowledge/versions';
import { inForce, inForceFrom, placedIn, type Configuration, type Placed } from '../configuration';
import { isSslListen } from '../servers/listenAddress';

export interface MailTls {
  /** What nginx names the directive that asks for TLS: `listen ... ssl`, `ssl` (before 1.25.1) or `starttls`. */
  mode: 'listen ... ssl' | 'ssl' | 'starttls';
  /**
   * The directive nginx names: the server's last `listen ... ssl`, else its last `ssl` or
   * `starttls` (either value), else the mail level's (ngx_mail_ssl_enable(), ngx_mail_ssl_starttls()).
   */
  at: Placed;
}

const lastInReadingOrder = (placed: readonly Placed[]) => placed.reduce<Placed | undefined>((last, next) => (!last || next.order > last.order ? next : last), undefined);

/** `ssl on` in mail: removed in 1.25.1, written since it is an unknown directive (another finding). */
export const mailHasSslDirective = (target: TargetVersion) => directiveSpecs('ssl', target).some((spec) => spec.family === 'mail');

/** The TLS a mail server sets up, or undefined when it sets up none. */
export function mailTlsOf(configuration: Configuration, server: Placed, target: TargetVersion): MailTls | undefined {
  const sslListen = placedIn(configuration, server, 'listen').filter(isSslListen).at(-1);
  const sslDirective = mailHasSslDirective(target);
  const named = (level: Placed | undefined) => level && lastInReadingOrder([...(sslDirective ? placedIn(configuration, level, 'ssl') : []), ...placedIn(configuration, level, 'starttls')]);
  const at = sslListen ?? named(server) ?? named(server.parent);
  if (!at) return undefined;
  if (sslListen) return { mode: 'listen ... ssl', at };
  if (sslDirective && inForceFrom(configuration, server, 'ssl')?.directive.args[0]?.value === 'on') return { mode: 'ssl', at };
  const starttls = inForceFrom(configuration, server, 'starttls')?.directive.args[0]?.value;
  return starttls === 'on' || starttls === 'only' ? { mode: 'starttls', at } : undefined;
}

/** The certificates and keys in force in a server: its own, else its level's (ngx_conf_merge_ptr_value(), in every tree). */
export function certificatesInForce(configuration: Configuration, server: Placed): { certificates: readonly Placed[]; keys: readonly Placed[] } {
  return { certificates: inForce(configuration, server, 'ssl_certificate'), keys: inForce(configuration, server, 'ssl_certificate_key') };
}

/** A server's certificates, each with its key: nginx loads them (else a missing key is another finding). */
export function loadsCertificates(configuration: Configuration, server: Placed): boolean {
  const { certificates, keys } = certificatesInForce(configuration, server);
  return certificates.length > 0 && keys.length >= certificates.length;
}
