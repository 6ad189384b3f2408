import { placedNamed, type Placed } from '../configuration';
import type { LoadRule } from '../rule';

/**
 * A main configuration without `events` (ngx_event.c, ngx_event_init_conf(), once the whole
 * configuration is read). nginx names no line: the first directive of the file is marked. An
 * include at the main level that the workspace cannot read may hold the block: nothing is said then.
 */
export const missingEvents: LoadRule = {
  id: 'missing-events',
  severity: 'error',
  description: 'A main configuration without an events block.',
  check(configuration) {
    if (!configuration.main) return [];
    const atMain = (placed: Placed) => placed.context.kind === 'directives' && placed.context.name === 'main';
    // An include the workspace lacks, read at the main level, may hold the events block.
    if (placedNamed(configuration, 'events').some(atMain) || [...configuration.unresolved].some(atMain)) return [];
    const first = configuration.directives.find((placed) => placed.file === configuration.start);
    if (!first) return [];
    return [{ at: first, span: first.directive.name, message: 'no "events" section in configuration' }];
  },
};
