// Test documents with the cursor marked by `|` (as css-languageservice's tests do).

export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | cursor marker in test input');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
