// The security rules over the shared corpus (read in place): each gixy fixture of a check we share
// gets our rule's finding, each of its false-positive fixtures (`*_fp`) none, and no security rule
// fires on another check's fixture. The count per rule over the whole corpus is reported (README).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { securityRules } from '../../server/src/analysis/rules/security';
import { analyzeCorpusFile, corpusAvailable, CORPUS_DIR, oracleRecords } from '../support/corpus';
import { analyze } from '../../server/src/analysis/analyze';
import { DEBIAN_NGINX_VERSION } from '../support/nginx';

const noCorpus = corpusAvailable() ? false : `no corpus at ${CORPUS_DIR}`;

/** gixy's plugin (its fixtures' folder) to the rule of ours that checks the same thing. */
const GIXY_PLUGIN_RULE: Record<string, string> = {
  add_header_redefinition: 'add-header-lost',
  alias_traversal: 'alias-traversal',
  host_spoofing: 'host-spoofing',
  http_splitting: 'response-splitting',
  ssrf: 'ssrf',
  allow_without_deny: 'allow-without-deny',
  version_disclosure: 'server-tokens',
};
const SECURITY_IDS = new Set(securityRules.map((rule) => rule.id));

test('the security rules on gixy\'s fixtures and over the corpus', { skip: noCorpus }, (t) => {
  const counts = new Map([...SECURITY_IDS].map((id) => [id, 0]));
  const wrong: string[] = [];
  let fixtures = 0;
  for (const record of oracleRecords()) {
    const { file, workspace } = analyzeCorpusFile(record.file);
    const ours = analyze(file, workspace, { nginxVersion: DEBIAN_NGINX_VERSION }).filter((f) => SECURITY_IDS.has(f.code));
    for (const finding of ours) counts.set(finding.code, counts.get(finding.code)! + 1);
    const gixy = /__gixy\/tests__plugins__simply__([a-z_]+)__(\w+)\.conf$/.exec(record.file);
    if (!gixy) continue;
    const rule = GIXY_PLUGIN_RULE[gixy[1]];
    const codes = ours.map((f) => f.code);
    if (!rule) {
      if (codes.length > 0) wrong.push(`${record.file}: ${codes.join(', ')} on another check's fixture`);
      continue;
    }
    fixtures++;
    const falsePositiveFixture = gixy[2].endsWith('_fp');
    if (falsePositiveFixture ? codes.length > 0 : !codes.includes(rule)) wrong.push(`${record.file}: expected ${falsePositiveFixture ? 'nothing' : rule}, got [${codes.join(', ')}]`);
  }
  for (const [id, count] of counts) t.diagnostic(`${id}: ${count} findings`);
  assert.ok(fixtures >= 15, `only ${fixtures} gixy fixtures of shared checks: the corpus changed`);
  assert.deepEqual(wrong, []);
});
