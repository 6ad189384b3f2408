// The one adapter over @nginx/reference-lib (official nginx docs, Markdown format): every fact
// about official directives and variables comes from here; nothing is typed in by hand.

import { Format, getDirectives, getVariables } from '@nginx/reference-lib';

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
  description: string;
  url: string;
}

export interface VariableInfo {
  /** Without `$`; for a family like `$http_NAME`, the prefix `http_`. */
  name: string;
  /** True for `$http_NAME`-style families, matched by prefix. */
  isPrefix: boolean;
  module: string;
  description: string;
  url: string;
}

function familyOf(module: string): Family {
  const match = /^ngx_(http|stream|mail|mgmt)_/.exec(module);
  return (match?.[1] as Family | undefined) ?? (module === 'ngx_otel_module' ? 'http' : 'core');
}

/** nginx.org page of a module; core directives live on ngx_core_module.html. */
function moduleUrl(module: string): string {
  const match = /^ngx_(http|stream|mail)_/.exec(module);
  const page = module.startsWith('ngx_') ? module : 'ngx_core_module';
  return `https://nginx.org/en/docs/${match ? match[1] + '/' : ''}${page}.html`;
}

const directives: DirectiveInfo[] = getDirectives(Format.Markdown).map((d) => ({
  name: d.name,
  module: d.module,
  family: familyOf(d.module),
  syntax: d.syntax,
  default: d.default,
  contexts: d.contexts,
  isBlock: d.isBlock,
  description: d.description,
  url: `${moduleUrl(d.module)}#${d.name}`,
}));

const byName = new Map<string, DirectiveInfo[]>();
for (const directive of directives) {
  const list = byName.get(directive.name) ?? [];
  list.push(directive);
  byName.set(directive.name, list);
}

const variables: VariableInfo[] = getVariables(Format.Markdown).map((v) => {
  const name = v.name.replace(/^\$/, '');
  // The docs write families as `$http_NAME`, `$arg_NAME`, `$cookie_NAME`.
  const isPrefix = name.endsWith('_NAME');
  return {
    name: isPrefix ? name.slice(0, -'NAME'.length) : name,
    isPrefix,
    module: v.module,
    description: v.description,
    url: `${moduleUrl(v.module)}#var_${isPrefix ? name.replace(/NAME$/, '') : name}`,
  };
});

export function allDirectives(): readonly DirectiveInfo[] {
  return directives;
}

/** Every documented form of a directive name (one per module that defines it). */
export function directiveInfos(name: string): readonly DirectiveInfo[] {
  return byName.get(name) ?? [];
}

export function allVariables(): readonly VariableInfo[] {
  return variables;
}

/** The built-in variable `name` (without `$`), matching `$http_x_real_ip` to `$http_NAME`. */
export function findVariables(name: string): VariableInfo[] {
  const exact = variables.filter((v) => !v.isPrefix && v.name === name);
  if (exact.length > 0) return exact;
  return variables.filter((v) => v.isPrefix && name.startsWith(v.name) && name.length > v.name.length);
}
