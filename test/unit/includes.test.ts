import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../support/analysis';
import { MAX_INCLUDED_FILES } from '../../server/src/analysis/workspace';

const includeFindings = (files: Record<string, string>, target: string) =>
  analyzeFiles(files, target).filter((f) => f.code.startsWith('include-')).map((f) => `${f.code} ${f.severity}: ${f.message}`);

test('a missing file is Information, an unmatched glob is nothing (nginx accepts it)', () => {
  const files = { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include mime.types;\n  include conf.d/*.conf;\n}\n' };
  assert.deepEqual(includeFindings(files, '/etc/nginx/nginx.conf'), [
    'include-not-found information: "mime.types" is not in the workspace (looked for it under /etc/nginx)',
  ]);
});

test('cycles are reported at the include that starts them, with the chain', () => {
  const files = {
    '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include a.conf;\n}\n',
    '/etc/nginx/a.conf': 'include b.conf;\n',
    '/etc/nginx/b.conf': 'include a.conf;\n',
    '/etc/nginx/self.conf': 'include self.conf;\n',
  };
  assert.deepEqual(includeFindings(files, '/etc/nginx/a.conf'), ['include-cycle warning: include cycle: /etc/nginx/a.conf → /etc/nginx/b.conf → /etc/nginx/a.conf']);
  assert.deepEqual(includeFindings(files, '/etc/nginx/self.conf'), ['include-cycle warning: include cycle: /etc/nginx/self.conf → /etc/nginx/self.conf']);
  assert.deepEqual(includeFindings(files, '/etc/nginx/nginx.conf'), []);
});

// A hang guard, not a speed assertion (speed is measured by npm run bench).
test('a glob over a thousand files that include back stays bounded', { timeout: 60000 }, () => {
  const files: Record<string, string> = { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include sites/*.conf;\n}\n' };
  for (let i = 0; i < MAX_INCLUDED_FILES + 100; i++) files[`/etc/nginx/sites/s${i}.conf`] = `server { listen ${8000 + i}; include nginx.conf; }\n`;
  const [budget, ...cycles] = includeFindings(files, '/etc/nginx/nginx.conf');
  assert.equal(budget, `include-budget information: "sites/*.conf" is not followed in full: it names more than ${MAX_INCLUDED_FILES} paths`);
  assert.equal(cycles.length, 1);
  assert.match(cycles[0], /^include-cycle warning: include cycle: \/etc\/nginx\/nginx\.conf → \/etc\/nginx\/sites\/s0\.conf → \/etc\/nginx\/nginx\.conf$/);
});
