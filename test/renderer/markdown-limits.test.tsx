import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, screen, waitFor } from '@testing-library/react';
import fc from 'fast-check';
// The parser react-markdown runs (through remark-parse): the bound is held to what it builds.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { renderToString } from 'react-dom/server';
import Markdown from 'react-markdown';
import { describe, expect, it } from 'vitest';
import { MarkdownText } from '../../renderer/src/components/MarkdownText';
// MarkdownText loads it as a chunk of its own; loaded with this file, before the tests' clocks.
import '../../renderer/src/components/MarkdownRendered';
import {
  MAX_MARKDOWN_CHARS,
  MAX_MARKDOWN_NESTING,
  markdownNestingBound,
  plainTextReason,
} from '../../renderer/src/components/markdown-limits';
import { testIds } from '../../renderer/src/test-ids';

const DEMO = join(__dirname, '../../resources/demo/package/resources');

/** Hostile texts a supplier could ship, each about 3 KB. */
const HOSTILE: Record<string, string> = {
  'nested quotes': `${'>'.repeat(3000)} deep\n`,
  'spaced nested quotes': `${'> '.repeat(1500)}deep\n`,
  'nested bullets on one line': `${'- '.repeat(1500)}x\n`,
  'nested numbered items': `${'1. '.repeat(1000)}x\n`,
  'quotes in lists': `${'> - '.repeat(750)}x\n`,
  'an indentation ladder': Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i)}- x\n`).join(''),
  'nested emphasis': `${'*'.repeat(1500)}x${'*'.repeat(1500)}\n`,
  'emphasis in emphasis': `${'*a '.repeat(500)}x${' b*'.repeat(500)}\n`,
  // Closers the parser does not see (escaped, inside code) must not hide the openers.
  'escaped closers': `${'*a \\* '.repeat(500)}x${' b*'.repeat(500)}\n`,
  'closers in code spans': `${'*a `x*` '.repeat(400)}x${' b*'.repeat(400)}\n`,
};

const COUNTED = new Set(['blockquote', 'listItem', 'emphasis', 'strong', 'link', 'linkReference']);
interface MdNode {
  type: string;
  children?: MdNode[];
}
/** How deeply the parser nests containers, emphasis and links (iteratively: trees may be deep). */
function parsedNesting(root: MdNode): number {
  let deepest = 0;
  const stack: [MdNode, number][] = [[root, 0]];
  while (stack.length) {
    const [node, above] = stack.pop()!;
    const depth = above + (COUNTED.has(node.type) ? 1 : 0);
    deepest = Math.max(deepest, depth);
    for (const child of node.children ?? []) stack.push([child, depth]);
  }
  return deepest;
}

describe('the Markdown nesting bound', () => {
  it('is never below what the parser builds', () => {
    const tokens = [
      ...['>', ' ', '  ', '    ', '\t', '\n', '\n\n', '- ', '* ', '+ ', '1. ', '2) ', '-'],
      ...['*', '**', '***', '_', '__', '*a', 'a*', '_a', 'a_', '**a', 'a**', '*"', '"*'],
      ...['[', ']', '](u)', '[r]', '`', '\\', '<', '>', '#', '!', '"', '.', 'a', 'word '],
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 60 }), (parts) => {
        const text = `${parts.join('')}\n\n[r]: https://example.com\n`;
        expect(markdownNestingBound(text)).toBeGreaterThanOrEqual(
          parsedNesting(fromMarkdown(text) as MdNode),
        );
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  it.each(Object.entries(HOSTILE))('turns %s into plain text', (_, text) => {
    expect(text.length).toBeLessThanOrEqual(MAX_MARKDOWN_CHARS);
    expect(plainTextReason(text)).toMatchObject({ why: 'too-deep' });
  });

  it('formats what suppliers write: the demo package’s texts and a busy README', () => {
    for (const file of ['description.md', 'release-notes.md', 'license.md'])
      expect(plainTextReason(readFileSync(join(DEMO, file), 'utf8'))).toBeNull();
    const readme = [
      '# Line Monitor',
      '',
      '> **Note:** needs a device with *two* cores. See [the manual](https://example.com/m_1).',
      '',
      '- **Install**: import the kit, then:',
      '  1. choose `line-1`,',
      '  2. set the *poll interval*:',
      '     - at least **5 s**,',
      '       > keep it _short_ on busy lines.',
      '- **Remove**: `catalog remove` — *nothing* else changes.',
      ...Array.from({ length: 40 }, (_, i) => `- **Option ${i}**: \`opt_${i}\` sets *this*.`),
      '',
      '```yaml',
      ...Array.from({ length: 12 }, (_, i) => `${'  '.repeat(i)}level${i}:`),
      '```',
    ].join('\n');
    expect(markdownNestingBound(readme)).toBeLessThanOrEqual(MAX_MARKDOWN_NESTING);
    expect(plainTextReason(readme)).toBeNull();
  });

  it('shows text longer than it formats as plain text', () => {
    const long = 'A plain sentence.\n\n'.repeat(Math.ceil((MAX_MARKDOWN_CHARS + 1) / 19));
    expect(plainTextReason(long)).toEqual({ why: 'too-long', chars: long.length });
  });
});

describe('a package text', () => {
  it('overflows the Markdown renderer when nested deeply enough (the fault the limit prevents)', () => {
    expect(() => renderToString(<Markdown>{`${'>'.repeat(10_000)} deep`}</Markdown>)).toThrow(
      RangeError,
    );
  });

  it('too deep is shown as plain text, escaped, with a note saying why', () => {
    const text = `${'>'.repeat(10_000)} <b>deep</b>`;
    const { container } = render(
      <MarkdownText
        text={{ path: 'resources/description.md', format: 'markdown', text }}
        host="browser"
        testId="description"
      />,
    );
    expect(screen.getByTestId(testIds.packageContent.plainNote).textContent).toMatch(
      /plain text: it nests more deeply/,
    );
    expect(container.querySelector('pre')?.textContent).toBe(text);
    expect(container.querySelector('blockquote, b')).toBeNull();
  });

  it('too long is shown whole as plain text, saying how long', () => {
    const text = `# Changelog\n\n${'- fixed *one* thing\n'.repeat(1000)}`;
    const { container } = render(
      <MarkdownText text={{ path: 'notes.md', format: 'markdown', text }} host="browser" />,
    );
    expect(screen.getByTestId(testIds.packageContent.plainNote).textContent).toMatch(
      /longer \(19.5 KiB\) than Commissioner formats \(16 KiB\)/,
    );
    expect(container.querySelector('pre')?.textContent).toBe(text);
    expect(container.querySelector('h1, li, em')).toBeNull();
  });

  it('within the limits is formatted, without a note', async () => {
    const { container } = render(
      <MarkdownText
        text={{ path: 'd.md', format: 'markdown', text: '> a *quote*\n\n- one\n  - two' }}
        host="browser"
      />,
    );
    // The Markdown parser is a chunk of its own, loaded on first use.
    await waitFor(() =>
      expect(container.querySelector('blockquote em')?.textContent).toBe('quote'),
    );
    expect(container.querySelectorAll('li')).toHaveLength(2);
    expect(screen.queryByTestId(testIds.packageContent.plainNote)).toBeNull();
  });
});
