export * from './ast';
export { parse, checkSyntax, isLuaBlockDirective, statementSpan } from './parser';
export { movedOffset, recheckSyntax, reparse } from './incremental';
export { LineIndex, NginxLines, type Position, type Range } from './positions';
export { walk, addNamed, directiveAt, directivesNamed, keepNameIndex, reindexedByName, replaced, rereadBody, type Visit } from './walk';
