import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../server/src/analysis/analyze';
import { defaultSettings, parseSettings } from '../../server/src/features/settings';
import { serviceWithCursor } from '../support/service';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown; additionalProperties?: { enum: string[] } }>;

test('package.json declares exactly the settings the server reads, with the same defaults', () => {
  const declared = Object.keys(properties).filter((key) => key in { 'nginx.extraDirectives': 1, 'nginx.rules': 1 });
  assert.deepEqual(declared.sort(), Object.keys(defaultSettings).map((key) => `nginx.${key}`).sort());
  for (const [key, value] of Object.entries(defaultSettings)) assert.deepEqual(properties[`nginx.${key}`].default, value);
  assert.deepEqual(properties['nginx.rules'].additionalProperties!.enum.sort(), ['error', 'hint', 'information', 'off', 'warning']);
});

test('rule ids are unique and used as settings keys', () => {
  const ids = allRules.map((rule) => rule.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(parseSettings({ rules: { 'ws-read-timeout': 'off', 'no-such-rule': 'off', syntax: 'loud' } }).rules, { 'ws-read-timeout': 'off' });
});

test('extraDirectives silences unknown-directive; rules change or drop findings', () => {
  const text = 'events {}\nhttp {\n  my_module_directive on;|\n  server {\n    location /ws { proxy_pass http://127.0.0.1:3000; }\n  }\n}\n';
  const { service } = serviceWithCursor({ '/etc/nginx/nginx.conf': text }, '/etc/nginx/nginx.conf');
  const codes = () => service.diagnose('/etc/nginx/nginx.conf').map((f) => `${f.code}:${f.severity}`);
  assert.ok(codes().includes('unknown-directive:error'));
  service.settings = parseSettings({ extraDirectives: ['my_module_directive'], rules: { 'ws-no-tls': 'off', 'ws-read-timeout': 'hint' } });
  assert.ok(!codes().some((c) => c.startsWith('unknown-directive') || c.startsWith('ws-no-tls')));
  assert.ok(codes().includes('ws-read-timeout:hint'));
});

test('the README documents every rule code', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  for (const rule of allRules) assert.match(readme, new RegExp(`\\| \`${rule.id}\` \\| ${rule.severity[0].toUpperCase()}${rule.severity.slice(1)} \\|`), rule.id);
});
