export interface Prescan {
  /** Offset where flow collections (`[`/`{`) nest deeper than the limit, or -1. */
  tooDeepAt: number;
  /** Offset of a quote that opens a scalar never closed, or -1. */
  unclosedQuoteAt: number;
}

/**
 * A lexical pass over YAML text before the real parser sees it.
 *
 * The yaml parser recurses per flow level and a few hundred KiB of `[` exhausts V8's memory
 * (the process dies, it does not throw), so hostile input must be refused before parsing.
 * The parser reports an unclosed quote at the end of the file; the engineer needs the line
 * where it opens. The scan skips comments and quoted scalars; it may over-count brackets in
 * plain text, which only matters past a nesting limit no real Margo document comes near.
 */
export function prescanYaml(text: string, nestingLimit: number): Prescan {
  let depth = 0;
  let i = 0;
  const n = text.length;
  let prev = '\n';
  while (i < n) {
    const c = text[i] as string;
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if ((c === '"' || c === "'") && isTokenStart(prev)) {
      const end = skipQuoted(text, i, c);
      if (end < 0) return { tooDeepAt: -1, unclosedQuoteAt: i };
      i = end;
      prev = c;
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth > nestingLimit) return { tooDeepAt: i, unclosedQuoteAt: -1 };
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
    prev = c;
    i++;
  }
  return { tooDeepAt: -1, unclosedQuoteAt: -1 };
}

function isTokenStart(prev: string): boolean {
  return ' \t\n[{,:-?'.includes(prev);
}

/** Offset just after the closing quote, or -1 when the scalar never closes. */
function skipQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return -1;
}
