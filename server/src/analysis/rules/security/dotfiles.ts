// dotfiles-served: a server that serves files from a `root` and has no location that keeps
// `/.git/config` (or `.env`, `.htpasswd`) from being sent. The location nginx picks for that URI is
// found as ngx_http_core_find_location() finds it: an exact match, else the longest prefix, unless it
// is `^~`, then the regex locations in order, the first that matches.

import { insertLinesIntoBlock } from '../../edits';
import { named, type Placed } from '../../websocket/levels';
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
    return entriesNamed(scope, 'server').filter(isHttpServer).flatMap((server) => {
      const levels = levelsOfBlock(scope, server);
      const picked = pickLocation(named(levels[0], 'location'), DOTFILE_PROBE);
      if (picked === 'unknown') return [];
      const entry = picked && scope.entryOf(picked.directive);
      if (picked && !entry) return []; // a location of an included file: judged where it is written
      const inForce = entry ? levelsOfBlock(scope, entry) : levels;
      // The server's own return and rewrite run before a location is picked (server rewrite phase).
      const serverAnswers = ['return', 'rewrite'].some((name) => named(levels[0], name).length > 0);
      const locationAnswers = entry !== undefined && NOT_FROM_DISK.some((name) => named(inForce[0], name).length > 0);
      const root = valueInForce(inForce, 'alias') ?? valueInForce(inForce, 'root');
      if (!root || serverAnswers || locationAnswers || restricts(inForce) || isInternal(inForce) || missesIncludes(scope, inForce)) return [];
      return [findingAt(this, scope, { start: server.directive.name.start, end: server.directive.name.end },
        `${DOTFILE_PROBE} is served from ${root.directive.args[0]?.value ?? 'the root'} by ${picked ? `"location ${picked.directive.args.map((a) => a.value).join(' ')}"` : 'this server'}: a deployed .git or .env leaks`, {
          fixes: [{ title: 'Deny dotfiles (but /.well-known/)', edits: [insertLinesIntoBlock(scope.file, server.directive, [], DENY_DOTFILES)] }],
        })];
    });
  },
};

/** The location nginx picks for `uri` among a block's locations; 'unknown' when a regex is not JavaScript's. */
function pickLocation(locations: readonly Placed[], uri: string): Placed | undefined | 'unknown' {
  let prefix: Placed | undefined;
  let prefixLength = -1;
  for (const location of locations) {
    const [first, second] = location.directive.args;
    if (first?.value === '=' && second?.value === uri) return location;
    const path = location.directive.args.length === 1 ? first : first?.value === '^~' ? second : undefined;
    if (path && uri.startsWith(path.value) && path.value.length > prefixLength) [prefix, prefixLength] = [location, path.value.length];
  }
  if (prefix?.directive.args[0]?.value === '^~') return prefix;
  for (const location of locations) {
    const [modifier, pattern] = location.directive.args;
    if ((modifier?.value !== '~' && modifier?.value !== '~*') || !pattern) continue;
    let regex: RegExp;
    try {
      regex = new RegExp(pattern.value.replace(/\(\?P</g, '(?<'), modifier.value === '~*' ? 'i' : '');
    } catch {
      return 'unknown';
    }
    if (regex.test(uri)) return location;
  }
  return prefix;
}

