// The WebSocket handshake Warnings on the real configurations of ../shared/corpus, against the
// truth its WEBSOCKET.tsv gives (per location: is its upgrade setup complete, and what it misses).
// The handshake rules are those whose Warning says the upgrade fails; ws-upgrade-unrestricted
// (h2c) warns about a working upgrade and is not judged here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis/analyze';
import { analyzeCorpusFile, CORPUS_DIR, corpusAvailable, findingLines } from '../support/corpus';
import { DEBIAN_NGINX_VERSION } from '../support/nginx';

const HANDSHAKE_RULES = new Set(['ws-missing-http-version', 'ws-missing-upgrade', 'ws-missing-connection', 'ws-headers-not-inherited']);
/** Precision and recall the handshake Warnings must reach on the corpus (issue 11). */
const MIN_PRECISION = 0.95;
const MIN_RECALL = 0.95;

const skip = corpusAvailable() ? false : 'no ../shared/corpus';

test('handshake Warnings on the corpus WebSocket locations: precision and recall', { skip }, (t) => {
  const rows = readFileSync(join(CORPUS_DIR, 'WEBSOCKET.tsv'), 'utf8').trim().split('\n').slice(1)
    .map((line) => line.split('\t'))
    .map(([file, line, complete, missing]) => ({ file, line: Number(line), complete, missing }))
    // A fragment with no location has no location line to report on.
    .filter((row) => !row.complete.includes('no location'));
  let truePositives = 0;
  let warned = 0;
  let broken = 0;
  const wrong: string[] = [];
  for (const row of rows) {
    const { file, workspace } = analyzeCorpusFile(row.file);
    const warnings = analyze(file, workspace, { nginxVersion: DEBIAN_NGINX_VERSION })
      .filter((f) => f.severity === 'warning' && HANDSHAKE_RULES.has(f.code) && findingLines(file, f)[0] === row.line);
    const incomplete = row.complete === 'no';
    if (incomplete) broken++;
    if (warnings.length > 0) warned++;
    if (incomplete && warnings.length > 0) truePositives++;
    if (incomplete !== warnings.length > 0) wrong.push(`${row.file}:${row.line} (${row.complete}, ${row.missing}): ${warnings.map((w) => w.code).join(', ') || 'no Warning'}`);
  }
  const precision = warned === 0 ? 1 : truePositives / warned;
  const recall = broken === 0 ? 1 : truePositives / broken;
  const summary = `${rows.length} locations, ${broken} incomplete, ${warned} warned: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`;
  t.diagnostic(summary);
  assert.ok(precision >= MIN_PRECISION && recall >= MIN_RECALL, `${summary}\n${wrong.join('\n')}`);
});
