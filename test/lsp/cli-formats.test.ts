// The CLI for CI: its formats by golden output, SARIF by the OASIS schema, JSON by round trip, the
// settings file and flags, suppression comments, and the exit status.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';

const repo = path.resolve(__dirname, '../..');
const FIXTURE = 'test/fixtures/cli/nginx.conf';
const GOLDEN = path.join(__dirname, 'golden');
const SARIF_SCHEMA = path.resolve(repo, '../shared/schemas/sarif-schema-2.1.0.json');

const run = (args: string[], cwd = repo) => spawnSync(process.execPath, [path.join(repo, 'dist/cli.js'), ...args], { cwd, encoding: 'utf8' });
const golden = (name: string) => fs.readFileSync(path.join(GOLDEN, name), 'utf8');

function inTempDir(files: Record<string, string>, body: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-formats-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const format of ['text', 'json', 'github']) {
  test(`--format ${format}: golden output, exit 1 for the fixture's errors`, () => {
    const result = run(['--format', format, FIXTURE]);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stdout, golden(`cli.${format}`));
  });
}

test('--format sarif: golden results, every result\'s ruleIndex names its rule', () => {
  const result = run(['--format', 'sarif', FIXTURE]);
  assert.equal(result.status, 1, result.stderr);
  const log = JSON.parse(result.stdout);
  const [run0] = log.runs;
  assert.deepEqual(run0.results.map(({ ruleIndex: _, ...rest }: Record<string, unknown>) => rest), JSON.parse(golden('cli.sarif-results.json')));
  for (const r of run0.results) assert.equal(run0.tool.driver.rules[r.ruleIndex].id, r.ruleId);
});

test('--format sarif validates against the OASIS SARIF 2.1.0 schema', { skip: fs.existsSync(SARIF_SCHEMA) ? false : `no schema at ${SARIF_SCHEMA}` }, () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')));
  for (const target of [FIXTURE, 'examples']) {
    const log = JSON.parse(run(['--format', 'sarif', target]).stdout);
    assert.ok(log.runs[0].results.length > 0, 'no results: the validation would prove little');
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  }
  // What GitHub code scanning requires beyond the schema: a tool name, a level, a region per result.
  const log = JSON.parse(run(['--format', 'sarif', FIXTURE]).stdout);
  assert.equal(log.runs[0].tool.driver.name, 'nginx-lint');
  for (const r of log.runs[0].results) {
    assert.ok(['error', 'warning', 'note'].includes(r.level));
    assert.ok(r.locations[0].physicalLocation.region.startLine >= 1);
  }
});

test('--format json round-trips every field: the text format and the file agree with it', () => {
  const json = run(['--format', 'json', FIXTURE]).stdout;
  const findings = JSON.parse(json) as Array<Record<string, unknown>>;
  assert.equal(`${JSON.stringify(findings, null, 2)}\n`, json);
  const fields = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message'];
  const text = run([FIXTURE]).stdout.trim().split('\n');
  const lines = fs.readFileSync(path.join(repo, FIXTURE), 'utf8').split('\n');
  findings.forEach((f, i) => {
    assert.deepEqual(Object.keys(f), fields);
    assert.equal(text[i], `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}`);
    // 1-based line and column; the end column is the character after the span.
    if (f.line === f.endLine) {
      const covered = lines[(f.line as number) - 1].slice((f.column as number) - 1, (f.endColumn as number) - 1);
      assert.ok(covered.length > 0 && !/^\s|\s$/.test(covered), `${f.code}: "${covered}"`);
    }
  });
  assert.deepEqual(findings.map((f) => [f.code, f.line]).slice(0, 3), [['server-tokens', 5], ['invalid-value', 6], ['alias-traversal', 12]]);
});

test('suppressions: honoured, reported when unused or without a reason', () => {
  const codes = (JSON.parse(run(['--format', 'json', FIXTURE]).stdout) as Array<{ code: string; line: number }>).map((f) => `${f.code}:${f.line}`);
  assert.ok(!codes.some((c) => c.startsWith('autoindex')), 'the suppressed autoindex is reported');
  assert.ok(codes.includes('unused-suppression:21'));
  assert.ok(codes.includes('invalid-suppression:27'));
});

test('--rule and --extra-directive change levels and known directives; exit 0 without errors', () => {
  const result = run(['--rule', 'invalid-value=off', '--extra-directive', 'my_module_setting', '--rule=server-tokens=error', FIXTURE]);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /:5:5: error server-tokens /);
  assert.doesNotMatch(result.stdout, /invalid-value|unknown-directive/);
  const clean = run(['--rule', 'invalid-value=off', '--extra-directive=my_module_setting', FIXTURE]);
  assert.equal(clean.status, 0, clean.stdout);
  assert.match(clean.stdout, /warning alias-traversal/);
});

test('.nginx-lint.json here or above, up to the repository root: the same settings, flags win', () => {
  const conf = 'events {}\nhttp {\n    server_tokens on;\n    my_module_setting on;\n    server { listen 443 ssl; ssl_certificate /etc/ssl/a.pem; ssl_certificate_key /etc/ssl/a.key; http2 on; }\n}\n';
  const settings = { nginxVersion: '1.24', rules: { 'server-tokens': 'error', hsts: 'off' }, extraDirectives: ['my_module_setting'] };
  inTempDir({ 'nginx.conf': conf, '.nginx-lint.json': JSON.stringify(settings) }, (dir) => {
    const result = run(['nginx.conf'], dir);
    assert.match(result.stderr, /checked for nginx 1\.24,/);
    assert.match(result.stdout, /nginx\.conf:3:5: error server-tokens /);
    assert.match(result.stdout, /unknown directive "http2" \(appeared in nginx 1\.25\.1/);
    assert.doesNotMatch(result.stdout, /my_module_setting|hsts/);
    // From a folder below, up to the repository root.
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, 'deploy'));
    assert.match(run(['../nginx.conf'], path.join(dir, 'deploy')).stdout, /error server-tokens /);
    const overridden = run(['--nginx-version', '1.30.4', '--rule', 'server-tokens=off', 'nginx.conf'], dir);
    assert.equal(overridden.status, 0, overridden.stdout);
    assert.equal(overridden.stdout, '');
  });
});

test('exit 2 on a bad settings file, an unknown rule or level, or a bad format', () => {
  inTempDir({ 'nginx.conf': 'events {}\n', '.nginx-lint.json': '{"rule": {}}' }, (dir) => {
    const result = run(['nginx.conf'], dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown setting rule/);
    assert.equal(run(['--config', path.join(dir, 'none.json'), 'nginx.conf'], dir).status, 2);
    fs.writeFileSync(path.join(dir, 'other.json'), '{"rules": {"hsts": "loud"}}');
    assert.match(run(['--config', 'other.json', 'nginx.conf'], dir).stderr, /level "loud" of hsts/);
    fs.writeFileSync(path.join(dir, '.nginx-lint.json'), 'not json');
    assert.equal(run(['nginx.conf'], dir).status, 2);
  });
  assert.match(run(['--rule', 'no-such-rule=off', FIXTURE]).stderr, /no rule "no-such-rule"/);
  assert.equal(run(['--format', 'xml', FIXTURE]).status, 2);
  assert.equal(run(['--rule', FIXTURE]).status, 2);
});
