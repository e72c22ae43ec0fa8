import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Markdown, { type Components } from 'react-markdown';
import type { PackageText } from '../../../shared/contract/catalog';

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
 * A package's Markdown, as text and structure only: raw HTML is dropped (no rehype-raw),
 * images show their alt text (nothing is fetched), and links never navigate the app: in the
 * desktop app they are text with their address; in a browser they open a new tab.
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
  if (text.format === 'binary') {
    return (
      <Box data-testid={testId} sx={{ fontStyle: 'italic' }}>
        {text.path.toLowerCase().endsWith('.pdf')
          ? `license file (PDF) in the package: ${text.path}`
          : `file in the package: ${text.path}`}
      </Box>
    );
  }
  if (text.format === 'text') {
    return (
      <Box
        component="pre"
        data-testid={testId}
        sx={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', fontSize: 12, m: 0 }}
      >
        {text.text}
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
