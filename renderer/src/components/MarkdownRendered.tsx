import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Markdown, { type Components } from 'react-markdown';

function safeHref(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * Markdown within MarkdownText's limits, formatted: raw HTML dropped, images as their alt
 * text, links opened in a new tab in a browser and shown as text with their address in the
 * desktop app.
 */
export function MarkdownRendered({
  text,
  host,
  testId,
}: {
  text: string;
  host: 'electron' | 'browser';
  testId?: string | undefined;
}) {
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
        {text}
      </Markdown>
    </Box>
  );
}
