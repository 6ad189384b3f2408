// Writes server/src/analysis/knowledge/directive-frequency.json: in how many blocks of each context
// the configurations of ../shared/corpus that nginx accepts use each directive. Completion ranks by it,
// so that `se` in http offers `server` first and `pr` in a location `proxy_pass`.
// Run `node --import tsx scripts/generate-directive-frequency.ts` when the corpus changes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contextOfChain, HTTP, HTTP_LOCATION, HTTP_SERVER, MAIN, type Context } from '../server/src/analysis/context';
import { parse, walk } from '../server/src/parser';

const corpus = path.resolve(__dirname, '../../shared/corpus');
const output = path.resolve(__dirname, '../server/src/analysis/knowledge/directive-frequency.json');

/** The context ORACLE.jsonl says nginx accepted the file in. */
const WRAPS: Record<string, Context> = {
  main: MAIN, http: HTTP, server: HTTP_SERVER, location: HTTP_LOCATION, stream: { kind: 'directives', family: 'stream', name: 'stream' },
};

const counts: Record<string, Record<string, number>> = {};
for (const line of fs.readFileSync(path.join(corpus, 'ORACLE.jsonl'), 'utf8').split('\n').filter(Boolean)) {
  const record = JSON.parse(line) as { file: string; wrapped_as: string | null; ok: boolean | null };
  const top = record.wrapped_as && WRAPS[record.wrapped_as];
  if (record.ok !== true || !top) continue;
  const tree = parse(fs.readFileSync(path.join(corpus, record.file), 'utf8'));
  /** Each directive once per block: ten proxy_set_header lines are one location that sets headers. */
  const seen = new Set<string>();
  walk(tree.root, (directive, ancestors) => {
    const context = contextOfChain(ancestors, top);
    if (context.kind !== 'directives') return;
    const block = ancestors[ancestors.length - 1]?.start ?? -1;
    const key = `${block}\0${directive.name.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    const byName = (counts[`${context.family}/${context.name}`] ??= {});
    byName[directive.name.value] = (byName[directive.name.value] ?? 0) + 1;
  });
}

// Sorted, and once-seen names left out: one file's habit is no ranking.
const sorted = Object.fromEntries(Object.keys(counts).sort().map((context) => [
  context,
  Object.fromEntries(Object.entries(counts[context]).filter(([, n]) => n > 1).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))),
]));
fs.writeFileSync(output, `${JSON.stringify(sorted, null, 1)}\n`);
