// Suppression comments: `# nginx-ignore RULE[,RULE] -- reason` for the next statement and
// `# nginx-ignore-file RULE -- reason` for the file, applied once to every rule's findings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LanguageService } from '../../server/src/features/service';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { memoryFs } from '../support/memoryFs';
import { MAIN, shownAt } from '../support/websocket';

const conf = (...http: string[]) => ['events {}', 'http {', ...http.map((line) => `    ${line}`), '}', ''].join('\n');
const codes = (text: string) => analyzeFiles({ [MAIN]: text }, MAIN).map((finding) => `${finding.code}@${shownAt({ [MAIN]: text }, finding)}`);

test('the next statement only, for the rules named', () => {
  const text = conf('# nginx-ignore server-tokens -- the version is public anyway', 'server_tokens on;', 'server { server_tokens on; }');
  assert.deepEqual(codes(text), ['server-tokens@5: server_tokens on']);
});

test('several rules, and a block statement: its header, not its body', () => {
  const text = conf(
    'server {',
    '    # nginx-ignore alias-traversal,autoindex -- legacy URLs, listing wanted',
    '    location /files { alias /srv/files/; autoindex on; }',
    '    location /other { alias /srv/other/; }',
    '}',
  );
  // The location's header holds neither finding: both are on its body's directives.
  assert.deepEqual(codes(text), [
    'alias-traversal@5: alias /srv/files/', 'alias-traversal@6: alias /srv/other/', 'autoindex@5: autoindex on', 'unused-suppression@4: # nginx-ignore alias-traversal,autoindex -- legacy URLs, listing wanted',
  ]);
  const inside = conf('server {', '    location /files {', '        # nginx-ignore alias-traversal -- legacy URLs', '        alias /srv/files/;', '    }', '}');
  assert.deepEqual(codes(inside), []);
});

test('the file-level form covers every statement of the file', () => {
  const text = ['# nginx-ignore-file server-tokens -- version shown on purpose', conf('server_tokens on;', 'server { server_tokens on; }')].join('\n');
  assert.deepEqual(codes(text), []);
});

test('a suppression without a reason, or naming no known rule, is a finding and suppresses nothing', () => {
  assert.deepEqual(codes(conf('# nginx-ignore server-tokens', 'server_tokens on;')), [
    'server-tokens@4: server_tokens on', 'invalid-suppression@3: # nginx-ignore server-tokens',
  ]);
  assert.deepEqual(codes(conf('# nginx-ignore server-tokens --', 'server_tokens on;')).map((c) => c.split('@')[0]), ['server-tokens', 'invalid-suppression']);
  const unknown = analyzeFiles({ [MAIN]: conf('# nginx-ignore no-such-rule -- typo', 'server_tokens on;') }, MAIN);
  assert.deepEqual(unknown.map((f) => f.code), ['server-tokens', 'invalid-suppression']);
  assert.match(unknown[1].message, /no known rule: no-such-rule/);
});

test('a suppression that matches nothing is reported, with a fix that removes its line', () => {
  const text = conf('# nginx-ignore server-tokens -- was on once', 'server_tokens off;');
  const [unused, ...rest] = analyzeFiles({ [MAIN]: text }, MAIN);
  assert.equal(rest.length, 0);
  assert.equal(unused.code, 'unused-suppression');
  assert.equal(unused.severity, 'information');
  assert.equal(applyEdits({ [MAIN]: text }, unused.fixes![0].edits)[MAIN], conf('server_tokens off;'));
});

test('a comment that only mentions nginx-ignore is no suppression', () => {
  assert.deepEqual(codes(conf('# see nginx-ignore in the README', 'server_tokens on;')), ['server-tokens@4: server_tokens on']);
});

test('suppressions apply to the directive rules too', () => {
  const text = conf('# nginx-ignore unknown-directive -- a module built in locally', 'my_directive on;');
  assert.deepEqual(codes(text), []);
});

test('the editor\'s service honours them, and its quick fix removes an unused one', () => {
  const text = conf('# nginx-ignore server-tokens -- public anyway', 'server_tokens on;', '# nginx-ignore hsts -- no TLS here', 'server { listen 80; }');
  const service = new LanguageService(memoryFs({ [MAIN]: text }));
  service.setRoots([MAIN]);
  const [unused, ...rest] = service.diagnose(MAIN);
  assert.deepEqual([unused.code, rest.length], ['unused-suppression', 0]);
  const fixes = service.quickFixes(MAIN, unused.span);
  assert.deepEqual(fixes.map((quick) => quick.fix.title), ['Remove the unused nginx-ignore comment']);
});
