// The words nginx compiles as regular expressions as it reads a directive, found as each handler
// finds them (src/http/ngx_http_core_module.c, modules/ngx_http_rewrite_module.c, ngx_http_map_module.c,
// ngx_http_proxy_module.c, ngx_http_referer_module.c, ngx_http_fastcgi_module.c, and the stream twins).

import type { Directive, Word } from '../../parser';
import type { Context } from '../context';
import { compareVersions, parseVersion, type TargetVersion } from './versions';
import type { PcreLibrary } from './pcreSyntax';

export interface CompiledRegex {
  /** The word that holds the pattern. */
  word: Word;
  /** What PCRE is given: the word's value without the `~` or `~*` that marks it. */
  pattern: string;
  /** Compiled by ngx_http_regex_compile() (or the stream one), which makes each named group a variable. */
  capturesVariables: boolean;
}

const NONE: CompiledRegex[] = [];

const IF_REGEX_OPERATORS = new Set(['~', '~*', '!~', '!~*']);

/** The release from which nginx builds with PCRE2 (ngx_regex.c, NGX_PCRE2; 1.21.5's CHANGES). */
const PCRE2_SINCE = parseVersion('1.21.5')!;

export const pcreLibraryOf = (target: TargetVersion): PcreLibrary => (compareVersions(target.version, PCRE2_SINCE) >= 0 ? 'pcre2' : 'pcre');

/** `~pattern` or `~*pattern` as these handlers read it; `caselessStar`: the handler takes a `*` after the `~` as "caseless". */
function marked(word: Word | undefined, caselessStar: boolean, capturesVariables: boolean): CompiledRegex[] {
  if (!word?.value.startsWith('~')) return NONE;
  const skip = caselessStar && word.value[1] === '*' ? 2 : 1;
  return [{ word, pattern: word.value.slice(skip), capturesVariables }];
}

const whole = (word: Word | undefined, capturesVariables: boolean): CompiledRegex[] => (word ? [{ word, pattern: word.value, capturesVariables }] : []);

const REGEX_DIRECTIVES = new Set([
  'location', 'server_name', 'rewrite', 'if', 'proxy_redirect', 'proxy_cookie_path', 'proxy_cookie_domain', 'proxy_cookie_flags',
  'valid_referers', 'gzip_disable', 'fastcgi_split_path_info',
]);

/** Every pattern that `directive`, standing in `context`, has nginx compile. */
export function compiledRegexes(directive: Directive, context: Context): CompiledRegex[] {
  const { args } = directive;
  if (context.kind === 'data') {
    // ngx_http_map() / ngx_stream_map(): a key `~regex` or `~*regex` of a `key value` line.
    return context.owner === 'map' && args.length === 1 ? marked(directive.name, true, true) : NONE;
  }
  if (!REGEX_DIRECTIVES.has(directive.name.value)) return NONE;
  if (context.kind === 'directives' && context.family !== 'http' && context.family !== 'stream') return NONE;
  switch (directive.name.value) {
    case 'location':
      // ngx_http_core_location(): `~ regex`, `~* regex`, or one word `~regex` / `~*regex`.
      if (args.length === 2 && (args[0].value === '~' || args[0].value === '~*')) return whole(args[1], true);
      return args.length === 1 ? marked(args[0], true, true) : [];
    case 'server_name':
      // ngx_http_core_server_name() and ngx_stream_core_server_name().
      return args.flatMap((arg) => (arg.value.length > 1 ? marked(arg, false, true) : []));
    case 'rewrite':
      return whole(args[0], true);
    case 'if':
      return ifRegex(args);
    case 'proxy_redirect':
    case 'proxy_cookie_path':
      return marked(args[0], true, true);
    case 'proxy_cookie_domain':
    case 'proxy_cookie_flags':
      return marked(args[0], false, true);
    case 'valid_referers':
      // ngx_http_add_regex_referer() and the next two compile with ngx_regex_compile(): no variables.
      return args.flatMap((arg) => marked(arg, false, false));
    case 'gzip_disable':
      return args.filter((arg) => arg.value !== 'msie6' && arg.value !== 'degradation').flatMap((arg) => whole(arg, false));
    case 'fastcgi_split_path_info':
      return whole(args[0], false);
    default:
      return NONE;
  }
}

/**
 * ngx_http_rewrite_if_condition(): `($var ~ regex)` and the other regex operators, where the last
 * word may carry the closing `)`.
 */
function ifRegex(args: readonly Word[]): CompiledRegex[] {
  const operator = args.findIndex((arg) => IF_REGEX_OPERATORS.has(arg.value));
  const word = args[operator + 1];
  if (operator < 1 || !word) return NONE;
  const last = word === args[args.length - 1];
  const pattern = last && word.value.endsWith(')') ? word.value.slice(0, -1) : word.value;
  return [{ word, pattern, capturesVariables: true }];
}
