// What a proxy_pass URL's scheme and host are made of, and where the variables in them come from.

import { filesAround } from '../../../fileContext';
import { directivesNamed, type Directive } from '../../../../parser';
import type { DirectiveEntry } from '../../../directiveIndex';
import { named, type Level } from '../../../websocket/levels';
import { locationRegex } from './captures';
import type { SecurityScope } from '../rule';

/** The scheme and host part of a proxy_pass URL (`$scheme_var://$host_var:port`), before its path. */
export function schemeAndHost(url: string): string {
  const scheme = /^[^/]*:\/\//.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  // The host ends at the path: a "/", or a variable that always starts with one ($request_uri, $uri).
  const host = rest.split(/\/|\$\{?(?:request_uri|uri|document_uri)\b/)[0];
  // Without "://", the whole URL is a variable that nginx parses at run time (`proxy_pass $target`).
  return scheme + host;
}

export const variablesIn = (text: string) => [...text.matchAll(/\$\{?(\w+)\}?/g)].map((match) => match[1]);

/** Variables whose value the client writes: request headers, arguments, cookies, the URI. */
const CLIENT_VARIABLE = /^(?:http_\w+|arg_\w+|cookie_\w+|args|query_string|request|request_uri|uri|document_uri|host)$/i;

/**
 * The client-controlled variable behind `variable` at this location: itself, a capture of the
 * location's regex (the URI is the client's), or a `set` in the levels whose value uses one.
 */
export function clientSource(entry: DirectiveEntry, levels: readonly Level[], variable: string, seen = new Set<string>()): string | undefined {
  if (CLIENT_VARIABLE.test(variable)) return `$${variable}`;
  if (/^\d$/.test(variable) && locationRegex(entry) !== undefined) return `$${variable} (a capture of the location's regex)`;
  if (seen.has(variable)) return undefined;
  seen.add(variable);
  for (const level of levels) {
    const sets = named(level, 'set').filter((set) => set.directive.args[0]?.value.slice(1).toLowerCase() === variable.toLowerCase());
    for (const set of sets) {
      for (const inner of variablesIn(set.directive.args[1]?.value ?? '')) {
        const source = clientSource(entry, levels, inner, seen);
        if (source) return `$${variable}, set from ${source}`;
      }
    }
  }
  return undefined;
}

/** Names of the upstream blocks of the file and of the configurations it belongs to. */
export function upstreamNames(scope: SecurityScope): ReadonlySet<string> {
  const { workspace } = scope;
  const files = filesAround(scope.file.path, scope.graph);
  return workspace.keptOver('upstream-names', files, () => {
    const names = new Set<string>();
    for (const path of files) {
      const tree = workspace.file(path)?.tree;
      for (const upstream of tree ? directivesNamed(tree, 'upstream') : []) names.add(upstream.args[0]?.value.toLowerCase() ?? '');
    }
    return names;
  });
}

/**
 * The literal values a variable can take, when every definition we see is a `map` or a `set` of
 * literals; undefined when any value is not known (another variable, a definition we cannot see).
 */
export function literalValues(scope: SecurityScope, levels: readonly Level[], variable: string): string[] | undefined {
  const target = `$${variable}`.toLowerCase();
  const values: string[] = [];
  const maps: Directive[] = [];
  for (const path of [scope.file.path, ...scope.graph.keys()]) {
    const tree = scope.workspace.file(path)?.tree;
    for (const map of tree ? directivesNamed(tree, 'map') : []) if (map.args[1]?.value.toLowerCase() === target) maps.push(map);
  }
  for (const map of maps) {
    for (const line of map.block?.children ?? []) {
      if (line.kind !== 'directive' || ['hostnames', 'volatile', 'include'].includes(line.name.value)) continue;
      values.push(line.args[0]?.value ?? '');
    }
  }
  for (const level of levels) {
    for (const set of named(level, 'set')) if (set.directive.args[0]?.value.toLowerCase() === target) values.push(set.directive.args[1]?.value ?? '');
  }
  return values.length > 0 && values.every((value) => !value.includes('$')) ? values : undefined;
}
