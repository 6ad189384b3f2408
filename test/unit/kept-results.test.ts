// Results kept over files (Workspace.keptOver()): kept while the files are the same versions, and
// not keeping the versions they were computed over alive once those changed (a 4 MB text each).

import assert from 'node:assert/strict';
import test from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Workspace, type ConfigFile } from '../../server/src/analysis/workspace';
import { memoryFs } from '../support/memoryFs';

const MAIN = '/etc/nginx/nginx.conf';

/** V8's gc(), given to contexts created once the flag is set (as server/src/node/garbage.ts gets it). */
function garbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

test('a kept result is reused while its file is the same version, and computed again for a new one', () => {
  const files: Record<string, string> = { [MAIN]: 'events {}\n' };
  const workspace = new Workspace(memoryFs(files));
  let runs = 0;
  const count = () => workspace.keptOver('runs', [MAIN], () => ++runs);
  assert.equal(count(), 1);
  assert.equal(count(), 1, 'the same version');
  files[MAIN] = 'events {}\nhttp {}\n';
  assert.equal(count(), 2, 'a new version');
});

test('a kept result does not keep alive the version of the file it was computed over', async () => {
  const collect = garbageCollector();
  const files: Record<string, string> = { [MAIN]: 'events {}\n' };
  const workspace = new Workspace(memoryFs(files));
  const computedOver = ((): WeakRef<ConfigFile> => {
    workspace.keptOver('first-file', [MAIN], () => 'kept');
    return new WeakRef(workspace.file(MAIN)!);
  })();
  // An edit, then analyses that do not ask for that result again.
  files[MAIN] = 'events {}\nhttp {}\n';
  assert.notEqual(workspace.file(MAIN), computedOver.deref());
  // A WeakRef's target stays until the current job ends.
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  assert.equal(computedOver.deref(), undefined, 'the previous version was collected');
  assert.equal(workspace.keptOver('first-file', [MAIN], () => 'again'), 'again');
});
