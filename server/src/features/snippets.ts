// The snippets (snippets/nginx.json, in VS Code's snippet format) as completion entries, offered
// only where their first directive may stand: the editor's own snippet list would offer them after
// a directive's name too, where no block can go.

import snippets from '../../../snippets/nginx.json';
import { infosIn, type Context } from '../analysis/context';
import type { Span } from '../parser';
import type { CompletionEntry } from './completion';

interface Snippet {
  prefix: string;
  description: string;
  body: string | string[];
}

const all = Object.values(snippets as Record<string, Snippet>).map((snippet) => {
  const body = Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
  return { ...snippet, body, directive: /^[\w-]+/.exec(body)?.[0] ?? '' };
});

/** The snippets whose first directive (`location`, `server`, `map`...) the context takes. */
export function snippetEntries(context: Context, replace: Span): CompletionEntry[] {
  return all
    .filter((snippet) => infosIn(snippet.directive, context).length > 0)
    .map((snippet) => ({ label: snippet.prefix, kind: 'snippet', detail: snippet.description, snippet: snippet.body, replace }));
}
