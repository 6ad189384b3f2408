/**
 * Parity with the real nginx on the shared corpus (issue 3).
 *
 * 1. Every corpus file that nginx 1.22 accepts (ORACLE.jsonl), opened as it is, gets no Error from us.
 * 2. Mutants of those files (a dropped `;`, a stray `}`, a misspelt directive, a directive moved into
 *    another block, a directive stripped of its arguments, an unclosed quote) are given to the real
 *    nginx; for each one it rejects with a line in the file, we must report an Error within one line
 *    of nginx's line.
 *
 * Figures printed: recall = rejected mutants with one of our Errors whose lines [first, last] come
 * within one line of nginx's line / rejected mutants with such a line; precision = our Errors on those
 * mutants that come within one line of nginx's line / all our Errors on those mutants.
 * Mutants are generated from a fixed seed (PARITY_SEED, default 3); PARITY_MUTANTS sets how many per file and kind (default 1:
 * some 750 mutants, one `nginx -t` each, about half a minute on two cores).
 * PARITY_CACHE=DIR keeps nginx's verdicts in DIR (outside the repo) between runs, to iterate quickly;
 * PARITY_REPORT=FILE writes every outcome there as JSON lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Finding } from '../../server/src/analysis/types';
import type { ConfigFile } from '../../server/src/analysis/workspace';
import {
  analyzeCorpusFile, corpusAvailable, CORPUS_DIR, describeFinding, findingLines, oracleRecords, ORACLE_TOOL,
} from '../support/corpus';
import {
  applyMutation, describeMutation, generateMutations, MUTATION_KINDS, seededRandom, seedOf, type Mutation, type MutationKind,
} from '../support/mutants';
import { nginxAvailable } from '../support/nginx';
import { OracleSandboxes, pool, VerdictCache, type NginxVerdict } from '../support/nginxOracle';

const RECALL_TARGET = 0.95;
const CLEAN_TARGET = 0.98;
const MUTANTS_PER_KIND = Number(process.env.PARITY_MUTANTS ?? 1);
const SEED = Number(process.env.PARITY_SEED ?? 3);
const SHOWN_MISSES = 25;
/**
 * Kinds measured and reported but not yet held to RECALL_TARGET: most repeated directives are refused
 * by their ngx_conf_set_*_slot handler ("is duplicate"), which the per-release directive data is to
 * tell (issue 10, item 1); the load rules catch the other duplicates (locations, listens, upstreams...).
 */
const REPORTED_ONLY: readonly MutationKind[] = ['duplicate'];

const noCorpus = corpusAvailable() ? false : `no corpus at ${CORPUS_DIR}`;
const noNginx =
  noCorpus ||
  (!nginxAvailable() ? 'nginx not installed (apt-get install nginx-extras)' : false) ||
  (!existsSync(ORACLE_TOOL) ? `no nginx-oracle at ${ORACLE_TOOL}` : false);

const percent = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);

/** One of our Errors comes within one line of nginx's `line` (1-based). */
const near = (file: ConfigFile, error: Finding, line: number) => {
  const [first, last] = findingLines(file, error);
  return first - 1 <= line && line <= last + 1;
};

/**
 * The sandbox copy has some arguments rewritten (paths), sometimes losing their quotes: a mutant whose
 * quotes differ between the two copies, from the mutation to nginx's line, is not the same mutant.
 */
function sameQuoting(ours: string, theirs: string, from: number, to = Infinity): boolean {
  const quoting = (text: string) => Buffer.from(text, 'utf8').toString('latin1').split('\n').map((line) => line.replace(/[^"'\\]/g, ''));
  const a = quoting(ours);
  const b = quoting(theirs);
  if (a.length !== b.length) return false;
  for (let line = from; line < Math.min(a.length, to); line++) if (a[line] !== b[line]) return false;
  return true;
}

/** The first line (0-based) that a mutation changes. */
const firstLine = (mutation: Mutation) =>
  mutation.kind === 'move' ? Math.min(mutation.target.line, mutation.into?.line ?? 0) : mutation.target.line;

test('corpus files that nginx accepts get no Error', { skip: noCorpus }, (t) => {
  const accepted = oracleRecords().filter((record) => record.ok === true);
  const dirty: string[] = [];
  for (const record of accepted) {
    const { file, errors } = analyzeCorpusFile(record.file);
    if (errors.length > 0) {
      dirty.push(`${record.file} (nginx: ${record.wrapped_as}): ${errors.slice(0, 3).map((e) => describeFinding(file, e)).join(' | ')}`);
    }
  }
  const clean = accepted.length - dirty.length;
  t.diagnostic(`accepted files with no Error: ${clean}/${accepted.length} (${percent(clean, accepted.length)})`);
  for (const line of dirty) t.diagnostic(`  false Error: ${line}`);
  assert.ok(accepted.length > 0, 'ORACLE.jsonl lists no accepted file');
  assert.ok(clean / accepted.length >= CLEAN_TARGET, `only ${percent(clean, accepted.length)} of accepted files are clean`);
});

interface Outcome {
  file: string;
  mutation: Mutation;
  verdict: NginxVerdict;
  hit: boolean;
  errors: number;
  nearErrors: number;
  /** Our first Error in the file is near nginx's line (nginx too stops at its first). */
  firstNear: boolean;
  ours: string[];
}

interface Planned {
  file: string;
  mutation: Mutation;
  ours: string;
  key: string[];
  verdict?: NginxVerdict | 'skip';
}

test('mutants that nginx rejects get an Error at nginx\'s line', { skip: noNginx, timeout: 900_000 }, async (t) => {
  const accepted = oracleRecords().filter((record) => record.ok === true);
  const cache = process.env.PARITY_CACHE ? new VerdictCache(process.env.PARITY_CACHE) : undefined;
  const started = Date.now();
  // The mutants, and the verdicts that a cache may already have.
  const plans: Planned[][] = accepted.map((record) => {
    const original = analyzeCorpusFile(record.file).file.text;
    const random = seededRandom(SEED ^ seedOf(record.file));
    return MUTATION_KINDS.flatMap((kind) => generateMutations(original, kind, MUTANTS_PER_KIND, random)).flatMap((mutation) => {
      const ours = applyMutation(original, mutation);
      if (ours === undefined) return [];
      const key = [record.file, JSON.stringify(mutation), original];
      return [{ file: record.file, mutation, ours, key, verdict: cache?.get(key) }];
    });
  });
  // nginx for the others, a file's mutants one after the other in its oracle sandbox.
  const needed = plans.filter((planned) => planned.some((p) => !p.verdict));
  const sandboxes = new OracleSandboxes(needed.map((planned) => planned[0].file));
  const unprepared: string[] = [];
  try {
    await pool(needed, availableParallelism(), async (planned) => {
      const sandbox = await sandboxes.prepare(planned[0].file);
      if (!sandbox) {
        unprepared.push(planned[0].file);
        return;
      }
      for (const p of planned.filter((p) => !p.verdict)) {
        const theirs = applyMutation(sandbox.text, p.mutation);
        let verdict: NginxVerdict | 'skip' = theirs === undefined ? 'skip' : await sandboxes.test(sandbox, theirs);
        if (theirs !== undefined && verdict !== 'skip' && !sameQuoting(p.ours, theirs, firstLine(p.mutation), verdict.line)) {
          verdict = 'skip';
        }
        p.verdict = verdict;
        cache?.set(p.key, verdict);
      }
    });
  } finally {
    sandboxes.dispose();
  }
  const nginxSeconds = (Date.now() - started) / 1000;
  const outcomes: Outcome[][] = plans.map((planned) =>
    planned.flatMap(({ file: name, mutation, ours, verdict }) => {
      if (!verdict || verdict === 'skip') return [];
      const { file, errors } = analyzeCorpusFile(name, ours);
      const line = verdict.line;
      const nearErrors = line === undefined ? 0 : errors.filter((error) => near(file, error, line)).length;
      const first = [...errors].sort((a, b) => a.span.start - b.span.start)[0];
      return [{
        file: name, mutation, verdict, hit: nearErrors > 0, errors: errors.length, nearErrors,
        firstNear: line !== undefined && first !== undefined && near(file, first, line),
        ours: errors.slice(0, 3).map((error) => describeFinding(file, error)),
      }];
    }),
  );
  const all = outcomes.flat();
  const rejected = all.filter((o) => !o.verdict.ok && o.verdict.line !== undefined && !o.verdict.environmental);
  const hits = rejected.filter((o) => o.hit);
  const ourErrors = rejected.reduce((sum, o) => sum + o.errors, 0);
  const nearErrors = rejected.reduce((sum, o) => sum + o.nearErrors, 0);
  const acceptedMutants = all.filter((o) => o.verdict.ok);
  const elsewhere = all.filter((o) => !o.verdict.ok && o.verdict.line === undefined && !o.verdict.environmental);
  const environmental = all.filter((o) => !o.verdict.ok && o.verdict.environmental);

  t.diagnostic(`${all.length} mutants of ${accepted.length - unprepared.length} accepted files; mutants and nginx ${nginxSeconds.toFixed(0)} s, our analysis ${((Date.now() - started) / 1000 - nginxSeconds).toFixed(0)} s`);
  const skipped = plans.flat().filter((p) => p.verdict === 'skip').length;
  if (skipped > 0) t.diagnostic(`${skipped} mutants left out: the oracle's rewritten copy could not take them alike (quotes, rewritten arguments)`);
  if (unprepared.length > 0) t.diagnostic(`files that nginx-oracle did not accept this time (no mutants): ${unprepared.join(', ')}`);
  t.diagnostic(`nginx: ${acceptedMutants.length} accepted, ${rejected.length} rejected at a line of the file, ${elsewhere.length} rejected elsewhere, ${environmental.length} depend on the sandbox`);
  t.diagnostic(`recall ${hits.length}/${rejected.length} = ${percent(hits.length, rejected.length)}; precision ${nearErrors}/${ourErrors} = ${percent(nearErrors, ourErrors)} (our Errors within one line of nginx's / all our Errors, on rejected mutants)`);
  const flagged = rejected.filter((o) => o.errors > 0);
  const firstNear = flagged.filter((o) => o.firstNear).length;
  t.diagnostic(`first-Error precision ${firstNear}/${flagged.length} = ${percent(firstNear, flagged.length)} (rejected mutants whose first Error in the file is within one line of nginx's / those with an Error)`);
  const falseAlarms = acceptedMutants.filter((o) => o.errors > 0);
  t.diagnostic(`mutants nginx accepts that get an Error from us: ${falseAlarms.length}/${acceptedMutants.length}`);
  for (const kind of MUTATION_KINDS) {
    const ofKind = rejected.filter((o) => o.mutation.kind === kind);
    t.diagnostic(`  ${kind}: recall ${ofKind.filter((o) => o.hit).length}/${ofKind.length}`);
  }
  const misses = rejected.filter((o) => !o.hit);
  for (const o of misses.slice(0, SHOWN_MISSES)) {
    t.diagnostic(`  miss: ${o.file}: ${describeMutation(o.mutation)}; nginx ${o.verdict.line}: ${o.verdict.message}; ours: ${o.ours.join(' | ') || 'none'}`);
  }
  if (process.env.PARITY_REPORT) writeFileSync(process.env.PARITY_REPORT, all.map((o) => JSON.stringify(o)).join('\n') + '\n');
  for (const o of falseAlarms.slice(0, 10)) {
    t.diagnostic(`  accepted by nginx: ${o.file}: ${describeMutation(o.mutation)}; ours: ${o.ours.join(' | ')}`);
  }
  const held = rejected.filter((o) => !REPORTED_ONLY.includes(o.mutation.kind));
  const heldHits = held.filter((o) => o.hit).length;
  t.diagnostic(`recall without ${REPORTED_ONLY.join(', ')} ${heldHits}/${held.length} = ${percent(heldHits, held.length)} (held to ${RECALL_TARGET * 100}%)`);
  assert.ok(rejected.length > 0, 'nginx rejected no mutant: the harness is broken');
  assert.ok(heldHits / held.length >= RECALL_TARGET, `recall ${percent(heldHits, held.length)} < ${RECALL_TARGET * 100}%`);
});
