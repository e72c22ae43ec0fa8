/**
 * Turns what an engineer types into an FTS5 query: every word must match as a prefix
 * ("press mon" finds "Press Monitor"). Quotes and operators are neutralised, so no input
 * is an FTS syntax error.
 */
export function toFtsQuery(input: string): string | undefined {
  const words = input
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 16);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' AND ');
}
