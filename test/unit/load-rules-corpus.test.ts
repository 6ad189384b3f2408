// The load rules over the shared corpus: how many findings each rule makes, none on a file that
// nginx accepts, and the rejected files that nginx rejects with one of their messages caught with
// that message (unless the error is in another file, or behind an include the corpus lacks: corpus
// files are flattened, so most of their includes name nothing). Then the built-in variables: every variable of nginx 1.22.1's source is known.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileContext } from '../../server/src/analysis/fileContext';
import { loadRules } from '../../server/src/analysis/rules/load';
import { configurationsOf } from '../../server/src/analysis/rules/load/configuration';
import { isNginxVariable } from '../../server/src/analysis/knowledge/variables';
import { targetVersion } from '../../server/src/analysis/knowledge/versions';
import { analyzeCorpusFile, corpusAvailable, CORPUS_DIR, describeFinding, oracleRecords } from '../support/corpus';

const noCorpus = corpusAvailable() ? false : `no corpus at ${CORPUS_DIR}`;
const LOAD_RULE_IDS = new Set(loadRules.map((rule) => rule.id));
/** nginx's messages that the load rules make, word for word. */
const OUR_MESSAGES =
  /^(?:unknown "\w+" variable|no "events" section in configuration|unknown log format ".*"|duplicate (?:location|upstream) ".*"|duplicate "log_format" name ".*"|a duplicate (?:listen|default server for) \S+|duplicate "\S+" address and port pair|"(?:events|http|stream|mail)" directive is duplicate)$/;

test('the load rules over the corpus: none on accepted files, nginx\'s message on the files it rejects with one', { skip: noCorpus }, (t) => {
  const counts = new Map([...LOAD_RULE_IDS].map((id) => [id, 0]));
  const falseErrors: string[] = [];
  const expected: string[] = [];
  const missed: string[] = [];
  const unknowable: string[] = [];
  for (const record of oracleRecords()) {
    const { file, errors, workspace } = analyzeCorpusFile(record.file);
    const ours = errors.filter((error) => LOAD_RULE_IDS.has(error.code));
    for (const error of ours) counts.set(error.code, counts.get(error.code)! + 1);
    if (record.ok === true && ours.length > 0) falseErrors.push(`${record.file}: ${ours.map((e) => describeFinding(file, e)).join(' | ')}`);
    if (record.ok === false && record.error_message && OUR_MESSAGES.test(record.error_message)) {
      expected.push(record.file);
      if (ours.some((error) => error.message === record.error_message)) continue;
      const elsewhere = record.error_file && !record.file.endsWith(record.error_file.replaceAll('/', '__'));
      const unreadable = configurationsOf(file, workspace, fileContext(file, workspace)).some((c) => c.unresolved.size > 0);
      (elsewhere || unreadable ? unknowable : missed).push(`${record.file}: nginx: ${record.error_message}`);
    }
  }
  for (const [id, count] of counts) t.diagnostic(`${id}: ${count} findings`);
  const caught = expected.length - missed.length - unknowable.length;
  t.diagnostic(`rejected files with a message of ours caught with it: ${caught}/${expected.length}; ${unknowable.length} with the error in another file or behind an include the corpus lacks`);
  for (const line of unknowable) t.diagnostic(`  not knowable here: ${line}`);
  for (const line of [...falseErrors, ...missed]) t.diagnostic(`  ${line}`);
  assert.deepEqual(falseErrors, []);
  assert.ok(expected.length > 0, 'the corpus has no file rejected with a message of ours: the test tests nothing');
  assert.deepEqual(missed, []);
});

const SOURCE = join(CORPUS_DIR, '../nginx-src/nginx-1.22.1.tar.gz');
const noSource = existsSync(SOURCE) ? false : `no nginx source at ${SOURCE}`;

test('every variable that nginx 1.22.1 defines is built in', { skip: noSource }, () => {
  const tar = spawnSync('tar', ['-xzOf', SOURCE, '--wildcards', '*/src/http/*.c', '*/src/stream/*.c'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(tar.status, 0, tar.stderr);
  // The ngx_http_variable_t / ngx_stream_variable_t tables: { ngx_string("name"), set, get, ... }.
  const entry = /\{\s*ngx_string\("(\w+)"\),\s*(?:NULL|ngx_\w+),\s*ngx_\w+_variable\w*\s*,/g;
  const names = [...tar.stdout.matchAll(entry)].map((match) => match[1]);
  assert.ok(names.length > 100, `only ${names.length} variables read from the source`);
  // A family (`http_`, `arg_`...) is known by its members.
  const target = targetVersion('1.22.1')!;
  const known = (name: string) => isNginxVariable(name, 'http', target) || isNginxVariable(name, 'stream', target);
  const unknown = names.filter((name) => !known(name.endsWith('_') ? `${name}x` : name));
  assert.deepEqual(unknown, []);
  assert.equal(known('connection_upgrade'), false);
});
