// Garbage left by analyses, collected while the analysis worker waits for the next one. Each edit
// of a large document leaves the old text (4 MB for the bench's file), the old line index and the old
// analysis in V8's old generation, which V8 collects only once the heap has grown well past what it
// keeps. Once the work since the last collection has left more than GARBAGE_MB, a full collection is
// run: V8's gc({ execution: 'async' }) runs it as the thread's next task, and it pauses the thread
// while it runs (about 100 ms for the worker's heap after analysing a 4 MB file). That is why only the
// worker calls it: the server thread, which answers requests, leaves its garbage to V8 (node/main.ts).

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
