/**
 * Include graphs stay bounded (issue 7): cycles, self-includes, a glob over a thousand files that
 * include back, deep chains and glob patterns built to make a backtracking matcher explode all
 * finish quickly, without throwing, and the graph holds at most MAX_INCLUDED_FILES files.
 * Each case analyses its interesting files and runs hover and completion in them (they walk the
 * configuration the file belongs to), in a child process killed after HANG_MS. Times are printed;
 * the bound is generous (a hang guard, not a speed target: `npm run bench` measures speed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyze } from '../../server/src/analysis/analyze';
import { includeGraph } from '../../server/src/analysis/fileContext';
import { MAX_INCLUDED_FILES, segmentPattern } from '../../server/src/analysis/workspace';
import { LanguageService } from '../../server/src/features/service';
import { indexedFs } from '../support/memoryFs';

/** The time a case may take. */
const BOUND_MS = 5000;
/** Each case runs in a child process, killed after this long: a regression fails the test instead of hanging `npm test`. */
const HANG_MS = 30_000;
const CASE_FLAG = '--include-bounds-case';


interface Case {
  files: Record<string, string>;
  /** Files to analyse, hover and complete in (all by default). */
  targets?: string[];
}

/** Analyses the targets, hovers and completes in each; the time taken and the size of the include graph. */
function exercise({ files, targets = Object.keys(files) }: Case): { ms: number; graph: number } {
  const start = performance.now();
  const service = new LanguageService(indexedFs(files));
  service.setRoots(Object.keys(files).filter((file) => file.endsWith('/nginx.conf')));
  for (const target of targets) {
    const file = service.file(target)!;
    analyze(file, service.workspace);
    service.hover(target, Math.floor(file.text.length / 2));
    service.complete(target, file.text.length);
  }
  const graph = includeGraph(service.workspace).size;
  return { ms: performance.now() - start, graph };
}

const WS_SERVER = 'server { listen 80; location /ws/ { proxy_pass http://127.0.0.1:8080; proxy_set_header Upgrade $http_upgrade; } }\n';
// `[^/]*[^/]*...x` as a regular expression backtracks exponentially on a long name that fails late.
const longName = 'x'.repeat(200);

const cases: Record<string, () => Case> = {
  'a cycle a → b → a, reached from the main config': () => ({
    files: {
      '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include a.conf;\n}\n',
      '/etc/nginx/a.conf': `include b.conf;\n${WS_SERVER}`,
      '/etc/nginx/b.conf': `include a.conf;\n${WS_SERVER}`,
    },
  }),
  'a file that includes itself, and a main config that includes itself': () => ({
    files: {
      '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include nginx.conf;\n  include self.conf;\n}\n',
      '/etc/nginx/self.conf': `include self.conf;\n${WS_SERVER}`,
    },
  }),
  'a glob matching 1,000 files that each include the glob again': () => {
    const files: Record<string, string> = { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n' };
    // Each file includes the whole glob again, and the main config: a clique of 1,000 files.
    for (let i = 0; i < 1000; i++) {
      files[`/etc/nginx/conf.d/site${String(i).padStart(4, '0')}.conf`] = `include conf.d/*.conf;\ninclude nginx.conf;\n${WS_SERVER}`;
    }
    return { files, targets: ['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/site0000.conf', '/etc/nginx/conf.d/site0999.conf'] };
  },
  'a chain of 500 includes': () => {
    const files: Record<string, string> = { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include c0.conf;\n}\n' };
    for (let i = 0; i < 500; i++) files[`/etc/nginx/c${i}.conf`] = `include c${i + 1}.conf;\n${WS_SERVER}`;
    return { files, targets: ['/etc/nginx/nginx.conf', '/etc/nginx/c0.conf', '/etc/nginx/c499.conf'] };
  },
  'a glob of globs over 900 directories whose files include it again': () => {
    const files: Record<string, string> = { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include */*/*.conf;\n}\n' };
    for (let a = 0; a < 30; a++) for (let b = 0; b < 30; b++) files[`/etc/nginx/d${a}/e${b}/x.conf`] = `include */*/*.conf;\n${WS_SERVER}`;
    return { files, targets: ['/etc/nginx/nginx.conf', '/etc/nginx/d0/e0/x.conf'] };
  },
  'glob patterns that make a backtracking matcher explode, and malformed classes': () => ({
    files: {
      '/etc/nginx/nginx.conf':
        `events {}\nhttp {\n  include conf.d/${'*'.repeat(40)}x.conf;\n  include conf.d/${'*x'.repeat(40)}y;\n` +
        `  include conf.d/[[[*;\n  include conf.d/[z-a]*;\n${WS_SERVER}}\n`,
      [`/etc/nginx/conf.d/${longName}.conf0`]: WS_SERVER,
      [`/etc/nginx/conf.d/${longName}`]: WS_SERVER,
      '/etc/nginx/conf.d/[[[a': WS_SERVER,
    },
  }),
};

const caseArg = process.argv.indexOf(CASE_FLAG);
if (caseArg >= 0) {
  // In the child process: run one case and print its figures.
  process.stdout.write(JSON.stringify(exercise(cases[process.argv[caseArg + 1]]())));
} else {
  for (const name of Object.keys(cases)) {
    test(name, (t) => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=1024', __filename, CASE_FLAG, name], {
        encoding: 'utf8',
        timeout: HANG_MS,
      });
      assert.ok(run.status === 0, `no result within ${HANG_MS} ms (status ${run.status}, ${run.signal ?? 'no signal'}): ${run.stderr.slice(-1000)}`);
      const { ms, graph } = JSON.parse(run.stdout) as { ms: number; graph: number };
      t.diagnostic(`${ms.toFixed(0)} ms, include graph of ${graph} file(s)`);
      assert.ok(graph <= MAX_INCLUDED_FILES, `include graph of ${graph} files`);
      assert.ok(ms < BOUND_MS, `${ms.toFixed(0)} ms (bound ${BOUND_MS} ms)`);
    });
  }

  test('glob segments match as glob(3) does: *, ?, classes, negation; a lone [ is literal', () => {
    const matches = (pattern: string, name: string) => segmentPattern(pattern).test(name);
    assert.ok(matches('*.conf', 'a.conf'));
    assert.ok(!matches('*.conf', 'a.conf.bak'));
    assert.ok(matches('site?.conf', 'site1.conf'));
    assert.ok(!matches('site?.conf', 'site.conf'));
    assert.ok(matches('[ab]*', 'beta'));
    assert.ok(!matches('[!ab]*', 'beta'));
    assert.ok(matches('[a-c]x', 'bx'));
    assert.ok(matches('a[b', 'a[b'));
    assert.ok(!matches('[z-a]', 'm'));
    assert.ok(matches('**a**', 'xxaxx'));
    assert.ok(!matches(`${'*'.repeat(40)}x.conf`, `${longName}.conf0`));
  });
}
