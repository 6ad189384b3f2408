export * from './ast';
export { parse, checkSyntax, isLuaBlockDirective, statementSpan } from './parser';
export { movedOffset, recheckSyntax, reparse } from './incremental';
export { LineIndex, NginxLines, type Position, type Range } from './positions';
export { walk, directiveAt, directivesNamed, keepNameIndex, replaced, rereadBody, type Visit } from './walk';
