// dotfiles-served: a server that serves files from a `root` and has no location that keeps
// `/.git/config` (or `.env`, `.htpasswd`) from being sent. The location nginx picks for that URI is
// the routing model's (routing/locations.ts, ngx_http_core_find_location()), nested locations included.

import { insertLinesIntoBlock } from '../../edits';
import { findLocation } from '../../routing';
import { named } from '../../websocket/levels';
import { restricts } from './access';
import { entriesNamed, findingAt, isHttpServer, isInternal, levelsOfBlock, missesIncludes, valueInForce, type SecurityRule } from './rule';

/** The URI probed: a repository's configuration, the usual prize of a dotfile leak. */
export const DOTFILE_PROBE = '/.git/config';
/** Directives that answer from elsewhere than the file system, or send the request elsewhere (rewrite). */
const NOT_FROM_DISK = ['rewrite', 'proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass', 'return', 'stub_status'];
const DENY_DOTFILES = ['location ~ /\\.(?!well-known/) {', '    deny all;', '}'];

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
      // The server's own return and rewrite run before a location is picked (server rewrite phase).
      const serverAnswers = ['return', 'rewrite'].some((name) => named(levels[0], name).length > 0);
      const locationAnswers = entry !== undefined && NOT_FROM_DISK.some((name) => named(inForce[0], name).length > 0);
      const root = valueInForce(inForce, 'alias') ?? valueInForce(inForce, 'root');
      if (!root || serverAnswers || locationAnswers || restricts(inForce) || isInternal(inForce) || missesIncludes(scope, inForce)) return [];
      return [findingAt(this, scope, { start: server.directive.name.start, end: server.directive.name.end },
        `${DOTFILE_PROBE} is served from ${root.directive.args[0]?.value ?? 'the root'} by ${picked ? `"location ${picked.args.map((a) => a.value).join(' ')}"` : 'this server'}: a deployed .git or .env leaks`, {
          fixes: [{ title: 'Deny dotfiles (but /.well-known/)', edits: [insertLinesIntoBlock(scope.file, server.directive, [], DENY_DOTFILES)] }],
        })];
    });
  },
};
