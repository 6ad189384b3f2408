export * from './ast';
export { parse, isLuaBlockDirective, statementSpan } from './parser';
export { reparse } from './incremental';
export { LineIndex, NginxLines, type Position, type Range } from './positions';
export { walk, directiveAt, directivesNamed, type Visit } from './walk';
