export * from './ast';
export { parse, checkSyntax, isLuaBlockDirective, statementSpan } from './parser';
export { detached } from './tokenizer';
export { movedSpan, recheckSyntax, reparse } from './incremental';
export { LineIndex, NginxLines, type Position, type Range } from './positions';
export { walk, walkFrames, addNamed, directiveAt, directivesNamed, keepNameIndex, reindexedByName, replaced, rereadDirectives, type WalkFrame, type Visit } from './walk';
