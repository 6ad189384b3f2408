// Upstream keep-alive that does nothing: an `upstream` with `keepalive` keeps idle connections only
// for requests that nginx sends with HTTP/1.1 and without "Connection: close" (ngx_http_upstream_keepalive_module
// docs: "For HTTP, the proxy_http_version directive should be set to "1.1" and the "Connection"
// header field should be cleared"). Both defaults changed in 1.29.7 (headers/defaults.ts).

import { filesAround, type Inclusion } from '../fileContext';
import { upstreamDefinitions, upstreamReference, type Definition } from '../definitions';
import type { Workspace } from '../workspace';
import { defaultsToHttp11, headerEntries, sentNamed } from '../headers';
import type { Finding, Fix, RelatedLocation, RuleInfo, TextEdit } from '../types';
import { insertIntoLocation, locationHeader, replaceDirective, setHeaderFix } from './fixes';
import { nearest, type Placed } from './levels';
import type { WebSocketLocation } from './locations';

export const keepaliveRule: RuleInfo = {
  id: 'upstream-keepalive-ineffective',
  severity: 'information',
  docs: 'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive',
  description: 'An upstream with keepalive used by a location that talks HTTP/1.0 to it or sends "Connection: close".',
};

const HTTP11_LINE = 'proxy_http_version 1.1;';
const CLEAR_CONNECTION_LINE = 'proxy_set_header Connection "";';

/** The upstream blocks a file's locations can name, kept while the files around it stay as they are. */
export function upstreamsAround(workspace: Workspace, file: string, graph: ReadonlyMap<string, Inclusion>): Definition[] {
  const files = filesAround(file, graph);
  return workspace.keptOver('upstreams', files, () => upstreamDefinitions(files.flatMap((path) => workspace.file(path) ?? [])));
}

/**
 * The upstream blocks by name as nginx compares them (case-insensitively), the first of each name:
 * each of 20,000 proxied locations looks its own up among thousands.
 */
function upstreamsByName(workspace: Workspace, file: string, graph: ReadonlyMap<string, Inclusion>): ReadonlyMap<string, Definition> {
  return workspace.keptOver('upstreams-by-name', filesAround(file, graph), () => {
    const byName = new Map<string, Definition>();
    for (const definition of upstreamsAround(workspace, file, graph)) {
      const name = definition.name.toLowerCase();
      if (!byName.has(name)) byName.set(name, definition);
    }
    return byName;
  });
}

/** The keepalive directive of the upstream `proxy_pass` names, if it has one. */
function upstreamKeepalive(proxied: WebSocketLocation): Placed | undefined {
  const reference = upstreamReference(proxied.proxyPass.directive);
  if (!reference) return undefined;
  const upstream = upstreamsByName(proxied.workspace, proxied.file.path, proxied.graph).get(reference.name.toLowerCase());
  const keepalive = upstream?.directive.block?.children.find((node) => node.kind === 'directive' && node.name.value === 'keepalive');
  return upstream && keepalive?.kind === 'directive' ? { directive: keepalive, file: upstream.file } : undefined;
}

function finding(proxied: WebSocketLocation, message: string, related: RelatedLocation[], fix: Fix): Finding {
  return { code: keepaliveRule.id, severity: keepaliveRule.severity, message, file: proxied.file.path, span: locationHeader(proxied), related, fixes: [fix] };
}

/** What stops the location from reusing the upstream's kept-alive connections, one finding per cause. */
export function keepaliveFindings(proxied: WebSocketLocation): Finding[] {
  const keepalive = upstreamKeepalive(proxied);
  if (!keepalive) return [];
  const upstream = { file: keepalive.file, span: keepalive.directive, message: 'keepalive is set here' };
  const findings: Finding[] = [];
  const target = proxied.target;

  const version = nearest(proxied.levels, 'proxy_http_version');
  const value = version?.placed.directive.args[0]?.value;
  if (value === '1.0' || (!version && !defaultsToHttp11(target))) {
    const own = version?.level === proxied.levels[0];
    findings.push(finding(proxied,
      `The upstream's keepalive does nothing here: nginx ${target.label} talks HTTP/1.0 to it${version ? '' : ' by default'}, which closes every connection`,
      [upstream, ...(version ? [{ file: version.placed.file, span: version.placed.directive, message: 'proxy_http_version 1.0 is set here' }] : [])],
      own
        ? { title: `Change to "${HTTP11_LINE}"`, preferred: true, edits: [replaceDirective(version!.placed, HTTP11_LINE)] }
        : { title: `Add "${HTTP11_LINE}"`, preferred: true, edits: [insertIntoLocation(proxied, [HTTP11_LINE])] }));
  }

  // "Connection: close" for plain requests: the nginx default before 1.29.7, a constant, or a map's
  // value (the upgrade case, "Connection: upgrade", hands the connection over and is not counted).
  const entries = headerEntries(proxied.levels, 'proxy_set_header', proxied.maps);
  const connections = sentNamed(entries, 'connection');
  const closing = connections.flatMap((entry) => (entry.values ?? [])
    .filter((possible) => possible.value.toLowerCase() === 'close')
    .map((possible) => ({ entry, possible })));
  // Any Connection entry replaces nginx's default, an empty one too (which then sends none).
  if (!entries.some((entry) => entry.key === 'connection') && !defaultsToHttp11(target)) {
    findings.push(finding(proxied,
      `The upstream's keepalive does nothing here: nginx ${target.label} sends "Connection: close" by default; clear it with '${CLEAR_CONNECTION_LINE}'`,
      [upstream], { ...setHeaderFix(proxied, 'connection', CLEAR_CONNECTION_LINE), preferred: true }));
  } else if (closing.length > 0) {
    const edits = new Map<string, TextEdit>();
    for (const { entry, possible } of closing) {
      // A map's "close" becomes "" (no header); the map's other values (the upgrade case) stay.
      const step = possible.via[possible.via.length - 1];
      const line = step && (step.entry ? step.entry.line : step.map.defaultLine);
      const edit = line && step
        ? { file: step.map.file, span: line.args[0], newText: '""' }
        : { file: entry.placed.file, span: entry.placed.directive.args[1], newText: '""' };
      edits.set(`${edit.file}:${edit.span.start}`, edit);
    }
    findings.push(finding(proxied,
      `The upstream's keepalive does nothing for plain requests here: they are sent with "Connection: close"`,
      [upstream, ...closing.map(({ entry }) => ({ file: entry.placed.file, span: entry.placed.directive, message: 'sends "Connection: close"' }))],
      { title: 'Send no Connection header instead of "close" (keeps upstream connections alive)', preferred: true, edits: [...edits.values()] }));
  }
  return findings;
}
