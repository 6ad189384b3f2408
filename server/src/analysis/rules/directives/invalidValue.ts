import { statementSpan, type Block, type Directive } from '../../../parser';
import type { DirectiveEntry } from '../../directiveIndex';
import { parameterSince, untakenParameter, type DirectiveSpec } from '../../knowledge/directives';
import { isPort, portOf, UPSTREAM_ADDRESSES, uriPart, withoutScheme } from '../../knowledge/addresses';
import { dataBlockCheck, hasHandlerCheck, handlerValueProblem, type DataBlockCheck } from '../../knowledge/handlerValues';
import { COMPILED_ARGUMENTS, COMPILED_WHEN_MERGED, variableReferenceProblem } from '../../knowledge/scripts';
import { valueProblem } from '../../knowledge/values';
import { compareVersions, parseVersion } from '../../knowledge/versions';
import type { DirectiveRule } from './directiveRule';

/**
 * A value that the directive's handler refuses at load: for the ngx_conf_set_*_slot handlers a flag
 * other than on/off, a time, size or number nginx cannot read, a word outside an enum or bitmask
 * (such as `proxy_http_version 2` before nginx 1.30); for `listen`, a parameter its release lacks
 * (`quic` before 1.25). Checked after the argument count, as ngx_conf_handler() calls the handler only then.
 */
export const invalidValue: DirectiveRule = {
  id: 'invalid-value',
  severity: 'error',
  description: 'A value that nginx refuses when it loads the configuration (on/off, a time, a size, a number, one of a list of words).',
  check(entry, file) {
    const { directive, allowed, context } = entry;
    if (context.kind === 'data') {
      // Map and types lines are judged by the directive rules' syntax alone.
      const check = dataBlockCheck(context.owner);
      if (!check || !directive.terminator) return undefined;
      const block = entry.parent?.directive.block;
      const message = dataLineProblemsOf(check, block ?? file.tree.root, block !== undefined).get(directive);
      return message ? { message, span: statementSpan(directive) } : undefined;
    }
    if (!directive.terminator || allowed.length === 0) return undefined;
    const message = formsProblem(entry) ?? handlerProblem(entry) ?? namedProblem(entry) ?? scriptProblem(entry);
    return message === undefined ? undefined : { message, span: statementSpan(directive) };
  },
};

type Check = (entry: DirectiveEntry) => string | undefined;

const wordsOf = (line: Directive) => [line.name.value, ...line.args.map((arg) => arg.value)];

/**
 * The problems of a data block's lines, read once per block and kept by its children: reparse()
 * gives a block it re-reads a new array of them.
 */
const keptLineProblems = new WeakMap<Block['children'], Map<Directive, string>>();

function dataLineProblemsOf(check: DataBlockCheck, block: Pick<Block, 'children'>, whole: boolean): ReadonlyMap<Directive, string> {
  const kept = keptLineProblems.get(block.children);
  if (kept) return kept;
  const lines = block.children.filter((node): node is Directive => node.kind === 'directive');
  const problems = new Map<Directive, string>();
  check(lines.map(wordsOf), whole).forEach((problem, i) => {
    if (problem) problems.set(lines[i], problem);
  });
  keptLineProblems.set(block.children, problems);
  return problems;
}

/** The checks of a directive's words beyond its handler's values, by name, in the order nginx's handler makes them. */
function namedProblem(entry: DirectiveEntry): string | undefined {
  const checks = CHECKS_BY_NAME.get(entry.directive.name.value);
  if (!checks) return undefined;
  for (const check of checks) {
    const problem = check(entry);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * A variable reference that nginx's script compiler refuses (`${x` without its `}`), in a word the
 * directive compiles. `if` names its first operand's variable without compiling it: left out. What
 * a server compiles as it merges the http level's is not compiled at the http level of a tree
 * without servers: left out there.
 */
function scriptProblem(entry: DirectiveEntry): string | undefined {
  const { directive, context } = entry;
  const name = directive.name.value;
  const pick = name === 'if' ? undefined : COMPILED_ARGUMENTS.get(name);
  if (!pick || (COMPILED_WHEN_MERGED.has(name) && context.kind === 'directives' && context.name === 'http')) return undefined;
  for (const word of pick(directive.args)) {
    const problem = word.value.includes('$') ? variableReferenceProblem(word.value, name === 'log_format') : undefined;
    if (problem) return problem;
  }
  return undefined;
}

/** What the directive's own handler refuses (knowledge/handlerValues.ts); words are read only for a directive it checks. */
function handlerProblem(entry: DirectiveEntry): string | undefined {
  const { directive, context, allowed } = entry;
  if (!hasHandlerCheck(directive.name.value)) return undefined;
  const where = context.kind === 'directives' ? { family: context.family, block: context.name } : { family: allowed[0].family, block: '' };
  return handlerValueProblem(directive.name.value, where, directive.args.map((arg) => arg.value), entry.target);
}

/** What every allowed form refuses: where forms differ (a name of two modules), only a value every form refuses. */
function formsProblem(entry: DirectiveEntry): string | undefined {
  const { directive, allowed } = entry;
  let args: string[] | undefined;
  let message: string | undefined;
  for (const spec of allowed) {
    const problem = spec.parameters ? parameterProblem(entry, spec) : spec.value && valueProblem(spec.value, directive.name.value, (args ??= directive.args.map((arg) => arg.value)));
    if (!problem) return undefined;
    message ??= problem;
  }
  return message;
}

/** The balancing methods whose upstream flags lack NGX_HTTP_UPSTREAM_BACKUP (least_conn keeps it). */
const WITHOUT_BACKUP = new Set(['ip_hash', 'hash', 'random']);

/**
 * ngx_http_upstream_server() and its stream twin: `backup` on a server read after a balancing method
 * that has no backup servers (ip_hash, hash, random set the upstream's flags without it).
 */
function balancerProblem(entry: DirectiveEntry): string | undefined {
  const { directive, context } = entry;
  if (context.kind !== 'directives' || context.name !== 'upstream' || !directive.args.slice(1).some((arg) => arg.value === 'backup')) return undefined;
  return entry.directivesBefore()?.some((node) => WITHOUT_BACKUP.has(node.name.value)) ? 'balancing method does not support parameter "backup"' : undefined;
}

/**
 * ngx_http_proxy_redirect(): `proxy_redirect default` is made from the proxy_pass read before it in
 * the same block, which must be there and have no variables. An include before it may hold one.
 */
function redirectDefaultProblem(entry: DirectiveEntry): string | undefined {
  const { directive } = entry;
  if (directive.args.length !== 1 || directive.args[0].value !== 'default') return undefined;
  // At a file's top level (a snippet), the block it is included into is another file's.
  const before = entry.directivesBefore();
  if (!before || before.some((node) => node.name.value === 'include')) return undefined;
  const pass = before.filter((node) => node.name.value === 'proxy_pass').pop();
  if (!pass) return '"proxy_redirect default" should be placed after the "proxy_pass" directive';
  return pass.args[0]?.value.includes('$') ? '"proxy_redirect default" cannot be used with "proxy_pass" directive with variables' : undefined;
}

/** An http proxy_pass without variables: its URL (the stream one takes a bare address). */
function staticHttpProxyPass(entry: DirectiveEntry): string | undefined {
  const { directive, context } = entry;
  const value = directive.args[0]?.value;
  if (directive.name.value !== 'proxy_pass' || context.kind !== 'directives' || context.family !== 'http' || value === undefined || value.includes('$')) return undefined;
  return value;
}

/** ngx_http_proxy_pass(): a URL without variables must start with http:// or https://. */
function proxyPassSchemeProblem(entry: DirectiveEntry): string | undefined {
  const url = staticHttpProxyPass(entry);
  return url !== undefined && !/^https?:\/\//i.test(url) ? 'invalid URL prefix' : undefined;
}

/**
 * ngx_http_proxy_pass(): where nginx cannot tell which part of the request URI to replace - a regex
 * location, a named one, an `if` or `limit_except` block (clcf->regex, named, noname) - the URL may
 * not have a URI part, not even "/".
 */
function proxyPassUriProblem(entry: DirectiveEntry): string | undefined {
  const block = entry.parent?.directive;
  if (!block) return undefined;
  const name = block.name.value;
  const first = block.args[0]?.value ?? '';
  const withoutUri = name === 'if' || name === 'limit_except' || (name === 'location' && (/^~\*?$/.test(first) || first.startsWith('@')));
  const url = withoutUri ? staticHttpProxyPass(entry) : undefined;
  if (url === undefined) return undefined;
  if (uriPart(withoutScheme(url, ['http://', 'https://'])) === '') return undefined;
  return '"proxy_pass" cannot have URI part in location given by regular expression, or inside named location, or inside "if" statement, or inside "limit_except" block';
}

/**
 * `invalid host in upstream "..."` and `invalid port in upstream "host:port"`: ngx_parse_inet_url()
 * (src/core/ngx_inet.c) refuses a URI part where the directive takes none (`fastcgi_pass
 * http://php:9000`), then reads the port from the first `:` of the host part with ngx_atoi() and
 * refuses what is not 1 to 65535; a stream upstream's server must have one (`no port in upstream "app"`). A value
 * with variables is read per request; ranges and sockets are left alone.
 */
function upstreamAddressProblem(entry: DirectiveEntry): string | undefined {
  const { directive, context } = entry;
  const kind = UPSTREAM_ADDRESSES.get(directive.name.value);
  const value = directive.args[0]?.value;
  if (!kind || value === undefined || value.includes('$') || context.kind !== 'directives') return undefined;
  if ((directive.name.value === 'server') !== (context.name === 'upstream')) return undefined;
  const url = withoutScheme(value, context.family === 'http' ? kind.schemes : []);
  if (url.startsWith('unix:')) return undefined;
  const uri = uriPart(url);
  // The stream tree's proxy_pass takes an address alone (ngx_stream_proxy_pass(): no u.uri_part).
  if (uri !== '' && !(kind.uriPart && context.family === 'http')) return `invalid host in upstream "${url}"`;
  const port = portOf(url.slice(0, url.length - uri.length));
  // ngx_stream_upstream_server() parses its address with no default port.
  if (port === undefined && context.family === 'stream' && directive.name.value === 'server') return `no port in upstream "${url}"`;
  if (port === undefined || port.includes('-') || isPort(port)) return undefined;
  return `invalid port in upstream "${url}"`;
}

/**
 * Stream's and mail's listen said `the invalid "x" parameter` until the stream listen was rewritten
 * for virtual servers (1.25.5); the data's 1.24.0 has the old words, 1.26.3 the new ones.
 */
const PARAMETER_WORDS_SINCE = parseVersion('1.25.5')!;

/** ngx_http_core_listen() and its stream and mail twins: `invalid parameter "x"` for a word after the address they do not compare. */
function parameterProblem(entry: DirectiveEntry, spec: DirectiveSpec): string | undefined {
  const wrong = untakenParameter(spec, entry.directive.args);
  if (!wrong) return undefined;
  const since = parameterSince(spec.name, spec.family, wrong.value);
  const oldWords = spec.family !== 'http' && compareVersions(entry.target.version, PARAMETER_WORDS_SINCE) < 0;
  return (oldWords ? `the invalid "${wrong.value}" parameter` : `invalid parameter "${wrong.value}"`) + (since ? ` (nginx ${since} has it; the target is nginx ${entry.target.label})` : '');
}

/**
 * ngx_http_core_listen(), once the words are read: a `quic` listen is a UDP socket, which takes none
 * of these TCP or TLS-over-TCP parameters (tested in this order; fastopen, deferred and multipath as
 * a Linux build has them, accept_filter being FreeBSD's).
 */
const QUIC_INCOMPATIBLE: ReadonlyArray<[string, (word: string) => boolean]> = [
  ['fastopen', (word) => word.startsWith('fastopen=')],
  ['backlog', (word) => word.startsWith('backlog=')],
  ...['deferred', 'multipath', 'ssl', 'http2'].map((name): [string, (word: string) => boolean] => [name, (word) => word === name]),
  ['so_keepalive', (word) => word.startsWith('so_keepalive=')],
  ['proxy_protocol', (word) => word === 'proxy_protocol'],
];

function quicListenProblem({ directive, context }: DirectiveEntry): string | undefined {
  if (context.kind !== 'directives' || context.family !== 'http') return undefined;
  const words = directive.args.slice(1).map((arg) => arg.value);
  if (!words.includes('quic')) return undefined;
  const clash = QUIC_INCOMPATIBLE.find(([, matches]) => words.some(matches));
  return clash && `"listen" directive "${clash[0]}" parameter is incompatible with "quic"`;
}

const CHECKS_BY_NAME: ReadonlyMap<string, readonly Check[]> = new Map<string, readonly Check[]>([
  ['listen', [quicListenProblem]],
  ...[...UPSTREAM_ADDRESSES.keys()].map((name): [string, readonly Check[]] => [name, [upstreamAddressProblem]]),
  ['server', [balancerProblem, upstreamAddressProblem]],
  // As ngx_http_proxy_pass() finds them: the scheme, the address, then where a URI may stand.
  ['proxy_pass', [proxyPassSchemeProblem, upstreamAddressProblem, proxyPassUriProblem]],
  ['proxy_redirect', [redirectDefaultProblem]],
  ['access_log', [streamLogFormatProblem]],
]);

/**
 * ngx_stream_log_set_log(): a stream access_log other than `off` names its format, as the stream
 * tree has no default `combined` (ngx_stream_log_module.c: "log format is not specified").
 */
function streamLogFormatProblem(entry: DirectiveEntry): string | undefined {
  const { directive, context } = entry;
  const isStream = context.kind === 'directives' && context.family === 'stream';
  return isStream && directive.args.length === 1 && directive.args[0].value !== 'off' ? 'log format is not specified' : undefined;
}
