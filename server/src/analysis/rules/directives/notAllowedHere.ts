import { statementSpan, type Directive } from '../../../parser';
import type { DirectiveEntry } from '../../directiveIndex';
import type { DirectiveSpec } from '../../knowledge/directives';
import type { DirectiveProblem, DirectiveRule } from './directiveRule';

export const notAllowedHere: DirectiveRule = {
  id: 'not-allowed-here',
  severity: 'error',
  description: 'A directive placed in a block where nginx does not accept it.',
  check(entry) {
    if (entry.context.kind !== 'directives') return undefined;
    if (entry.forms.length === 0) return thirdPartyProblem(entry);
    if (entry.allowed.length > 0) return entry.parent && nestedLocationProblem(entry.directive, entry.parent.directive);
    return { message: notAllowedMessage(entry.directive.name.value, entry.forms, entry.context.family), span: statementSpan(entry.directive) };
  },
};

/** nginx's words for a directive of these forms in a block of the `family` tree that takes none of them, with where it goes. */
export function notAllowedMessage(name: string, forms: readonly DirectiveSpec[], family: string): string {
  // Where the forms of this block's tree may stand (an http `server_name` goes in `server`), else any form.
  const shown = forms.some((form) => form.family === family) ? forms.filter((form) => form.family === family) : forms;
  const contexts = [...new Set(shown.flatMap((form) => form.contexts.map((context) => contextLabel(form.family, context))))].join(', ');
  return `"${name}" directive is not allowed here (allowed in: ${contexts})`;
}

/**
 * A directive of a module shipped with nginx-extras outside the contexts where nginx 1.22 takes it
 * (measured by scripts/generate-nginx-data.mjs, which names them as the docs do, `stream server` and
 * the like for the stream and mail trees).
 */
function thirdPartyProblem(entry: DirectiveEntry): DirectiveProblem | undefined {
  const { context, thirdParty, directive } = entry;
  if (context.kind !== 'directives' || !thirdParty?.contexts || entry.declared) return undefined;
  if (thirdParty.contexts.includes(contextLabel(context.family, context.name))) return undefined;
  return {
    message: `"${directive.name.value}" directive is not allowed here (allowed in: ${thirdParty.contexts.join(', ')})`,
    span: statementSpan(directive),
  };
}

/** A context as the docs name it: `server` of the stream and mail trees is `stream server`, `mail server` (the main level is `main`). */
function contextLabel(family: string, name: string): string {
  return (family === 'stream' || family === 'mail') && name !== family && name !== 'main' ? `${family} ${name}` : name;
}

interface LocationName {
  name: string;
  exact: boolean;
  named: boolean;
  regex: boolean;
}

/** A location's name and kind as ngx_http_core_location() reads its arguments; undefined when it rejects them. */
function locationName(directive: Directive): LocationName | undefined {
  const [first, second] = directive.args.map((arg) => arg.value);
  if (directive.args.length === 2) {
    const kind = { '=': 'exact', '^~': 'prefix', '~': 'regex', '~*': 'regex' }[first];
    if (!kind) return undefined;
    return { name: second, exact: kind === 'exact', named: false, regex: kind === 'regex' };
  }
  if (directive.args.length !== 1) return undefined;
  if (first.startsWith('=')) return { name: first.slice(1), exact: true, named: false, regex: false };
  if (first.startsWith('^~')) return { name: first.slice(2), exact: false, named: false, regex: false };
  if (first.startsWith('~*')) return { name: first.slice(2), exact: false, named: false, regex: true };
  if (first.startsWith('~')) return { name: first.slice(1), exact: false, named: false, regex: true };
  return { name: first, exact: false, named: first.startsWith('@'), regex: false };
}

/**
 * A location inside another one that nginx refuses (ngx_http_core_location(), nginx 1.22): nothing
 * nests in an exact or a named location, a named location nests nowhere, and a location that is not a
 * regex must start with its parent's name (for a regex parent, with the regex's text). Also asked of
 * a location that an include puts in another (load/nestedLocation.ts).
 */
export function nestedLocationProblem(directive: Directive, parent: Directive): DirectiveProblem | undefined {
  if (directive.name.value !== 'location' || parent.name.value !== 'location') return undefined;
  const child = locationName(directive);
  const outer = locationName(parent);
  if (!child || !outer) return undefined;
  const span = statementSpan(directive);
  if (outer.exact) return { message: `location "${child.name}" cannot be inside the exact location "${outer.name}"`, span };
  if (outer.named) return { message: `location "${child.name}" cannot be inside the named location "${outer.name}"`, span };
  if (child.named) return { message: `named location "${child.name}" can be on the server level only`, span };
  if (!child.regex && !child.name.startsWith(outer.name)) {
    return { message: `location "${child.name}" is outside location "${outer.name}"`, span };
  }
  return undefined;
}
