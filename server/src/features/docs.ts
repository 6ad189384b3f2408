// The texts of the official nginx docs (@nginx/reference-lib, Markdown format) that hovers and
// completions show: each directive's description, and the built-in variables. The analysis reads only
// the directives' facts (analysis/reference.ts), so that the analysis worker never loads these.

import { Format, getDirectives, getVariables } from '@nginx/reference-lib';
import { moduleUrl, type DirectiveInfo } from '../analysis/reference';

export interface VariableInfo {
  /** Without `$`; for a family like `$http_NAME`, the prefix `http_`. */
  name: string;
  /** True for `$http_NAME`-style families, matched by prefix. */
  isPrefix: boolean;
  module: string;
  description: string;
  url: string;
}

const descriptionKey = (name: string, module: string) => `${module}\0${name}`;
const descriptions = new Map(getDirectives(Format.Markdown).map((d) => [descriptionKey(d.name, d.module), d.description]));

/** What the docs say of a directive form. */
export function directiveDescription(info: DirectiveInfo): string {
  return descriptions.get(descriptionKey(info.name, info.module)) ?? '';
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

export function allVariables(): readonly VariableInfo[] {
  return variables;
}

/** The built-in variable `name` (without `$`), matching `$http_x_real_ip` to `$http_NAME`. */
export function findVariables(name: string): VariableInfo[] {
  const exact = variables.filter((v) => !v.isPrefix && v.name === name);
  if (exact.length > 0) return exact;
  return variables.filter((v) => v.isPrefix && name.startsWith(v.name) && name.length > v.name.length);
}
