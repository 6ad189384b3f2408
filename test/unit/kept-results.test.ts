// Results kept over files (Workspace.keptOver()): kept while the files are the same versions, and
// not keeping the versions they were computed over alive once those changed (a 4 MB text each).

import assert from 'node:assert/strict';
import test from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Workspace, type ConfigFile } from '../../server/src/analysis/workspace';
import { DocumentFiles } from '../../server/src/documentFiles';
import { LanguageService } from '../../server/src/features/service';
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

test('a configuration read through DocumentFiles (as the CLI and the analysis worker read the disk) is read once per file, however many results are kept over it', () => {
  const texts: Record<string, string> = {
    [MAIN]: 'events {}\nhttp {\n    include /etc/nginx/mime.types;\n    include /etc/nginx/sites/*;\n}\n',
    '/etc/nginx/mime.types': 'types { text/html html; }\n',
    '/etc/nginx/sites/a': 'server { listen 80; location /ws/ { proxy_pass http://127.0.0.1:3000; } }\n',
    '/etc/nginx/sites/b': 'server { listen 81; location / { return 200; } }\n',
  };
  const disk = memoryFs(texts);
  const reads = new Map<string, number>();
  const service = new LanguageService(new DocumentFiles(() => undefined, {
    readFile: (path) => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return disk.readFile(path);
    },
    readDir: disk.readDir,
    readLink: () => undefined,
    fileStatus: (path) => (texts[path] === undefined ? 'missing' : 'readable'),
  }));
  service.setRoots([MAIN]);
  const findings = Object.keys(texts).flatMap((path) => service.diagnose(path));
  assert.ok(findings.some((finding) => finding.code === 'ws-missing-upgrade'), 'the sites were analysed in the configuration');
  assert.deepEqual([...reads.values()].filter((count) => count > 1), [], `reads per file: ${JSON.stringify(Object.fromEntries(reads))}`);
});
