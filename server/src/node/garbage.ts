// Garbage left by edits, collected when the thread is idle. Each edit of a large document leaves
// its old text (4 MB for the bench's file), the old line index and, in the analysis worker, the old
// analysis in V8's old generation, which V8 collects only once the heap has grown to a multiple of
// what it keeps: ten edits took the server thread's heap from 60 to 155 MB (with this, 100 MB at
// most). Once the work since the last collection has left more than GARBAGE_MB, a concurrent major
// collection is started: V8's gc({ execution: 'async' }) marks beside the thread, which only pauses
// to finish (about 5 ms).

import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const GARBAGE_MB = 16;

/** V8's gc(): with `execution: 'async'` it returns a promise of the collection's end; one that ignores the option has collected before it returns. */
type CollectGarbage = (options: { type: 'major'; execution: 'async' }) => Promise<void> | undefined;

/** The function to call after a piece of work (an edit read, an analysis done): it collects when there is enough garbage. */
export function idleGarbageCollector(): () => void {
  // gc() is given to contexts created after the flag is set (V8's gc extension); a V8 that does not
  // take the flag at run time gives none, and nothing is collected by hand.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('typeof gc === "function" ? gc : undefined') as CollectGarbage | undefined;
  const used = () => getHeapStatistics().used_heap_size;
  let usedAfterCollection = used();
  let collecting = false;
  return () => {
    if (!collect || collecting || used() - usedAfterCollection < GARBAGE_MB * 1024 * 1024) return;
    collecting = true;
    void Promise.resolve(collect({ type: 'major', execution: 'async' })).then(() => {
      collecting = false;
      usedAfterCollection = used();
    });
  };
}
