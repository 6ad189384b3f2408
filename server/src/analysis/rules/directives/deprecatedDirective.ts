import { statementSpan, type Comment, type Directive } from '../../../parser';
import { insertLinesIntoBlock } from '../../edits';
import { compareVersions, parseVersion } from '../../knowledge/versions';
import type { Fix, TextEdit } from '../../types';
import type { ConfigFile } from '../../workspace';
import type { DirectiveRule } from './directiveRule';

/** The release whose `http2` directive replaces `listen ... http2` (ngx_http_core_listen() warns from then on). */
const HTTP2_DIRECTIVE_SINCE = parseVersion('1.25.1')!;

/**
 * A directive that the target nginx reads but warns about (`nginx -t` prints "[warn]"): deprecated
 * or obsolete, with what to use instead. Checked last, as nginx warns once the value is read.
 */
export const deprecatedDirective: DirectiveRule = {
  id: 'deprecated-directive',
  severity: 'warning',
  description: 'A directive or listen parameter that the target nginx reads but calls deprecated or obsolete ("ssl on", "listen ... http2", http2_* settings).',
  check(entry) {
    const { directive, allowed, context, target } = entry;
    const span = statementSpan(directive);
    if (allowed.length > 0 && allowed.every((spec) => spec.warning)) return { message: allowed[0].warning!, span };
    if (isHttp2Listen(directive) && context.kind === 'directives' && context.family === 'http' && compareVersions(target.version, HTTP2_DIRECTIVE_SINCE) >= 0) {
      return { message: 'the "listen ... http2" directive is deprecated, use the "http2" directive instead', span };
    }
    return undefined;
  },
};

const isHttp2Listen = (node: Directive | Comment): node is Directive =>
  node.kind === 'directive' && node.name.value === 'listen' && node.args.slice(1).some((arg) => arg.value === 'http2');

/**
 * The fix of `listen ... http2` in a server: `http2` taken off each of the server's listens (an IPv4 and
 * an IPv6 one often carry it both) and one `http2 on;` after them, unless the server has it already.
 */
export function http2ListenFix(file: ConfigFile, listen: Directive, server: Directive | undefined): Fix | undefined {
  const children = server?.block?.children;
  if (!server || !children?.includes(listen)) return undefined;
  const listens = children.filter(isHttp2Listen);
  const edits: TextEdit[] = listens.map((directive) => {
    const at = directive.args.findIndex((arg, index) => index > 0 && arg.value === 'http2');
    return { file: file.path, span: { start: directive.args[at - 1].end, end: directive.args[at].end }, newText: '' };
  });
  if (!children.some((node) => node.kind === 'directive' && node.name.value === 'http2')) edits.push(insertLinesIntoBlock(file, server, listens, ['http2 on;']));
  return { title: 'Replace "listen ... http2" with "http2 on;"', preferred: true, edits };
}
