// The one adapter over the facts of the official nginx docs (@nginx/reference-lib, Markdown format):
// every fact about official directives comes from here; nothing is typed in by hand. The facts are
// generated from the docs into knowledge/reference-directives.json (scripts/generate-reference-facts.mjs)
// without the descriptions, which only hovers and completions show (features/docs.ts reads them): the
// analysis worker then loads 160 KB rather than the docs' 1.7 MB.

import facts from './knowledge/reference-directives.json';

/** Which configuration tree a module belongs to: `server` means different things in each. */
export type Family = 'core' | 'http' | 'stream' | 'mail' | 'mgmt';

export interface DirectiveInfo {
  name: string;
  module: string;
  family: Family;
  /** Markdown syntax lines, e.g. "*`time`*". */
  syntax: string[];
  default: string;
  /** Context names as the docs spell them: main, http, server, location, if in location, ... */
  contexts: string[];
  isBlock: boolean;
  url: string;
  /** The release that removed it, as its description says (`limit_zone`: 1.7.6). */
  removedIn?: string;
}

function familyOf(module: string): Family {
  const match = /^ngx_(http|stream|mail|mgmt)_/.exec(module);
  return (match?.[1] as Family | undefined) ?? (module === 'ngx_otel_module' ? 'http' : 'core');
}

/** nginx.org page of a module; core directives live on ngx_core_module.html. */
export function moduleUrl(module: string): string {
  const match = /^ngx_(http|stream|mail)_/.exec(module);
  const page = module.startsWith('ngx_') ? module : 'ngx_core_module';
  return `https://nginx.org/en/docs/${match ? match[1] + '/' : ''}${page}.html`;
}

const directives: DirectiveInfo[] = facts.map((fact) => ({ ...fact, family: familyOf(fact.module), url: `${moduleUrl(fact.module)}#${fact.name}` }));

const byName = new Map<string, DirectiveInfo[]>();
for (const directive of directives) {
  const list = byName.get(directive.name) ?? [];
  list.push(directive);
  byName.set(directive.name, list);
}

export function allDirectives(): readonly DirectiveInfo[] {
  return directives;
}

/** Every documented form of a directive name (one per module that defines it). */
export function directiveInfos(name: string): readonly DirectiveInfo[] {
  return byName.get(name) ?? [];
}
