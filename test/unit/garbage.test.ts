/**
 * The idle garbage collection of the analysis worker (server/src/node/garbage.ts,
 * issue 13): once the work since the last collection has left more than 16 MB, a call collects it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import { idleGarbageCollector } from '../../server/src/node/garbage';

const usedMb = () => getHeapStatistics().used_heap_size / 1048576;

test('garbage left by the work since the last collection is collected once it passes 16 MB', async () => {
  const collectGarbage = idleGarbageCollector();
  // 48 MB of results dropped at once, as an analysis drops the previous one's (8 MB arrays of numbers).
  let results: number[][] | undefined = Array.from({ length: 6 }, (_, i) => new Array<number>(1 << 20).fill(i + 0.5));
  assert.equal(results.length, 6);
  results = undefined;
  const before = usedMb();
  collectGarbage();
  // The collection runs beside the thread; it is done within a few event-loop turns.
  for (let waited = 0; waited < 2000 && usedMb() > before - 40; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(usedMb() <= before - 40, `heap used ${before.toFixed(0)} MB before, ${usedMb().toFixed(0)} MB after`);
});
