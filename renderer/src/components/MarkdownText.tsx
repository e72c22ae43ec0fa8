import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { lazy, Suspense, useMemo } from 'react';
import type { PackageText } from '../../../shared/contract/catalog';
import { formatBytes } from '../format';
import { testIds } from '../test-ids';
import { withoutRepeatedHeading } from './repeated-heading';
import { MAX_MARKDOWN_CHARS, plainTextReason, type PlainReason } from './markdown-limits';

// The Markdown parser is its own chunk: only the panes that show a package's texts fetch it.
const MarkdownRendered = lazy(() =>
  import('./MarkdownRendered').then((m) => ({ default: m.MarkdownRendered })),
);

function plainNote(reason: PlainReason): string {
  return reason.why === 'too-deep'
    ? 'Shown as plain text: it nests more deeply than Commissioner formats.'
    : `Shown as plain text: it is longer (${formatBytes(reason.chars)}) than Commissioner formats (${formatBytes(MAX_MARKDOWN_CHARS)}).`;
}

/**
 * A package's Markdown, as text and structure only: raw HTML is dropped (no rehype-raw),
 * images show their alt text (nothing is fetched), and links never navigate the app: in the
 * desktop app they are text with their address; in a browser they open a new tab. Markdown
 * too long or too deeply nested to format safely (markdown-limits.ts) is shown as plain text,
 * with a note saying why.
 */
export function MarkdownText({
  text,
  host,
  testId,
  under = [],
}: {
  text: PackageText;
  host: 'electron' | 'browser';
  testId?: string;
  /** What the pane says above the text: a first heading repeating it is not shown again. */
  under?: readonly string[];
}) {
  const plain = useMemo(
    () => (text.format === 'markdown' ? plainTextReason(text.text) : null),
    [text.format, text.text],
  );
  const shown = useMemo(() => withoutRepeatedHeading(text.text, under), [text.text, under]);
  if (text.format === 'binary') {
    return (
      <Box data-testid={testId} sx={{ fontStyle: 'italic' }}>
        {text.path.toLowerCase().endsWith('.pdf')
          ? `license file (PDF) in the package: ${text.path}`
          : `file in the package: ${text.path}`}
      </Box>
    );
  }
  if (text.format === 'text' || plain) {
    return (
      <Box data-testid={testId}>
        {plain && (
          <Typography
            variant="caption"
            color="text.secondary"
            component="p"
            data-testid={testIds.packageContent.plainNote}
            sx={{ mb: 0.5 }}
          >
            {plainNote(plain)}
          </Typography>
        )}
        <Box
          component="pre"
          sx={{
            whiteSpace: 'pre-wrap',
            overflowWrap: 'anywhere',
            fontFamily: 'monospace',
            fontSize: 12,
            m: 0,
          }}
        >
          {text.text}
        </Box>
      </Box>
    );
  }
  return (
    <Suspense fallback={null}>
      <MarkdownRendered text={shown} host={host} testId={testId} />
    </Suspense>
  );
}
