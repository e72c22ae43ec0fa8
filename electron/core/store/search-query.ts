/**
 * The words of what an engineer types, as search takes them: runs of letters and digits,
 * at most 16 ("press mon" is two words, each matched as a prefix).
 */
export function searchWords(input: string): string[] {
  return input
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 16);
}

/**
 * Turns what an engineer types into an FTS5 query: every word must match as a prefix
 * ("press mon" finds "Press Monitor"). Quotes and operators are neutralised, so no input
 * is an FTS syntax error.
 */
export function toFtsQuery(input: string): string | undefined {
  const words = searchWords(input);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' AND ');
}
