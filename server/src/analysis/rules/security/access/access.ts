// The access phase as nginx runs it: the allow/deny rules in force (ngx_http_access_merge_loc_conf()
// takes the level's own rules, else the inherited ones) and the other checks of that phase.

import { listInForce, type Level, type Placed } from '../../../websocket/levels';
import { valueInForce } from '../rule';

/** The allow/deny rules in force at the innermost level, in order; undefined: none anywhere. */
export const accessRules = (levels: readonly Level[]) => listInForce(levels, ['allow', 'deny']);

/** True when the rules refuse some clients: a `deny` that is reached (no `allow all` before it). */
export function denies(rules: readonly Placed[]): boolean {
  for (const rule of rules) {
    const [who] = rule.directive.args;
    if (rule.directive.name.value === 'deny') return true;
    if (who?.value === 'all') return false;
  }
  return false;
}

const AUTHENTICATION = ['auth_basic', 'auth_request', 'auth_jwt'];

/** auth_basic or auth_request in force (not `off`): the access phase asks for credentials. */
export function authenticates(levels: readonly Level[]): boolean {
  return AUTHENTICATION.some((name) => {
    const value = valueInForce(levels, name)?.directive.args[0]?.value;
    return value !== undefined && value !== 'off';
  });
}

/** Access control in force: rules that deny, or authentication. */
export const restricts = (levels: readonly Level[]) => denies(accessRules(levels)?.entries ?? []) || authenticates(levels);
