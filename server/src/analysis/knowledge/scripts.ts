// What nginx's script compiler reads: the arguments it compiles as scripts or complex values, and
// the variable references in them it refuses (src/http/ngx_http_script.c, its stream twin).

/** The words of a directive's arguments that nginx compiles. */
type Pick = <T extends { value: string }>(args: readonly T[]) => readonly T[];
const all: Pick = (args) => args;
const first: Pick = (args) => args.slice(0, 1);
const second: Pick = (args) => args.slice(1, 2);
/** `if (...)`: every operand but the regular expression after `~`, `~*`, `!~`, `!~*` (ngx_http_rewrite_if_condition()). */
const condition: Pick = (args) => args.filter((_, i) => i === 0 || !/^!?~\*?$/.test(args[i - 1].value));

/**
 * The arguments that nginx compiles as complex values or scripts (ngx_http_compile_complex_value(),
 * ngx_http_script_compile(), their stream twins, and the *_set_complex_value_slot handlers of
 * nginx 1.22's modules): the variables they name must exist once the configuration is read. Other
 * directives take `$` literally or define variables: they are not read for uses.
 */
export const COMPILED_ARGUMENTS: ReadonlyMap<string, Pick> = new Map([
  ...[
    'return', 'try_files', 'index', 'error_page', 'access_log', 'sub_filter', 'expires', 'image_filter',
    'proxy_cache_bypass', 'proxy_no_cache', 'fastcgi_cache_bypass', 'fastcgi_no_cache',
    'scgi_cache_bypass', 'scgi_no_cache', 'uwsgi_cache_bypass', 'uwsgi_no_cache',
  ].map((name): [string, Pick] => [name, all]),
  ...[
    'proxy_pass', 'fastcgi_pass', 'grpc_pass', 'uwsgi_pass', 'scgi_pass', 'root', 'alias', 'auth_basic',
    'auth_basic_user_file', 'proxy_set_body', 'proxy_cache_key', 'fastcgi_cache_key', 'scgi_cache_key',
    'uwsgi_cache_key', 'limit_req_zone', 'limit_conn_zone', 'hash', 'ssl_certificate', 'ssl_certificate_key',
    'limit_rate', 'limit_rate_after', 'proxy_method', 'proxy_download_rate', 'proxy_upload_rate',
    'proxy_ssl_name', 'proxy_ssl_certificate', 'proxy_ssl_certificate_key', 'grpc_ssl_name',
    'grpc_ssl_certificate', 'grpc_ssl_certificate_key', 'uwsgi_ssl_name', 'uwsgi_ssl_certificate',
    'uwsgi_ssl_certificate_key', 'secure_link', 'secure_link_md5', 'map', 'split_clients',
    // ngx_http_upstream_bind_set_slot(), and the cache and store handlers of each upstream module.
    'proxy_bind', 'fastcgi_bind', 'scgi_bind', 'uwsgi_bind', 'grpc_bind', 'memcached_bind',
    'proxy_cache', 'fastcgi_cache', 'scgi_cache', 'uwsgi_cache', 'proxy_store', 'fastcgi_store', 'scgi_store', 'uwsgi_store',
    'image_filter_jpeg_quality', 'image_filter_webp_quality', 'image_filter_sharpen',
  ].map((name): [string, Pick] => [name, first]),
  ...[
    'proxy_set_header', 'grpc_set_header', 'fastcgi_param', 'scgi_param', 'uwsgi_param', 'add_header',
    'add_trailer', 'set', 'auth_request_set', 'rewrite', 'xslt_string_param',
  ].map((name): [string, Pick] => [name, second]),
  // ngx_http_log_compile_format(): every word after the name (escape= has no `$`).
  ['log_format', (args) => args.slice(1)],
  // ngx_http_geo_block(): the source address, when one is given before the variable.
  ['geo', (args) => (args.length === 2 ? args.slice(0, 1) : [])],
  ['if', condition],
  // ngx_http_proxy_redirect() and the proxy_cookie_* handlers: the replacement, and the first word
  // unless it is a regex (`~...`, whose `$` is PCRE's).
  ...['proxy_redirect', 'proxy_cookie_domain', 'proxy_cookie_path'].map((name): [string, Pick] => [name, (args) => (args.length === 2 ? args.filter((arg, i) => i === 1 || !arg.value.startsWith('~')) : [])]),
]);

/**
 * Directives compiled when a server's configuration is merged with the http level's
 * (ngx_http_proxy_merge_loc_conf()'s ngx_http_proxy_init_headers(), the fastcgi, scgi, uwsgi and grpc
 * twins, ngx_http_ssl_merge_srv_conf()): at the http level of a tree without servers, never.
 */
export const COMPILED_WHEN_MERGED: ReadonlySet<string> = new Set([
  'proxy_set_header', 'grpc_set_header', 'fastcgi_param', 'scgi_param', 'uwsgi_param', 'ssl_certificate', 'ssl_certificate_key',
]);

const isNameCharacter = (ch: string) => (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch === '_';

/**
 * What nginx refuses in a word it compiles, or undefined: ngx_http_script_compile() reads `$` and
 * then a capture digit, `{name}` or a name, and answers `invalid variable name` to a `$` with no name
 * after it and `the closing bracket in "x" variable is missing` to a `${x` without its `}`.
 * ngx_http_log_compile_format() reads a log_format's words alike, with no captures, and names the
 * rest of the word instead (`invalid parameter "$"`).
 */
export function variableReferenceProblem(word: string, logFormat = false): string | undefined {
  for (let at = word.indexOf('$'); at !== -1; at = word.indexOf('$', at)) {
    const invalid = logFormat ? `invalid parameter "${word.slice(at)}"` : 'invalid variable name';
    let i = at + 1;
    if (i === word.length) return invalid;
    if (!logFormat && word[i] >= '1' && word[i] <= '9') {
      at = i + 1;
      continue;
    }
    const bracket = word[i] === '{';
    if (bracket && ++i === word.length) return invalid;
    const name = i;
    while (i < word.length && isNameCharacter(word[i])) i++;
    if (bracket && word[i] !== '}') return `the closing bracket in "${word.slice(name, i)}" variable is missing`;
    if (i === name) return invalid;
    at = bracket ? i + 1 : i;
  }
  return undefined;
}
