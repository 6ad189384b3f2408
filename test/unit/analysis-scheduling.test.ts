// The analysis off the request path (issue 13): a stale analysis stops at its next checkpoint, the
// worker's side answers "stale" for an analysis a newer change overtook, and code actions are
// answered from the analysis already made for the document's version.
import assert from 'node:assert/strict';
import test from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { AnalysisCancelled } from '../../server/src/analysis/cancellation';
import { Workspace } from '../../server/src/analysis/workspace';
import { analyzeFiles, type FileAnalysis } from '../../server/src/analyzer';
import { analysisWorker, type FromWorker } from '../../server/src/analysisWorker';
import { DocumentAnalyses } from '../../server/src/documentAnalyses';
import { LanguageService } from '../../server/src/features/service';
import { defaultSettings } from '../../server/src/features/settings';
import { memoryFs } from '../support/memoryFs';

const MAIN = '/etc/nginx/nginx.conf';
const SITE = '/etc/nginx/conf.d/site.conf';
const files = {
  [MAIN]: 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
  [SITE]: 'server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n    proxy_pas x;\n}\n',
};

/** An isStale that says yes from its `staleFrom`-th question on, and counts the questions. */
function staleAfter(staleFrom: number) {
  const asked = { count: 0 };
  return { asked, isStale: () => ++asked.count >= staleFrom };
}

test('an analysis that becomes stale stops at the next checkpoint instead of finishing', () => {
  const workspace = new Workspace(memoryFs(files));
  workspace.roots = [MAIN];
  const file = workspace.file(SITE)!;
  const full = staleAfter(Infinity);
  assert.ok(analyze(file, workspace, {}, full.isStale).length > 0);
  assert.ok(full.asked.count > 5, `a whole analysis passes ${full.asked.count} checkpoints`);
  const stopped = staleAfter(3);
  assert.throws(() => analyze(file, workspace, {}, stopped.isStale), AnalysisCancelled);
  assert.equal(stopped.asked.count, 3, 'no checkpoint is passed after the first that says stale');
});

test('analyzeFiles: the findings and published diagnostics of each path, or nothing once stale', () => {
  const service = new LanguageService(memoryFs(files));
  service.setRoots([MAIN]);
  const analysis = analyzeFiles(service, [SITE], () => false)!.get(SITE)!;
  assert.ok(analysis.findings.some((finding) => finding.code === 'unknown-directive'));
  assert.deepEqual(analysis.diagnostics.map((diagnostic) => diagnostic.code), analysis.findings.map((finding) => finding.code));
  assert.equal(analysisFilesStale(service), undefined);
});

const analysisFilesStale = (service: LanguageService) => analyzeFiles(service, [SITE], () => true);

test('the worker answers stale when a change arrives during the analysis, then analyses the new text', () => {
  const generation = new Int32Array(new SharedArrayBuffer(4));
  const replies: FromWorker[] = [];
  let editDuringRead = true;
  const disk = {
    ...memoryFs(files),
    // The included file is read during the analysis: the editor's change arrives right then.
    readFile: (path: string) => {
      if (path === SITE && editDuringRead) Atomics.add(generation, 0, 1);
      return files[path as keyof typeof files];
    },
    fileStatus: (path: string) => (path in files ? ('readable' as const) : ('missing' as const)),
    readLink: () => undefined,
  };
  const handle = analysisWorker(disk, generation, (reply) => replies.push(reply));
  const state = { settings: defaultSettings, roots: [MAIN] };
  handle({ kind: 'analyze', id: 1, generation: Atomics.load(generation, 0), paths: [MAIN], state });
  assert.deepEqual(replies, [{ id: 1, results: undefined }]);

  editDuringRead = false;
  const edited = files[SITE].replace('proxy_pas x;', 'proxy_pas y;\n    proxy_buffring off;');
  handle({ kind: 'texts', open: [[SITE, edited]], closed: [] });
  handle({ kind: 'analyze', id: 2, generation: Atomics.load(generation, 0), paths: [SITE], state });
  const second: FromWorker = replies[1];
  assert.equal(second.id, 2);
  const codes = second.results![0][1].findings.filter((finding) => finding.code === 'unknown-directive');
  assert.equal(codes.length, 2, 'the open text, not the disk, is analysed');
});

/** A DocumentAnalyses over a fake analysis that counts its runs. */
function documentAnalyses(results: Array<FileAnalysis | undefined> = []) {
  const state = { version: 1, inputs: 0, runs: 0, published: [] as string[] };
  const analyses = new DocumentAnalyses({
    analyse: async () => {
      state.runs++;
      return results.length > 0 ? results.shift() : { findings: [], diagnostics: [] };
    },
    currentVersion: () => state.version,
    inputs: () => state.inputs,
    publish: (uri) => state.published.push(`${uri}@${state.version}`),
  });
  const ask = () => analyses.of({ uri: 'file:///site.conf', path: SITE, version: state.version });
  return { state, ask };
}

test('code actions reuse the analysis of the version: one run however often the editor asks', async () => {
  const { state, ask } = documentAnalyses();
  const [first, second] = await Promise.all([ask(), ask()]);
  await ask();
  assert.equal(state.runs, 1);
  assert.equal(first, second);
  assert.deepEqual(state.published, ['file:///site.conf@1']);

  state.version = 2;
  await ask();
  assert.equal(state.runs, 2, 'a new version is analysed again');
  state.inputs++;
  await ask();
  assert.equal(state.runs, 3, 'so is the same version after another file or a setting changed');
});

test('a stale analysis of the current version runs again; one of an outdated version is not published', async () => {
  const { state, ask } = documentAnalyses([undefined, { findings: [], diagnostics: [] }]);
  assert.ok(await ask());
  assert.equal(state.runs, 2);
  assert.deepEqual(state.published, ['file:///site.conf@1']);

  state.inputs++;
  const outdated = ask();
  state.version++;
  assert.equal(await outdated, undefined);
  assert.deepEqual(state.published, ['file:///site.conf@1']);
});

test('a stale analysis joins the run already started for the new inputs instead of starting another', async () => {
  let runs = 0;
  const answers: Array<(analysis: FileAnalysis | undefined) => void> = [];
  let inputs = 0;
  const analyses = new DocumentAnalyses({
    // Two runs wait for their answer below; any further one is answered at once.
    analyse: () => (++runs > 2 ? Promise.resolve({ findings: [], diagnostics: [] }) : new Promise((resolve) => answers.push(resolve))),
    currentVersion: () => 1,
    inputs: () => inputs,
    publish: () => {},
  });
  const document = { uri: 'file:///site.conf', path: SITE, version: 1 };
  const first = analyses.of(document);
  inputs++;
  const second = analyses.of(document);
  assert.equal(runs, 2, 'the new inputs start a run of their own');
  answers[0](undefined);
  const analysis: FileAnalysis = { findings: [], diagnostics: [] };
  answers[1](analysis);
  assert.equal(await first, analysis, 'the stale run answers with the newer one');
  assert.equal(await second, analysis);
  assert.equal(runs, 2, 'no third run');
});
