/** Words as the FTS5 unicode61 tokenizer sees them: letters, digits, combining marks; anything else separates. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * A user's text as an FTS5 query: every distinct word as a quoted string, joined with OR, so a document matches any
 * word and BM25 ranks it by how many of the words it has and how rare they are. Quoting turns FTS5 syntax in the
 * text (AND, OR, NEAR(, *, ^, column:) into plain words, and a word holds no quote to escape. Null when there are no
 * words (e.g. only punctuation or emoji), which matches nothing.
 */
export function ftsQuery(text: string): string | null {
  const words = [...new Set(text.toLowerCase().match(WORD) ?? [])];
  return words.length > 0 ? words.map((word) => `"${word}"`).join(' OR ') : null;
}
