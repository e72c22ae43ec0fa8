import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import type { PackageText } from '../../../shared/contract/catalog';
import { formatBytes } from '../format';
import { testIds } from '../test-ids';
import { MAX_MARKDOWN_CHARS, plainTextReason, type PlainReason } from './markdown-limits';

function safeHref(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

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
}: {
  text: PackageText;
  host: 'electron' | 'browser';
  testId?: string;
}) {
  const plain = useMemo(
    () => (text.format === 'markdown' ? plainTextReason(text.text) : null),
    [text.format, text.text],
  );
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
  const components: Components = {
    a: ({ href, children }) => {
      const safe = safeHref(href);
      if (host === 'browser' && safe) {
        return (
          <Link href={safe} target="_blank" rel="noopener noreferrer">
            {children}
          </Link>
        );
      }
      return (
        <span>
          {children}
          {safe && String(children) !== safe ? ` (${safe})` : ''}
        </span>
      );
    },
    img: ({ alt }) => <span>{alt ? `[image: ${alt}]` : '[image]'}</span>,
  };
  return (
    <Box
      data-testid={testId}
      sx={{
        fontSize: 13,
        lineHeight: 1.5,
        overflowWrap: 'anywhere',
        '& h1, & h2, & h3, & h4': { fontSize: '1rem', fontWeight: 600, mt: 1.5, mb: 0.5 },
        '& p': { my: 0.75 },
        '& pre': { overflowX: 'auto', p: 1, bgcolor: 'action.hover', borderRadius: 1 },
        '& code': { fontFamily: 'monospace', fontSize: 12 },
        '& table': { borderCollapse: 'collapse' },
        '& td, & th': { border: 1, borderColor: 'divider', px: 0.5 },
      }}
    >
      <Markdown skipHtml components={components}>
        {text.text}
      </Markdown>
    </Box>
  );
}
