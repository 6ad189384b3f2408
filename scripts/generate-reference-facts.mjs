#!/usr/bin/env node
// Generates server/src/analysis/knowledge/reference-directives.json: the facts of the official docs
// (@nginx/reference-lib) that the analysis reads about each directive, without their descriptions:
//
//     [{ "name", "module", "syntax", "default", "contexts", "isBlock", "removedIn"? }]   (in the docs' order)
//
// `removedIn`: the release the description says removed the directive ("was removed in version 1.7.6").
//
// The descriptions are 1.6 MB of Markdown that only hovers and completions show: the analysis
// worker, which starts as the server starts and must take the first document's text at once, loads
// these facts (a tenth of the size) and not the docs (server/src/features/docs.ts reads those).
//
// Usage: node scripts/generate-reference-facts.mjs [OUT]   (after an upgrade of @nginx/reference-lib)

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Format, getDirectives } from '@nginx/reference-lib';

const out = process.argv[2] ?? fileURLToPath(new URL('../server/src/analysis/knowledge/reference-directives.json', import.meta.url));
const removedIn = (description) => /removed in version (\d+\.\d+\.\d+)/i.exec(description ?? '')?.[1];
const facts = getDirectives(Format.Markdown).map(({ name, module, syntax, default: byDefault, contexts, isBlock, description }) => ({
  name, module, syntax, default: byDefault, contexts, isBlock, ...(removedIn(description) ? { removedIn: removedIn(description) } : {}),
}));
writeFileSync(out, `[\n${facts.map((fact) => JSON.stringify(fact)).join(',\n')}\n]\n`);
