/**
 * Hover on every official directive (the @nginx/reference-lib data) placed in each of its own
 * contexts: the hover must show that directive's documentation (the form of its module), and not the
 * forms of other modules that do not belong there (`server` in `stream` is not the http `server`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAIN } from '../../server/src/analysis/context';
import { DEFAULT_TARGET } from '../../server/src/analysis/knowledge/versions';
import { allDirectives, directiveInfos, type DirectiveInfo } from '../../server/src/analysis/reference';
import { parseConfigFile } from '../../server/src/analysis/workspace';
import { directiveMarkdown, hover } from '../../server/src/features/hover';

const TARGET = 0.98;

/** The blocks around a directive of `family` in the docs' context `context`; undefined if unknown. */
function enclosing(context: string, family: DirectiveInfo['family']): string[] | undefined {
  const tree = family === 'stream' || family === 'mail' ? family : 'http';
  switch (context) {
    case '':
    case 'main':
      return [];
    case 'events':
    case 'stream':
    case 'mail':
    case 'mgmt':
    case 'http':
      return [`${context} {`];
    case 'server':
      return [`${tree} {`, 'server {'];
    case 'upstream':
      return [`${tree === 'mail' ? 'http' : tree} {`, 'upstream backend {'];
    case 'location':
      return ['http {', 'server {', 'location / {'];
    case 'if in location':
      return ['http {', 'server {', 'location / {', 'if ($arg_a) {'];
    case 'if':
      return ['http {', 'server {', 'if ($arg_a) {'];
    case 'limit_except':
      return ['http {', 'server {', 'location / {', 'limit_except GET {'];
    case 'acme_issuer':
    case 'oidc_provider':
      return ['http {', `${context} example {`];
    default:
      return undefined;
  }
}

test('hover documents at least 98% of official directives in each of their contexts', (t) => {
  let placed = 0;
  const failures: string[] = [];
  const unplaced = new Set<string>();
  for (const info of allDirectives()) {
    for (const context of info.contexts) {
      const blocks = enclosing(context, info.family);
      if (!blocks) {
        unplaced.add(context);
        continue;
      }
      const statement = info.isBlock ? `${info.name} x {\n}` : `${info.name} x;`;
      const text = [...blocks, statement, ...blocks.map(() => '}')].join('\n') + '\n';
      const file = parseConfigFile('/etc/nginx/nginx.conf', text);
      const offset = text.indexOf(statement) + 1;
      const result = hover(file, offset, MAIN, [file], DEFAULT_TARGET);
      placed++;
      // Its own docs, and no other module's form of the name unless documented for the same place.
      const strangers = directiveInfos(info.name).filter(
        (other) => !other.contexts.includes(context) || (other.family !== info.family && other.family !== 'core' && info.family !== 'core'),
      );
      const markdown = result?.markdown ?? '';
      if (!markdown.includes(directiveMarkdown(info, DEFAULT_TARGET)) || strangers.some((other) => markdown.includes(directiveMarkdown(other, DEFAULT_TARGET)))) {
        failures.push(`${info.name} (${info.module}) in ${context || 'any'}`);
      }
    }
  }
  const works = placed - failures.length;
  t.diagnostic(`hover shows the directive's docs for ${works}/${placed} directive placements (${((100 * works) / placed).toFixed(1)}%)`);
  if (unplaced.size > 0) t.diagnostic(`contexts this test cannot build: ${[...unplaced].join(', ')}`);
  for (const failure of failures.slice(0, 20)) t.diagnostic(`  no hover: ${failure}`);
  assert.ok(placed > 900, `only ${placed} placements`);
  assert.ok(works / placed >= TARGET, `hover works for only ${works}/${placed}`);
});
