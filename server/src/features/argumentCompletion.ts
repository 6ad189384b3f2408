// Completion of a directive's arguments: upstream names after the `*_pass` directives, files and
// folders after `include`, header names (headerCompletion.ts), and the words a directive's value takes.

import type { Directive } from '../parser';
import { specAllowedIn, type Context } from '../analysis/context';
import { variableDefinitions } from '../analysis/definitions';
import { directiveSpecs } from '../analysis/knowledge/directives';
import type { TargetVersion } from '../analysis/knowledge/versions';
import type { DirectiveInfo } from '../analysis/reference';
import type { ConfigFile, Workspace } from '../analysis/workspace';
import type { CompletionEntry } from './completion';
import { headerArguments } from './headerCompletion';
import { upstreamDetail, upstreamsOf, usableFrom } from './upstreams';

/** What argument completion works from. */
export interface ArgumentScope {
  directive: Directive;
  /** Where the word being typed starts, and the cursor. */
  wordStart: number;
  offset: number;
  /** The context the directive stands in, and its documented forms there. */
  context: Context;
  infos: readonly DirectiveInfo[];
  file: ConfigFile;
  configuration: readonly ConfigFile[];
  workspace: Workspace;
  target: TargetVersion;
}

/**
 * The prefixes before an upstream name that each `*_pass` takes, `''` for a bare name. proxy_pass
 * requires http:// or https:// ("invalid URL prefix" otherwise, ngx_http_proxy_set_vars() in
 * ngx_http_proxy_module.c); grpc_pass and uwsgi_pass take their schemes or none
 * (ngx_http_grpc_pass(), ngx_http_uwsgi_pass()); fastcgi_pass, scgi_pass, memcached_pass and
 * the stream proxy_pass parse the address as it is.
 */
function passPrefixes(directive: string, context: Context): readonly string[] | undefined {
  if (directive === 'proxy_pass') return context.kind === 'directives' && context.family === 'stream' ? [''] : ['http://', 'https://'];
  switch (directive) {
    case 'grpc_pass':
      return ['grpc://', 'grpcs://', ''];
    case 'uwsgi_pass':
      return ['uwsgi://', 'suwsgi://', ''];
    case 'fastcgi_pass':
    case 'scgi_pass':
    case 'memcached_pass':
      return [''];
    default:
      return undefined;
  }
}

/** Upstream names for the `*_pass` address being typed: after its scheme, or with each scheme it may take. */
function upstreamNames(scope: ArgumentScope, typed: string, prefixes: readonly string[]): CompletionEntry[] {
  const family = scope.context.kind === 'directives' && scope.context.family === 'stream' ? 'stream' : 'http';
  const upstreams = upstreamsOf(scope.configuration).filter((upstream) => usableFrom(upstream, family));
  const scheme = prefixes.find((prefix) => prefix !== '' && typed.toLowerCase().startsWith(prefix));
  // Past the host (a path, a port): nothing more to offer. Before a whole scheme, the editor filters `http:/` itself.
  if (scheme && /[/:]/.test(typed.slice(scheme.length))) return [];
  const offered = scheme ? [scheme] : prefixes;
  const replace = { start: scope.wordStart + (scheme?.length ?? 0), end: scope.offset };
  const seen = new Set<string>();
  return offered.flatMap((prefix) => upstreams.flatMap((upstream): CompletionEntry[] => {
    const label = (scheme ? '' : prefix) + upstream.name;
    if (seen.has(label)) return [];
    seen.add(label);
    return [{ label, kind: 'upstream', detail: upstreamDetail(upstream), replace }];
  }));
}

/** Files and folders of the directory the include path typed so far names (as nginx resolves it). */
function includePaths(scope: ArgumentScope, typed: string): CompletionEntry[] {
  const quote = /^["']/.test(typed) ? 1 : 0;
  const path = typed.slice(quote);
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const replace = { start: scope.wordStart + quote + dir.length, end: scope.offset };
  return scope.workspace.includeDirectory(dir, scope.file.path).map(({ name, directory }) =>
    ({ label: directory ? `${name}/` : name, kind: directory ? 'folder' : 'file', replace }));
}

/**
 * The words the directive's value takes at the target version, from nginx's own handlers
 * (knowledge/directives.ts: on/off for a flag, an enum's or bitmask's words); else the literal
 * words of its documented syntax (`location` `=` `~`, `listen`'s parameters).
 */
function valueWords(scope: ArgumentScope, index: number): string[] {
  const specs = directiveSpecs(scope.directive.name.value, scope.target).filter((spec) => specAllowedIn(spec, scope.context));
  const words = new Set<string>();
  for (const { value } of specs) {
    if (value?.kind === 'flag' && index === 0) ['on', 'off'].forEach((word) => words.add(word));
    // An enum is one word; a bitmask any number of them (ngx_conf_set_bitmask_slot).
    if ((value?.kind === 'enum' && index === 0) || value?.kind === 'bitmask') value.values?.forEach((word) => words.add(word));
  }
  if (specs.some(({ value }) => value?.kind === 'flag' || value?.kind === 'enum' || value?.kind === 'bitmask')) return [...words];
  return [...new Set(scope.infos.flatMap(syntaxLiterals))];
}

/** Literal keywords of a Markdown syntax line: "`on` | `off`" → on, off (placeholders are *`x`*). */
export function syntaxLiterals(info: DirectiveInfo): string[] {
  const literals = new Set<string>();
  for (const line of info.syntax) {
    for (const match of line.matchAll(/(^|[^*])`([^`*]+)`(?!\*)/g)) {
      const literal = match[2].trim();
      if (/^[\w.:=-]+$/.test(literal)) literals.add(literal);
    }
  }
  return [...literals];
}

/** The entries for the argument being typed. */
export function argumentEntries(scope: ArgumentScope): CompletionEntry[] {
  const { directive, wordStart, offset, file } = scope;
  const name = directive.name.value;
  const typed = file.text.slice(wordStart, offset);
  const index = directive.args.filter((arg) => arg.start < wordStart).length;
  const headers = headerArguments(directive, wordStart, offset, () => variableDefinitions(scope.configuration));
  if (headers) return headers;
  const prefixes = passPrefixes(name, scope.context);
  if (prefixes) return index === 0 ? upstreamNames(scope, typed, prefixes) : [];
  if (name === 'include') return index === 0 ? includePaths(scope, typed) : [];
  return valueWords(scope, index).map((word) => ({ label: word, kind: 'value', replace: { start: wordStart, end: offset } }));
}
