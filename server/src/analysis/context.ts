// The context model: where a directive stands (main, events, http, server, location, `if`,
// limit_except, upstream, stream and mail blocks...), named as the nginx docs name contexts.

import type { Directive } from '../parser';
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
const DATA_BLOCKS = new Set(['map', 'geo', 'split_clients', 'types', 'charset_map', 'match', 'num_map']);

/** True when `info` may stand in `context` (ngx_conf_handler's cmd->type & cf->cmd_type test). */
export function allowedIn(info: DirectiveInfo, context: Context): boolean {
  if (context.kind !== 'directives') return context.kind === 'unknown';
  // The docs give `include` (NGX_CONF_ANY) an empty context: it may stand anywhere.
  if (info.contexts.includes('')) return true;
  if (context.family !== 'core' && info.family !== context.family && info.family !== 'core') return false;
  // "if" in the docs means any `if` block; "if in location" only one inside a location.
  if (context.name === 'if in location') return info.contexts.includes('if in location') || info.contexts.includes('if');
  return info.contexts.includes(context.name);
}

/** The forms of `name` that may stand in `context`. */
export function infosIn(name: string, context: Context): DirectiveInfo[] {
  return directiveInfos(name).filter((info) => allowedIn(info, context));
}

/** The context inside the block that `directive` opens, when it stands in `parent`. */
export function childContext(directive: Directive, parent: Context): Context {
  const name = directive.name.value;
  if (DATA_BLOCKS.has(name)) return { kind: 'data', owner: name };
  if (parent.kind !== 'directives') return UNKNOWN;
  if (name === 'if') {
    return { kind: 'directives', family: 'http', name: parent.name === 'location' ? 'if in location' : 'if' };
  }
  const info = infosIn(name, parent).find((candidate) => candidate.isBlock);
  if (info) return { kind: 'directives', family: info.family === 'core' ? parent.family : info.family, name };
  // Third-party and unknown blocks: we do not know what they hold, so their bodies are opaque.
  return { kind: 'data', owner: name };
}

/** The context of each directive in `chain` (outermost first) given the file's top context. */
export function contextOfChain(chain: readonly Directive[], top: Context): Context {
  let context = top;
  for (const directive of chain) context = childContext(directive, context);
  return context;
}
