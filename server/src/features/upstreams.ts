// What completion and hover show of an upstream: its servers and keepalive, where it is defined,
// and how many `*_pass` directives use it.

import type { Directive } from '../parser';
import { sameName, upstreamDefinitions, upstreamReferences } from '../analysis/definitions';
import type { Family } from '../analysis/reference';
import type { ConfigFile } from '../analysis/workspace';
import { fileLink } from './links';

export interface Upstream {
  name: string;
  file: ConfigFile;
  directive: Directive;
  /** `http` or `stream` by the block it is in; undefined at the top of an included file (either). */
  family?: 'http' | 'stream';
}

/**
 * Every upstream block of the configuration (upstreamDefinitions(), from each tree's kept index),
 * with the family of the block around it: upstream stands at the http or stream level only.
 */
export function upstreamsOf(configuration: readonly ConfigFile[]): Upstream[] {
  const files = new Map(configuration.map((file) => [file.path, file]));
  return upstreamDefinitions(configuration).map(({ name, file: path, directive }) => {
    const file = files.get(path)!;
    const around = file.tree.root.children.find((node): node is Directive =>
      node.kind === 'directive' && !!node.block && node.block.start < directive.start && directive.start < node.block.end);
    const family = around?.name.value === 'http' || around?.name.value === 'stream' ? around.name.value : undefined;
    return { name, file, directive, family };
  });
}

/** Whether a `*_pass` of `family` can name the upstream: http and stream upstreams are apart (ngx_http_upstream_add, ngx_stream_upstream_add). */
export const usableFrom = (upstream: Upstream, family: Family) => upstream.family === undefined || upstream.family === family;

/** The upstream's own directives named `name`, as written (`server 10.0.0.1:80 weight=2` → `10.0.0.1:80 weight=2`). */
function childArguments(upstream: Upstream, name: string): string[] {
  return (upstream.directive.block?.children ?? []).flatMap((node) =>
    node.kind === 'directive' && node.name.value === name ? [node.args.map((arg) => arg.value).join(' ')] : []);
}

/** One line: "2 servers: a:80, b:80 · keepalive 16". */
export function upstreamDetail(upstream: Upstream): string {
  const servers = childArguments(upstream, 'server');
  const keepalive = childArguments(upstream, 'keepalive')[0];
  const listed = `${servers.length} server${servers.length === 1 ? '' : 's'}${servers.length > 0 ? `: ${servers.join(', ')}` : ''}`;
  return keepalive === undefined ? listed : `${listed} · keepalive ${keepalive}`;
}

/** Hover text of the upstream `name`: each definition with its servers and link, and the uses. */
export function upstreamMarkdown(name: string, configuration: readonly ConfigFile[]): string | undefined {
  const definitions = upstreamsOf(configuration).filter((upstream) => sameName(upstream.name, name));
  if (definitions.length === 0) return undefined;
  const uses = upstreamReferences(configuration, name).length;
  const lines = [`**upstream ${name}**`, ''];
  for (const upstream of definitions) {
    lines.push(`Defined in ${fileLink(upstream.file, upstream.directive.start)}  `);
    for (const server of childArguments(upstream, 'server')) lines.push(`- \`server ${server};\``);
    for (const keepalive of childArguments(upstream, 'keepalive')) lines.push(`- \`keepalive ${keepalive};\``);
    lines.push('');
  }
  lines.push(uses === 0 ? 'No `*_pass` directive uses it.' : `Used by ${uses} \`*_pass\` directive${uses === 1 ? '' : 's'}.`);
  return lines.join('\n');
}
