import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../support/analysis';
import { memoryFs } from '../support/memoryFs';
import { analyze } from '../../server/src/analysis/analyze';
import { includeGraph } from '../../server/src/analysis/fileContext';
import { MAX_INCLUDED_FILES, Workspace, type FileSystem } from '../../server/src/analysis/workspace';
import { DocumentFiles } from '../../server/src/documentFiles';

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

/** A site enabled by a link, as Debian enables them: the zone and the TLS protocols are nginx.conf's. */
function linkedSite(root: string, link: string): { files: Record<string, string>; links: Record<string, string> } {
  return {
    files: {
      [`${root}/nginx.conf`]: 'events {}\nhttp {\n  limit_req_zone $binary_remote_addr zone=general:10m rate=5r/s;\n  ssl_protocols TLSv1.2 TLSv1.3;\n  include sites-enabled/*.conf;\n}\n',
      [`${root}/sites-available/a.conf`]: 'server {\n  listen 8443 ssl;\n  ssl_certificate a.pem;\n  ssl_certificate_key a.key;\n  location / { limit_req zone=general; return 204; }\n}\n',
    },
    links: { [`${root}/sites-enabled/a.conf`]: link },
  };
}

const problemsOf = (fs: FileSystem, root: string, path: string) => {
  const workspace = new Workspace(fs);
  workspace.roots = [`${root}/nginx.conf`];
  return { graph: [...includeGraph(workspace).keys()], problems: analyze(workspace.file(path)!, workspace, { nginxVersion: '1.22.1' }).filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code) };
};

test('a site enabled by a link is the file it leads to: judged where nginx.conf includes it', () => {
  for (const [name, root, link] of [
    ['a relative link', '/etc/nginx', '../sites-available/a.conf'],
    ['an absolute link into /etc/nginx, in a checkout', '/home/u/server', '/etc/nginx/sites-available/a.conf'],
  ]) {
    const { files, links } = linkedSite(root, link);
    const { graph, problems } = problemsOf(memoryFs(files, links), root, `${root}/sites-available/a.conf`);
    assert.deepEqual(graph, [`${root}/nginx.conf`, `${root}/sites-available/a.conf`], name);
    // Judged alone, the zone would be unknown and the protocols nginx 1.22.1's default (TLSv1, TLSv1.1).
    assert.deepEqual(problems, [], name);
  }
});

test('a site open by its link path is shown by that path: the link is not followed', () => {
  const { files, links } = linkedSite('/etc/nginx', '../sites-available/a.conf');
  const disk = memoryFs(files, links);
  const open = '/etc/nginx/sites-enabled/a.conf';
  const documents = new DocumentFiles((path) => (path === open ? disk.readFile(open) : undefined), {
    readFile: disk.readFile, readDir: disk.readDir!, readLink: disk.readLink!, fileStatus: (path) => (disk.readFile(path) === undefined ? 'missing' : 'readable'),
  });
  const { graph, problems } = problemsOf(documents, '/etc/nginx', open);
  assert.deepEqual(graph, ['/etc/nginx/nginx.conf', open]);
  assert.deepEqual(problems, []);
});
