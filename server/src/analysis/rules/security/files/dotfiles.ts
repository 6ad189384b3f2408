// dotfiles-served: a server that serves files from a `root` and has no location that keeps
// `/.git/config` (or `.env`, `.htpasswd`) from being sent. The location nginx picks for that URI is
// the routing model's (routing/locations.ts, ngx_http_core_find_location()), nested locations included.

import { insertLinesIntoBlock } from '../../../edits';
import { findLocation } from '../../../routing';
import { named, type Level, type Placed } from '../../../websocket/levels';
import { restricts } from '../access/access';
import type { Directive } from '../../../../parser';
import { entriesNamed, findingAt, isHttpServer, isInternal, levelsOfBlock, missesIncludes, tlsListen, valueInForce, type SecurityRule } from '../rule';

/** The URI probed: a repository's configuration, the usual prize of a dotfile leak. */
export const DOTFILE_PROBE = '/.git/config';
/** Directives that answer from elsewhere than the file system, or send the request elsewhere (rewrite). */
const NOT_FROM_DISK = ['rewrite', 'proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass', 'return', 'stub_status'];
const DENY_DOTFILES = ['location ~ /\\.(?!well-known/) {', '    deny all;', '}'];

/**
 * `try_files /index.html =404`, `try_files /dev/null @app`: files named without a variable, so the
 * requested one is never among them (the last word is where nginx redirects when none exists).
 */
const triesOnlyFixedFiles = (tryFiles: Placed | undefined) => tryFiles !== undefined && tryFiles.directive.args.slice(0, -1).every((arg) => !arg.value.includes('$'));

/** A condition that holds for every request of a server without TLS: `$scheme != https`, `$scheme = http`, `$https != on`. */
function alwaysOverPlainHttp(condition: Directive): boolean {
  const words = condition.args.map((arg) => arg.value).join(' ').replace(/^\(\s*|\s*\)$/g, '').split(/\s+/);
  const [variable, operator, value] = words;
  return words.length === 3 && ((variable === '$scheme' && ((operator === '!=' && value === 'https') || (operator === '=' && value === 'http')))
    || (variable === '$https' && operator === '!=' && value === 'on'));
}

/** The server answers every request before a location is picked: its own `return` or `rewrite`, or an `if` that always holds around one (server rewrite phase). */
function serverAnswers(server: Level): boolean {
  if (['return', 'rewrite'].some((name) => named(server, name).length > 0)) return true;
  return !tlsListen(server) && named(server, 'if').some(({ directive }) => alwaysOverPlainHttp(directive)
    && directive.block?.children.some((child) => child.kind === 'directive' && (child.name.value === 'return' || child.name.value === 'rewrite')));
}

export const dotfiles: SecurityRule = {
  id: 'dotfiles-served',
  severity: 'information',
  docs: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#location',
  description: 'A server that serves a root and would send /.git/config: no location denies dotfiles.',
  check(scope) {
    const servers = entriesNamed(scope, 'server').filter(isHttpServer);
    if (servers.length === 0) return [];
    const routes = new Map(scope.routing().servers.map((route) => [route.placed.directive, route]));
    return servers.flatMap((server) => {
      const route = routes.get(server.directive);
      const match = route && findLocation(route.locations, DOTFILE_PROBE);
      // Undecided (a regex JavaScript cannot match as PCRE does) or a redirect: nothing to say.
      if (match?.kind !== 'location') return [];
      const picked = match.location?.placed.directive;
      const entry = picked && scope.entryOf(picked);
      if (picked && !entry) return []; // a location of an included file: judged where it is written
      const levels = levelsOfBlock(scope, server);
      const inForce = entry ? levelsOfBlock(scope, entry) : levels;
      const locationAnswers = entry !== undefined && NOT_FROM_DISK.some((name) => named(inForce[0], name).length > 0);
      const root = valueInForce(inForce, 'alias') ?? valueInForce(inForce, 'root');
      if (!root || serverAnswers(levels[0]) || locationAnswers || triesOnlyFixedFiles(valueInForce(inForce, 'try_files'))) return [];
      if (restricts(inForce) || isInternal(inForce) || missesIncludes(scope, inForce)) return [];
      return [findingAt(this, scope, { start: server.directive.name.start, end: server.directive.name.end },
        `${DOTFILE_PROBE} is served from ${root.directive.args[0]?.value ?? 'the root'} by ${picked ? `"location ${picked.args.map((a) => a.value).join(' ')}"` : 'this server'}: a deployed .git or .env leaks`, {
          fixes: [{ title: 'Deny dotfiles (but /.well-known/)', edits: [insertLinesIntoBlock(scope.file, server.directive, [], DENY_DOTFILES)] }],
        })];
    });
  },
};
