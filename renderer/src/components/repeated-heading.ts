/** Case, spacing and punctuation apart, the same words ("Release Notes:" = "release notes"). */
function key(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A package's Markdown without its first heading when that heading only repeats what the pane
 * already says above it (the section's title, the app's name): a supplier's release notes
 * start with "# Release notes" under the section "Release notes". Any other heading stays.
 */
export function withoutRepeatedHeading(markdown: string, said: readonly string[]): string {
  const keys = new Set(said.map(key).filter(Boolean));
  const lines = markdown.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return markdown;
  const line = lines[first] as string;
  const atx = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*\r?$/.exec(line);
  // Setext: the heading's text, then a line of = or -.
  const setext = !atx && /^ {0,3}(=+|-+)[ \t]*\r?$/.test(lines[first + 1] ?? '') ? line : undefined;
  const heading = atx?.[1] ?? setext;
  if (heading === undefined || !keys.has(key(heading))) return markdown;
  return lines.slice(first + (atx ? 1 : 2)).join('\n');
}
