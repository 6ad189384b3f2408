/**
 * Parity with the real nginx on the shared corpus (issue 3), per nginx release (issue 10): each
 * oracle binary of test/support/nginxBuilds.ts (Debian's 1.22.1 and the source builds of
 * scripts/build-nginx.mjs) judges, and our analysis is told that binary's version.
 *
 * 1. Every corpus file that the binary accepts, opened as it is, gets no Error from us. For Debian's
 *    nginx the verdicts are ORACLE.jsonl's; a source build is asked in the oracle's sandboxes of the
 *    file, its wraps tried in the oracle's order, the first it accepts winning.
 * 2. Mutants of those files (a dropped `;`, a stray `}`, a misspelt directive, a directive moved into
 *    another block, a directive stripped of its arguments, an unclosed quote) are given to the binary;
 *    for each one it rejects with a line in the file, we must report an Error within one line of
 *    nginx's line.
 *
 * A source build lacks the third-party modules of Debian's nginx-extras: its verdicts `unknown
 * directive "X"` for X of theirs are left out of its figures (a user of that release would have the
 * module), and counted.
 *
 * Figures printed: recall = rejected mutants with one of our Errors whose lines [first, last] come
 * within one line of nginx's line / rejected mutants with such a line; precision = our Errors on those
 * mutants that come within one line of nginx's line / all our Errors on those mutants.
 * Mutants are generated from a fixed seed (PARITY_SEED, default 3); PARITY_MUTANTS sets how many per file and kind (default 1:
 * some 750 mutants per binary, one `nginx -t` each: about half a minute for Debian's nginx, which loads
 * its dynamic modules each time, and ten seconds for each source build, on two cores).
 * PARITY_CACHE=DIR keeps nginx's verdicts in DIR (outside the repo) between runs, to iterate quickly;
 * PARITY_REPORT=FILE writes every outcome there as JSON lines. ORACLE_VERSIONS picks the binaries.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { AnalysisOptions } from '../../server/src/analysis/analyze';
import type { Finding } from '../../server/src/analysis/types';
import type { ConfigFile } from '../../server/src/analysis/workspace';
import {
  analyzeCorpusFile, corpusAvailable, CORPUS_DIR, describeFinding, findingLines, ORACLE_JSONL_VERSION, oracleRecords,
  ORACLE_TOOL, type OracleRecord,
} from '../support/corpus';
import {
  applyMutation, describeMutation, generateMutations, MUTATION_KINDS, seededRandom, seedOf, type Mutation,
} from '../support/mutants';
import { nginxAvailable } from '../support/nginx';
import { nginxBinaries, type NginxBinary } from '../support/nginxBuilds';
import {
  judgeInSandbox, OracleSandboxes, pool, unknownThirdPartyDirective, VerdictCache, type NginxVerdict, type PreparedFile, type Sandbox,
} from '../support/nginxOracle';

const RECALL_TARGET = 0.95;
const CLEAN_TARGET = 0.98;
const MUTANTS_PER_KIND = Number(process.env.PARITY_MUTANTS ?? 1);
const SEED = Number(process.env.PARITY_SEED ?? 3);
const SHOWN_MISSES = 25;

const noCorpus = corpusAvailable() ? false : `no corpus at ${CORPUS_DIR}`;
/** The oracle's sandboxes are made by nginx-oracle, which runs Debian's nginx. */
const noSandboxes =
  noCorpus ||
  (!nginxAvailable() ? 'nginx not installed (apt-get install nginx-extras): nginx-oracle makes the sandboxes with it' : false) ||
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

const optionsFor = (version: string): AnalysisOptions => ({ nginxVersion: version });

/** Corpus files with an Error of ours, among those `accepted`, as report lines. */
function dirtyFiles(accepted: readonly OracleRecord[], version: string): string[] {
  const dirty: string[] = [];
  for (const record of accepted) {
    const { file, errors } = analyzeCorpusFile(record.file, undefined, optionsFor(version));
    if (errors.length > 0) {
      dirty.push(`${record.file} (nginx: ${record.wrapped_as}): ${errors.slice(0, 3).map((e) => describeFinding(file, e)).join(' | ')}`);
    }
  }
  return dirty;
}

/** Prints the clean figure; returns whether it meets CLEAN_TARGET. */
function reportClean(t: TestContext, accepted: readonly OracleRecord[], version: string): boolean {
  const dirty = dirtyFiles(accepted, version);
  const clean = accepted.length - dirty.length;
  t.diagnostic(`accepted files with no Error (target ${version}): ${clean}/${accepted.length} (${percent(clean, accepted.length)})`);
  for (const line of dirty) t.diagnostic(`  false Error: ${line}`);
  assert.ok(accepted.length > 0, 'nginx accepted no corpus file: the harness is broken');
  return clean / accepted.length >= CLEAN_TARGET;
}

test(`nginx ${ORACLE_JSONL_VERSION} (ORACLE.jsonl): corpus files it accepts get no Error`, { skip: noCorpus }, (t) => {
  const accepted = oracleRecords().filter((record) => record.ok === true);
  assert.ok(reportClean(t, accepted, ORACLE_JSONL_VERSION), `fewer than ${CLEAN_TARGET * 100}% of accepted files are clean`);
});

const { binaries, missing } = nginxBinaries();

for (const { version, reason } of missing) {
  test(`nginx ${version}: corpus files and mutants`, { skip: reason }, () => {});
}

/** A binary's verdict on a corpus file as it is: accepted in the oracle's attempt `attempt`, or not. */
interface OriginalVerdict {
  ok: boolean;
  attempt?: number;
  /** Rejected for a directive of a third-party module we know (in any attempt). */
  thirdParty?: boolean;
  /** The verdict in the oracle's last attempt (for a file Debian's nginx accepts, the wrap it accepts). */
  rejection?: NginxVerdict;
}

interface Planned {
  file: string;
  mutation: Mutation;
  ours: string;
  key: string[];
  verdict?: NginxVerdict | 'skip';
}

/** What one binary says about one corpus file and, when it accepts it, its mutants. */
interface Judging {
  binary: NginxBinary;
  record: OracleRecord;
  /** Undefined until asked (source builds; Debian's is ORACLE.jsonl's). */
  original?: OriginalVerdict;
  plans: Planned[];
  /** The oracle did not accept this time a file that ORACLE.jsonl says Debian's nginx accepts. */
  unprepared?: boolean;
}

interface Judgements {
  judgings: Judging[];
  nginxSeconds: number;
}

const caches = new Map<NginxBinary, { originals?: VerdictCache<OriginalVerdict>; mutants?: VerdictCache<NginxVerdict | 'skip'> }>(
  binaries.map((binary) => {
    const dir = process.env.PARITY_CACHE;
    return [binary, dir ? { originals: new VerdictCache(dir, binary), mutants: new VerdictCache(dir, binary) } : {}];
  }),
);

/** The mutations of each corpus file, the same for every binary. */
const mutationsOf = new Map<string, { original: string; mutations: Mutation[] }>();
function mutations(file: string): { original: string; mutations: Mutation[] } {
  let made = mutationsOf.get(file);
  if (!made) {
    const original = analyzeCorpusFile(file).file.text;
    const random = seededRandom(SEED ^ seedOf(file));
    made = { original, mutations: MUTATION_KINDS.flatMap((kind) => generateMutations(original, kind, MUTANTS_PER_KIND, random)) };
    mutationsOf.set(file, made);
  }
  return made;
}

/** The mutants of a file the binary accepts, with the verdicts the cache has. */
function planMutants(binary: NginxBinary, file: string): Planned[] {
  const { original, mutations: list } = mutations(file);
  return list.flatMap((mutation) => {
    const ours = applyMutation(original, mutation);
    if (ours === undefined) return [];
    const key = [file, JSON.stringify(mutation), original];
    return [{ file, mutation, ours, key, verdict: caches.get(binary)!.mutants?.get(key) }];
  });
}

/** A source build's verdict on the file: the oracle's attempts in its order, the first accepted winning. */
async function judgeOriginal(prepared: PreparedFile, binary: NginxBinary): Promise<OriginalVerdict> {
  let thirdParty = false;
  let rejection: NginxVerdict | undefined;
  for (const [attempt, sandbox] of prepared.attempts.entries()) {
    const verdict = await judgeInSandbox(sandbox, sandbox.text, binary);
    if (verdict.ok) return { ok: true, attempt };
    thirdParty ||= unknownThirdPartyDirective(verdict);
    rejection = verdict;
  }
  return { ok: false, thirdParty, rejection };
}

/** The sandbox in which the binary accepted the file (Debian's nginx: the oracle's last attempt). */
const acceptedSandbox = (prepared: PreparedFile, judging: Judging): Sandbox | undefined =>
  prepared.attempts[judging.binary.debian ? prepared.attempts.length - 1 : judging.original!.attempt!];

/** Asks every binary, a file at a time, all binaries in turn in its sandboxes. */
async function judgeAll(): Promise<Judgements> {
  const started = Date.now();
  const records = oracleRecords();
  const judgings: Judging[] = binaries.flatMap((binary) =>
    records.map((record): Judging => {
      const original = binary.debian
        ? { ok: record.ok === true }
        : caches.get(binary)!.originals?.get([record.file, mutations(record.file).original]);
      return { binary, record, original, plans: original?.ok ? planMutants(binary, record.file) : [] };
    }),
  );
  const needsNginx = (judging: Judging) => !judging.original || judging.plans.some((p) => !p.verdict);
  const files = [...new Set(judgings.filter(needsNginx).map((judging) => judging.record.file))];
  const sandboxes = new OracleSandboxes(files);
  try {
    await pool(files, availableParallelism(), async (file) => {
      const prepared = await sandboxes.prepare(file);
      for (const judging of judgings.filter((j) => j.record.file === file && needsNginx(j))) {
        const { binary } = judging;
        if (!prepared || (binary.debian && prepared.record.ok !== true)) {
          judging.unprepared = true;
          continue;
        }
        if (!judging.original) {
          judging.original = await judgeOriginal(prepared, binary);
          caches.get(binary)!.originals?.set([file, mutations(file).original], judging.original);
          judging.plans = judging.original.ok ? planMutants(binary, file) : [];
        }
        if (!judging.original.ok) continue;
        const sandbox = acceptedSandbox(prepared, judging);
        if (!sandbox) {
          judging.unprepared = true;
          continue;
        }
        for (const p of judging.plans.filter((p) => !p.verdict)) {
          const theirs = applyMutation(sandbox.text, p.mutation);
          let verdict: NginxVerdict | 'skip' = theirs === undefined ? 'skip' : await judgeInSandbox(sandbox, theirs, binary);
          if (theirs !== undefined && verdict !== 'skip' && !sameQuoting(p.ours, theirs, firstLine(p.mutation), verdict.line)) {
            verdict = 'skip';
          }
          p.verdict = verdict;
          caches.get(binary)!.mutants?.set(p.key, verdict);
        }
      }
    });
  } finally {
    sandboxes.dispose();
  }
  return { judgings, nginxSeconds: (Date.now() - started) / 1000 };
}

let judged: Promise<Judgements> | undefined;
/** One pass over the corpus for all binaries, started by the first test that needs it. */
const judgements = () => (judged ??= judgeAll());

/**
 * Files that Debian's 1.22.1 accepts and this release rejects (a directive it lacks or has removed,
 * third-party ones aside): printed with whether our analysis, told the release, has an Error at
 * its line. Not asserted: the rules that follow the version are being written (issue 10).
 */
function reportVersionRejections(t: TestContext, judgings: readonly Judging[], version: string): void {
  const rejected = judgings.filter((j) => j.record.ok === true && j.original && !j.original.ok && !j.original.thirdParty);
  let caught = 0;
  for (const j of rejected) {
    const line = j.original!.rejection?.line;
    const { file, errors } = analyzeCorpusFile(j.record.file, undefined, optionsFor(version));
    const hit = line !== undefined && errors.some((error) => near(file, error, line));
    if (hit) caught++;
    t.diagnostic(`  rejected, unlike by ${ORACLE_JSONL_VERSION}: ${j.record.file}: ${line}: ${j.original!.rejection?.message}; ours: ${hit ? 'Error there' : 'none there'}`);
  }
  t.diagnostic(`files ${ORACLE_JSONL_VERSION} accepts that nginx ${version} rejects, with our Error at its line: ${caught}/${rejected.length}`);
}

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

function outcomesOf(plans: readonly Planned[], version: string): Outcome[] {
  return plans.flatMap(({ file: name, mutation, ours, verdict }) => {
    if (!verdict || verdict === 'skip') return [];
    const { file, errors } = analyzeCorpusFile(name, ours, optionsFor(version));
    const line = verdict.line;
    const nearErrors = line === undefined ? 0 : errors.filter((error) => near(file, error, line)).length;
    const first = [...errors].sort((a, b) => a.span.start - b.span.start)[0];
    return [{
      file: name, mutation, verdict, hit: nearErrors > 0, errors: errors.length, nearErrors,
      firstNear: line !== undefined && first !== undefined && near(file, first, line),
      ours: errors.slice(0, 3).map((error) => describeFinding(file, error)),
    }];
  });
}

/** Prints the mutant figures of one binary; returns the recall. */
function reportMutants(t: TestContext, binary: NginxBinary, judgings: readonly Judging[], nginxSeconds: number): number {
  const started = Date.now();
  const all = outcomesOf(judgings.flatMap((j) => j.plans), binary.version);
  // A source build lacks the third-party modules: their directives are no error for a user who has them.
  const thirdParty = binary.debian ? [] : all.filter((o) => !o.verdict.ok && unknownThirdPartyDirective(o.verdict));
  const judged = all.filter((o) => !thirdParty.includes(o));
  const rejected = judged.filter((o) => !o.verdict.ok && o.verdict.line !== undefined && !o.verdict.environmental);
  const hits = rejected.filter((o) => o.hit);
  const ourErrors = rejected.reduce((sum, o) => sum + o.errors, 0);
  const nearErrors = rejected.reduce((sum, o) => sum + o.nearErrors, 0);
  const acceptedMutants = judged.filter((o) => o.verdict.ok);
  const elsewhere = judged.filter((o) => !o.verdict.ok && o.verdict.line === undefined && !o.verdict.environmental);
  const environmental = judged.filter((o) => !o.verdict.ok && o.verdict.environmental);
  const files = judgings.filter((j) => j.original?.ok && !j.unprepared).length;

  t.diagnostic(`${all.length} mutants of ${files} files nginx ${binary.version} accepts (target ${binary.version}); nginx for all binaries ${nginxSeconds.toFixed(0)} s, our analysis ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const skipped = judgings.flatMap((j) => j.plans).filter((p) => p.verdict === 'skip').length;
  if (skipped > 0) t.diagnostic(`${skipped} mutants left out: the oracle's rewritten copy could not take them alike (quotes, rewritten arguments)`);
  const unprepared = judgings.filter((j) => j.unprepared).map((j) => j.record.file);
  if (unprepared.length > 0) t.diagnostic(`files that nginx-oracle did not accept this time (no mutants): ${unprepared.join(', ')}`);
  if (!binary.debian) t.diagnostic(`${thirdParty.length} mutants left out: rejected for a third-party directive this build lacks`);
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
  for (const o of rejected.filter((o) => !o.hit).slice(0, SHOWN_MISSES)) {
    t.diagnostic(`  miss: ${o.file}: ${describeMutation(o.mutation)}; nginx ${o.verdict.line}: ${o.verdict.message}; ours: ${o.ours.join(' | ') || 'none'}`);
  }
  for (const o of falseAlarms.slice(0, 10)) {
    t.diagnostic(`  accepted by nginx: ${o.file}: ${describeMutation(o.mutation)}; ours: ${o.ours.join(' | ')}`);
  }
  if (process.env.PARITY_REPORT) {
    const line = (o: Outcome) => JSON.stringify({ nginx: binary.label, ...o });
    writeFileSync(process.env.PARITY_REPORT, all.map(line).join('\n') + '\n', { flag: 'a' });
  }
  assert.ok(rejected.length > 0, 'nginx rejected no mutant: the harness is broken');
  return hits.length / rejected.length;
}

if (process.env.PARITY_REPORT) writeFileSync(process.env.PARITY_REPORT, '');

for (const binary of binaries) {
  const ofBinary = async () => {
    const { judgings, nginxSeconds } = await judgements();
    return { judgings: judgings.filter((j) => j.binary === binary), nginxSeconds };
  };

  if (!binary.debian) {
    test(`nginx ${binary.label}: corpus files it accepts get no Error`, { skip: noSandboxes, timeout: 900_000 }, async (t) => {
      const { judgings } = await ofBinary();
      const accepted = judgings.filter((j) => j.original?.ok).map((j) => j.record);
      const thirdParty = judgings.filter((j) => j.original?.thirdParty).length;
      const undecided = judgings.filter((j) => !j.original).length;
      t.diagnostic(`nginx ${binary.version} accepts ${accepted.length} of ${judgings.length} corpus files; ${thirdParty} rejected for a third-party directive this build lacks (left out)${undecided ? `; ${undecided} not asked (no sandbox)` : ''}`);
      for (const j of judgings.filter((j) => j.original?.ok && j.record.ok !== true)) {
        t.diagnostic(`  accepted, unlike by ${ORACLE_JSONL_VERSION} (${j.record.error_message}): ${j.record.file}`);
      }
      reportVersionRejections(t, judgings, binary.version);
      assert.ok(reportClean(t, accepted, binary.version), `fewer than ${CLEAN_TARGET * 100}% of accepted files are clean`);
    });
  }

  test(`nginx ${binary.label}: mutants it rejects get an Error at its line`, { skip: noSandboxes, timeout: 900_000 }, async (t) => {
    const { judgings, nginxSeconds } = await ofBinary();
    const recall = reportMutants(t, binary, judgings, nginxSeconds);
    assert.ok(recall >= RECALL_TARGET, `recall ${percent(recall, 1)} < ${RECALL_TARGET * 100}%`);
  });
}
