// A server's sites-enabled/ with a thousand sites (issue 16's workspace): every site is read in the
// configuration nginx.conf includes it into, so the maps nginx.conf defines reach all of them.
import assert from 'node:assert/strict';
import test from 'node:test';
import { LanguageService } from '../../server/src/features/service';
import { memoryFs } from '../support/memoryFs';

const SITES = 1000;
const MAIN = '/etc/nginx/nginx.conf';
const sitePath = (i: number) => `/etc/nginx/sites-enabled/site${String(i).padStart(4, '0')}.conf`;

function workspace(): Record<string, string> {
  const files: Record<string, string> = {
    [MAIN]: 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        "" close;\n    }\n    include sites-enabled/*.conf;\n}\n',
  };
  for (let i = 0; i < SITES; i++) {
    files[sitePath(i)] = `server {\n    listen ${8000 + i};\n    location /ws/ {\n        proxy_pass http://127.0.0.1:${9000 + i};\n        proxy_set_header Connection $connection_upgrade;\n    }\n}\n`;
  }
  return files;
}

test('every one of 1,000 included sites sees the map of nginx.conf: no unknown variable in any', () => {
  const service = new LanguageService(memoryFs(workspace()));
  service.setRoots([MAIN]);
  const unknown = [0, 1, 255, 256, 500, SITES - 1].filter((i) => service.diagnose(sitePath(i)).some((finding) => finding.code === 'unknown-variable'));
  assert.deepEqual(unknown, []);
});
