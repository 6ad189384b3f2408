import { statementSpan } from '../../../parser';
import { isFixedVariable } from '../../knowledge/variables';
import { placedNamed } from './configuration';
import type { LoadProblem, LoadRule } from './rule';
import { DEFINED_ARGUMENT } from './unknownVariable';

const VARIABLE = /^\$(\w+)$/;

/**
 * `set`, `map`, `geo`, `split_clients`, `auth_request_set`, `perl_set` or `js_set` defining a variable
 * that nginx itself defines and does not let change, such as `$host` or `$server_name`:
 * ngx_http_add_variable() (and ngx_stream_add_variable()) finds the built-in one and refuses it
 * without NGX_HTTP_VAR_CHANGEABLE. nginx names the directive, and the name as written.
 */
export const duplicateVariable: LoadRule = {
  id: 'duplicate-variable',
  severity: 'error',
  description: 'A set, map, geo or other definition of a variable that nginx defines and does not let change ($host, $server_name...).',
  check(configuration, target) {
    const problems: LoadProblem[] = [];
    for (const [name, defined] of DEFINED_ARGUMENT) {
      for (const placed of placedNamed(configuration, name)) {
        const { directive, context } = placed;
        if (context.kind !== 'directives' || (context.family !== 'http' && context.family !== 'stream')) continue;
        const variable = VARIABLE.exec(defined(directive.args)?.value ?? '')?.[1];
        if (variable && isFixedVariable(variable.toLowerCase(), context.family, target)) {
          problems.push({ at: placed, span: statementSpan(directive), message: `the duplicate "${variable}" variable` });
        }
      }
    }
    return problems;
  },
};
