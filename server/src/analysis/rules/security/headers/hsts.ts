// hsts: a TLS server that sends no Strict-Transport-Security, a short one, or one without `always`
// (add_header adds headers to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 responses only,
// ngx_http_headers_filter(), so an error page goes without it), leaving the first plain-HTTP visit
// of a returning user open to SSL stripping. A server that only passes to gRPC has no browser to tell.

import { walk, type Directive } from '../../../../parser';
import type { DirectiveEntry } from '../../../directiveIndex';
import { insertLinesIntoBlock } from '../../../edits';
import type { Fix } from '../../../types';
import { quoted } from '../../../websocket/fixes';
import { named } from '../../../websocket/levels';
import { addHeadersInForce, headerNamed } from './addHeaders';
import { entriesNamed, findingAt, isHttpServer, levelsOfBlock, missesIncludes, placedText, rejectsHandshakes, tlsListen, wordsSpan, type SecurityRule, type SecurityScope } from '../rule';

/** One year: the shortest max-age that HSTS preload lists accept (hstspreload.org). */
export const HSTS_MIN_MAX_AGE = 31536000;
/** Mozilla's recommendation (ssl-config.mozilla.org): two years. */
const HSTS_LINE = 'add_header Strict-Transport-Security "max-age=63072000" always;';

/** What answers a browser: files, or an HTTP upstream (an include may hold any of them). */
const BROWSER_FACING = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass', 'root', 'alias', 'try_files', 'index', 'autoindex', 'include']);

/**
 * A server whose `location /` passes to gRPC and that nothing else in it serves to a browser: its
 * clients are gRPC clients, which no HSTS header concerns.
 */
function servesGrpcOnly(server: Directive): boolean {
  if (!server.block) return false;
  let grpcRoot = false;
  let browserFacing = false;
  walk(server.block, (directive, ancestors) => {
    const name = directive.name.value;
    if (BROWSER_FACING.has(name)) browserFacing = true;
    const parent = ancestors[ancestors.length - 1];
    if (name === 'grpc_pass' && parent?.name.value === 'location' && parent.args.length === 1 && parent.args[0].value === '/') grpcRoot = true;
  });
  return grpcRoot && !browserFacing;
}

/**
 * The blocks inside each server whose own add_header lines stop the inheritance of the server's
 * (ngx_http_headers_merge_conf()): a header added to the server is not sent from them, so the fix
 * adds it there too. Found from the add_header lines, once per analysis.
 */
function ownListsByServer(scope: SecurityScope): Map<DirectiveEntry, DirectiveEntry[]> {
  const byServer = new Map<DirectiveEntry, DirectiveEntry[]>();
  const owners = new Set(entriesNamed(scope, 'add_header').flatMap((line) => line.parent ?? []));
  for (const owner of owners) {
    if (owner.directive.name.value === 'server' || owner.directive.name.value === 'http') continue;
    let server = owner.parent;
    while (server && server.directive.name.value !== 'server') server = server.parent;
    const levels = levelsOfBlock(scope, owner);
    if (!server || addHeadersInForce(levels, owner.target, scope.inheritModes).stoppedAt !== levels[0]) continue;
    const owned = byServer.get(server);
    if (owned) owned.push(owner);
    else byServer.set(server, [owner]);
  }
  return byServer;
}

export const hsts: SecurityRule = {
  id: 'hsts',
  severity: 'information',
  docs: 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
  description: 'A TLS server without Strict-Transport-Security, with max-age under a year, or without "always".',
  check(scope) {
    let ownLists: Map<DirectiveEntry, DirectiveEntry[]> | undefined;
    return entriesNamed(scope, 'server').filter(isHttpServer).flatMap((server) => {
      const levels = levelsOfBlock(scope, server);
      if (!tlsListen(levels[0]) || rejectsHandshakes(levels) || missesIncludes(scope, levels) || servesGrpcOnly(server.directive)) return [];
      const list = addHeadersInForce(levels, server.target, scope.inheritModes);
      const header = headerNamed(list.headers, 'strict-transport-security')[0];
      const at = { start: server.directive.name.start, end: server.directive.name.end };
      if (!header) {
        // A server with no add_header of its own inherits http's list; adding one stops that, so
        // the inherited headers are written again with it.
        const inherited = list.stoppedAt === levels[0] ? [] : list.headers;
        // Blocks with add_header lines of their own send none of the server's: the line goes there too.
        const blocks = (ownLists ??= ownListsByServer(scope)).get(server) ?? [];
        const alsoIn = [
          ...(inherited.length > 0 ? [`re-declare the ${inherited.length} inherited add_header`] : []),
          ...(blocks.length > 0 ? [`in the ${blocks.length} block${blocks.length > 1 ? 's' : ''} with add_header lines of ${blocks.length > 1 ? 'their' : 'its'} own`] : []),
        ];
        const ownLines = (entry: DirectiveEntry) => named(levelsOfBlock(scope, entry)[0], 'add_header').map((placed) => placed.directive);
        const fix: Fix = {
          title: `Add ${quoted(HSTS_LINE)}${alsoIn.length > 0 ? ` (and ${alsoIn.join(', and ')})` : ''}`,
          preferred: true,
          edits: [
            insertLinesIntoBlock(scope.file, server.directive, ownLines(server), [...inherited.map((placed) => placedText(scope, placed)), HSTS_LINE]),
            ...blocks.map((block) => insertLinesIntoBlock(scope.file, block.directive, ownLines(block), [HSTS_LINE])),
          ],
        };
        return [findingAt(this, scope, at, 'This TLS server sends no Strict-Transport-Security header: browsers may still try http:// first, where an attacker can strip TLS', { fixes: [fix] })];
      }
      const [, value, flag] = header.directive.args;
      const maxAge = Number(/max-age=\s*"?(\d+)/i.exec(value?.value ?? '')?.[1] ?? NaN);
      const own = header.file === scope.file.path;
      if (!(maxAge >= HSTS_MIN_MAX_AGE)) {
        return [findingAt(this, scope, own ? wordsSpan(header.directive) : at,
          `Strict-Transport-Security max-age is ${Number.isNaN(maxAge) ? 'missing' : `${maxAge} s`}: under a year (${HSTS_MIN_MAX_AGE} s) it lapses between visits and cannot be preloaded`)];
      }
      if (flag?.value !== 'always') {
        return [findingAt(this, scope, own ? wordsSpan(header.directive) : at,
          'Strict-Transport-Security without "always" is not sent with error responses (4xx, 5xx)',
          own ? { fixes: [{ title: 'Add "always"', preferred: true, edits: [{ file: header.file, span: { start: value.end, end: value.end }, newText: ' always' }] }] } : {})];
      }
      return [];
    });
  },
};

