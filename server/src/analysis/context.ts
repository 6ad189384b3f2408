// The context model: where a directive stands (main, events, http, server, location, `if`,
// limit_except, upstream, stream and mail blocks...), named as the nginx docs name contexts.

import type { Directive } from '../parser';
import { anyReleaseSpecs, directiveSpecs, type DirectiveSpec } from './knowledge/directives';
import type { TargetVersion } from './knowledge/versions';
import { directiveInfos, type DirectiveInfo, type Family } from './reference';

export type Context =
  /** A block of directives, named as in the docs' "Context:" line. */
  | { kind: 'directives'; family: Family; name: string }
  /** A block whose lines are data, not directives (map, geo, types...). */
  | { kind: 'data'; owner: string }
  /** Nothing tells where we are (a fragment, a third-party block): check nothing context-related. */
  | { kind: 'unknown' };

export const MAIN: Context = { kind: 'directives', family: 'core', name: 'main' };
export const HTTP: Context = { kind: 'directives', family: 'http', name: 'http' };
export const HTTP_SERVER: Context = { kind: 'directives', family: 'http', name: 'server' };
export const HTTP_LOCATION: Context = { kind: 'directives', family: 'http', name: 'location' };
export const UNKNOWN: Context = { kind: 'unknown' };

/**
 * Blocks whose bodies are key/value data read by the module's own parser
 * (ngx_http_map_module, ngx_http_geo_module, ngx_http_split_clients_module, `types`, `charset_map`,
 * and nginx Plus `match` and `num_map`).
 */
const DATA_BLOCKS = new Map<string, Context>(
  ['map', 'geo', 'split_clients', 'types', 'charset_map', 'match', 'num_map'].map((owner) => [owner, { kind: 'data', owner }]),
);

/** How a module's handler reads the lines of its data block (nginx 1.22; nginx Plus blocks are left out). */
export interface DataBlockSyntax {
  /** The number of words a line must have (key and value); undefined: any. */
  words?: number;
  /** One-word lines the handler takes as flags. */
  flags?: readonly string[];
  /** Flags that appeared after 1.18, with the release that added each. */
  flagsSince?: Readonly<Record<string, string>>;
  /** nginx's message for a line of another length. */
  message?: string;
  /** `include FILE` is the include directive, with its one argument. */
  include?: boolean;
}

export const DATA_BLOCK_SYNTAX: Readonly<Record<string, DataBlockSyntax>> = {
  // ngx_http_map() and ngx_stream_map(): `hostnames` and `volatile` alone, anything else is key and value.
  map: { words: 2, flags: ['hostnames', 'volatile'], message: 'invalid number of the map parameters' },
  // ngx_http_geo() and ngx_stream_geo(): `ranges`, `proxy_recursive` and (1.29.3's changes) `volatile`
  // alone, anything else two words.
  geo: { words: 2, flags: ['ranges', 'proxy_recursive', 'volatile'], flagsSince: { volatile: '1.29.3' }, message: 'invalid number of the geo parameters' },
  // ngx_http_charset_map(): a pair of codes.
  charset_map: { words: 2, message: 'invalid parameters number' },
  // ngx_http_core_type(): a MIME type and any number of extensions, or `include`;
  // ngx_conf_split_clients(): a percentage and a value.
  types: { include: true },
  split_clients: {},
};

/**
 * True when nginx takes `spec` in `context`: ngx_conf_handler() (src/core/ngx_conf_file.c) looks the
 * name up in the modules of the block's type (http, stream, mail; core ones at main and events
 * level) and tests `cmd->type & cf->cmd_type`.
 */
export function specAllowedIn(spec: DirectiveSpec, context: Context): boolean {
  if (context.kind !== 'directives') return context.kind === 'unknown';
  if (spec.contexts.includes('any')) return true;
  if (context.family !== 'core' && spec.family !== context.family) return false;
  return spec.contexts.includes(context.name);
}

const specsByContext = new WeakMap<Context, WeakMap<TargetVersion, Map<string, readonly DirectiveSpec[]>>>();

/** The forms of `name` that nginx at the target version takes in `context`. */
export function specsIn(name: string, context: Context, target: TargetVersion): readonly DirectiveSpec[] {
  let byTarget = specsByContext.get(context);
  if (!byTarget) specsByContext.set(context, (byTarget = new WeakMap()));
  let byName = byTarget.get(target);
  if (!byName) byTarget.set(target, (byName = new Map()));
  let specs = byName.get(name);
  if (!specs) byName.set(name, (specs = directiveSpecs(name, target).filter((spec) => specAllowedIn(spec, context))));
  return specs;
}

/** True when the documented form `info` may stand in `context` (for hover and completion, which show the docs). */
export function allowedIn(info: DirectiveInfo, context: Context): boolean {
  if (context.kind !== 'directives') return context.kind === 'unknown';
  // The docs give `include` (NGX_CONF_ANY) an empty context: it may stand anywhere.
  if (info.contexts.includes('')) return true;
  if (context.family !== 'core' && info.family !== context.family && info.family !== 'core') return false;
  // "if" in the docs means any `if` block; "if in location" only one inside a location.
  if (context.name === 'if in location') return info.contexts.includes('if in location') || info.contexts.includes('if');
  return info.contexts.includes(context.name);
}

/**
 * infosIn()'s answers by context and name: a large file asks the same few hundred questions again
 * and again. childContext() hands out one object per context, so the object is the key.
 */
const infosByContext = new WeakMap<Context, Map<string, readonly DirectiveInfo[]>>();

/** The forms of `name` that may stand in `context`. */
export function infosIn(name: string, context: Context): readonly DirectiveInfo[] {
  let byName = infosByContext.get(context);
  if (!byName) infosByContext.set(context, (byName = new Map()));
  let infos = byName.get(name);
  if (!infos) byName.set(name, (infos = directiveInfos(name).filter((info) => allowedIn(info, context))));
  return infos;
}

/** One object per documented context, so that a file of thousands of blocks shares a few dozen. */
const interned = new Map<string, Context>();

function directivesContext(family: Family, name: string): Context {
  const key = `${family}/${name}`;
  let context = interned.get(key);
  if (!context) interned.set(key, (context = { kind: 'directives', family, name }));
  return context;
}

const childContexts = new WeakMap<Context, Map<string, Context>>();

/**
 * The context inside the block that `directive` opens, when it stands in `parent`: asked for every
 * block of a file (26,000 in a large one) by the index and the load model, answered once per name and parent.
 */
export function childContext(directive: Directive, parent: Context): Context {
  const name = directive.name.value;
  let byName = childContexts.get(parent);
  if (!byName) childContexts.set(parent, (byName = new Map()));
  let context = byName.get(name);
  if (!context) byName.set(name, (context = blockContext(name, parent)));
  return context;
}

function blockContext(name: string, parent: Context): Context {
  const data = DATA_BLOCKS.get(name);
  if (data) return data;
  if (parent.kind !== 'directives') return UNKNOWN;
  if (name === 'if') return directivesContext('http', parent.name === 'location' ? 'if in location' : 'if');
  // Any release's block of that name: what a block holds does not depend on the target version.
  const spec = anyReleaseSpecs(name).find((candidate) => candidate.block && specAllowedIn(candidate, parent));
  if (spec) return directivesContext(spec.family === 'core' ? parent.family : spec.family, name);
  // Third-party and unknown blocks: we do not know what they hold, so their bodies are opaque.
  return { kind: 'data', owner: name };
}

/** The context of each directive in `chain` (outermost first) given the file's top context. */
export function contextOfChain(chain: readonly Directive[], top: Context): Context {
  let context = top;
  for (const directive of chain) context = childContext(directive, context);
  return context;
}
