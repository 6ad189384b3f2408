import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../server/src/analysis/analyze';
import { defaultSettings, parseSettings, rulesSettingSchema } from '../../server/src/features/settings';
import { serviceWithCursor } from '../support/service';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown }>;

/** package.json's name of each setting (validateOnSave is a section with `enabled`). */
const settingKey = (key: string) => (key === 'validateOnSave' ? 'nginx.validateOnSave.enabled' : `nginx.${key}`);

test('package.json declares exactly the settings the server reads, with the same defaults', () => {
  assert.deepEqual(Object.keys(properties).sort(), Object.keys(defaultSettings).map(settingKey).sort());
  for (const [key, value] of Object.entries(defaultSettings)) assert.deepEqual(properties[settingKey(key)].default, value);
  assert.equal((properties['nginx.executablePath'] as { scope?: string }).scope, 'machine');
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.sort(), ['nginx.executablePath', 'nginx.validateOnSave.enabled']);
});

test('nginx.rules in package.json offers every rule id with its description and the levels parseSettings takes', () => {
  const schema = properties['nginx.rules'] as unknown as { properties: Record<string, { enum: string[]; markdownDescription: string }>; additionalProperties: boolean };
  assert.deepEqual(schema, rulesSettingSchema(), 'run node --import tsx scripts/generate-rules-schema.ts');
  assert.deepEqual(Object.keys(schema.properties), allRules.map((rule) => rule.id));
  assert.equal(schema.additionalProperties, false);
  for (const rule of allRules) {
    assert.ok(schema.properties[rule.id].markdownDescription.startsWith(rule.description), rule.id);
    for (const level of schema.properties[rule.id].enum) assert.deepEqual(parseSettings({ rules: { [rule.id]: level } }).rules, { [rule.id]: level });
  }
});

test('ill-formed values fall back to the defaults', () => {
  assert.deepEqual(parseSettings(undefined), defaultSettings);
  assert.deepEqual(parseSettings({ validateOnSave: { enabled: 'true' }, executablePath: 7, extraDirectives: 'x' }), defaultSettings);
  const parsed = parseSettings({ validateOnSave: { enabled: true }, executablePath: '/opt/nginx/sbin/nginx' });
  assert.equal(parsed.validateOnSave, true);
  assert.equal(parsed.executablePath, '/opt/nginx/sbin/nginx');
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
