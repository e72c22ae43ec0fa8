/**
 * What Commissioner formats as Markdown, and what it shows as plain text instead.
 *
 * A supplier's Markdown is parsed and drawn by recursive code (micromark, mdast-util-to-hast,
 * React): about 2,000 nested `>` — two kilobytes — overflow the stack and used to take the whole
 * window down, and the parser's time grows faster than the input with nesting (1,500 nested
 * list items, 3 KB, take seconds). So a text is measured before it is parsed, in one pass over
 * its characters, and is formatted only when it is short and shallow enough.
 */

/** Far above what people write (a list in a quote in a list, some bold) and far below harm. */
export const MAX_MARKDOWN_NESTING = 32;

/**
 * micromark's time grows faster than the text for some shapes (thousands of separate block
 * quotes or lists): 16 K characters of them parse in about a second. Longer texts (a full
 * changelog, a long license) are shown whole, as plain text.
 */
export const MAX_MARKDOWN_CHARS = 16 * 1024;

export type PlainReason = { why: 'too-long'; chars: number } | { why: 'too-deep'; nesting: number };

/** Why this Markdown is shown as plain text, or null when it is formatted. */
export function plainTextReason(markdown: string): PlainReason | null {
  if (markdown.length > MAX_MARKDOWN_CHARS) return { why: 'too-long', chars: markdown.length };
  const nesting = markdownNestingBound(markdown);
  return nesting > MAX_MARKDOWN_NESTING ? { why: 'too-deep', nesting } : null;
}

const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;

/** A list marker at `i` (`-`, `+`, `*`, `1.`, `1)` followed by a space, a tab or the line's end): its length, or 0. */
function listMarkerAt(line: string, i: number): number {
  let end = i;
  const c = line[i];
  if (c === '-' || c === '+' || c === '*') end = i + 1;
  else {
    while (end < line.length && end - i < 9 && line[end]! >= '0' && line[end]! <= '9') end++;
    if (end === i || (line[end] !== '.' && line[end] !== ')')) return 0;
    end++;
  }
  const next = line[end];
  return next === undefined || next === ' ' || next === '\t' ? end - i : 0;
}

interface LinePrefix {
  /** `>` and list markers in the line's leading run of markers and white space. */
  markers: number;
  /** White space in that run, a tab as four columns (at most what it is). */
  columns: number;
  /** Where the line's text starts. */
  contentStart: number;
  /**
   * The first list marker is a bullet or `1.`/`1)` with fewer than four columns of white space
   * before it: then a non-blank line starts a list item, which ends any open paragraph.
   */
  startsItem: boolean;
}

function linePrefix(line: string): LinePrefix {
  let markers = 0;
  let columns = 0;
  let startsItem = false;
  let sawList = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      columns += c === ' ' ? 1 : 4;
      i++;
    } else if (c === '>') {
      markers++;
      i++;
    } else {
      const marker = listMarkerAt(line, i);
      if (marker === 0) break;
      if (!sawList) {
        sawList = true;
        const text = line.slice(i, i + marker);
        startsItem = columns < 4 && (marker === 1 || text === '1.' || text === '1)');
      }
      markers++;
      i += marker;
    }
  }
  return { markers, columns, contentStart: i, startsItem };
}

const HEADING = /^#{1,6}(?:[ \t]|$)/;
/** Characters that may start a span whose `*` and `_` are not delimiters (code, HTML, escapes, link targets). */
const HIDING = new Set(['`', '<', '\\', ']']);

type Open = Record<'*' | '_', { only: number; either: number }>;

/**
 * An upper bound of a Markdown text's nesting: block containers (quotes, list items) plus,
 * within a paragraph, emphasis and a link. Linear in the text's length; never below what the
 * parser builds (a property test holds it to that), above it for some texts, which is why the
 * limit is generous.
 *
 * Containers: each `>` and list marker at a line's start opens at most one level; a list item
 * goes on only on a line indented two columns for it, and only as many as were open.
 * Emphasis, per delimiter character with CommonMark's flanking rules: a run that can only open
 * adds its length, one that could open or close counts as opening, and one that can only close
 * takes back what openers added — until something that could hide a delimiter (a code span,
 * HTML, an escape, a link target) has appeared in the paragraph; from then on closers take
 * nothing back.
 */
export function markdownNestingBound(markdown: string): number {
  let deepest = 0;
  // Containers that may be open after the last line, and whether that line may have left a
  // paragraph open (the next line may then continue it lazily, inside all its containers).
  let open = 0;
  let inParagraph = false;
  // The paragraph being read: its deepest containers, its emphasis, link and hiding marks.
  let blocks = 0;
  let inline = 0;
  let link = false;
  let hidden = false;
  let delimiters: Open = { '*': { only: 0, either: 0 }, _: { only: 0, either: 0 } };
  const newParagraph = () => {
    blocks = 0;
    inline = 0;
    link = false;
    hidden = false;
    delimiters = { '*': { only: 0, either: 0 }, _: { only: 0, either: 0 } };
  };

  for (const line of markdown.split(/\r\n|\r|\n/)) {
    const prefix = linePrefix(line);
    const depth = prefix.markers + Math.min(Math.floor(prefix.columns / 2), open);
    if (/^[\s>]*$/.test(line)) {
      // Blank: it ends the paragraph; list items stay open.
      deepest = Math.max(deepest, depth);
      inParagraph = false;
      newParagraph();
      continue;
    }
    open = inParagraph ? Math.max(open, depth) : depth;
    inParagraph = true;
    const heading = prefix.columns < 4 && HEADING.test(line.slice(prefix.contentStart));
    if (prefix.startsItem || heading) newParagraph();
    blocks = Math.max(blocks, depth);
    for (let i = prefix.contentStart; i < line.length;) {
      const c = line[i]!;
      if (c === '[') link = true;
      if (HIDING.has(c)) hidden = true;
      if (c !== '*' && c !== '_') {
        i++;
        continue;
      }
      let end = i;
      while (line[end] === c) end++;
      const run = end - i;
      // The paragraph's text starts after the containers' markers: that is its line start.
      const before = i === prefix.contentStart ? ' ' : line[i - 1]!;
      const after = end >= line.length ? ' ' : line[end]!;
      const spaceBefore = WHITESPACE.test(before);
      const spaceAfter = WHITESPACE.test(after);
      const punctBefore = PUNCTUATION.test(before);
      const punctAfter = PUNCTUATION.test(after);
      const left = !spaceAfter && (!punctAfter || spaceBefore || punctBefore);
      const right = !spaceBefore && (!punctBefore || spaceAfter || punctAfter);
      const opens = c === '*' ? left : left && (!right || punctBefore);
      const closes = c === '*' ? right : right && (!left || punctAfter);
      const count = delimiters[c];
      if (opens && closes) count.either += run;
      else if (opens) count.only += run;
      else if (closes && !hidden) count.only = Math.max(0, count.only - run);
      const star = delimiters['*'];
      const under = delimiters._;
      inline = Math.max(inline, star.only + star.either + under.only + under.either);
      i = end;
    }
    deepest = Math.max(deepest, blocks + inline + (link ? 1 : 0));
    if (heading) newParagraph();
  }
  return deepest;
}
