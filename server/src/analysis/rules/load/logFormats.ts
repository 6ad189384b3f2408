// What the log modules of http and stream share: the formats they predefine, and the tree whose
// main configuration holds a format list (one per http block, one per stream block).

import type { Placed } from './configuration';

/** ngx_http_log_create_main_conf() defines `combined`; the stream log module predefines none. */
export const PREDEFINED_FORMATS: Readonly<Record<string, readonly string[]>> = { http: ['combined'], stream: [] };

/** The `http` or `stream` block a directive stands in; undefined for the top of a fragment read on its own. */
export function treeOf(placed: Placed): Placed | undefined {
  let at = placed.parent;
  while (at && at.directive.name.value !== 'http' && at.directive.name.value !== 'stream') at = at.parent;
  return at;
}
