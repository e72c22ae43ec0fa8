import { describe, expect, it } from 'vitest';
import { formatBytes, quantityWords } from '../../shared/units/quantity';
import { withoutRepeatedHeading } from '../../renderer/src/components/repeated-heading';

describe('capacities in words', () => {
  it('a byte count to three figures, a whole number without ".0"', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(24683784 * 1024)).toBe('23.5 GiB');
    expect(formatBytes(59 * 1024 ** 3)).toBe('59 GiB');
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MiB');
    expect(formatBytes(200 * 1024 ** 2 + 300 * 1024)).toBe('200 MiB');
    // Just under the next unit: said in it, not as "1024 MiB".
    expect(formatBytes(1024 ** 3 - 1024)).toBe('1 GiB');
  });

  it('a Kubernetes-style quantity as people read it; anything else as written', () => {
    expect(quantityWords('24683784Ki')).toBe('23.5 GiB');
    expect(quantityWords('59 Gi')).toBe('59 GiB');
    expect(quantityWords('512Mi')).toBe('512 MiB');
    expect(quantityWords('1.5Ti')).toBe('1.5 TiB');
    // Not a binary quantity: never a guess (2GB is not 2 bytes, nor 2 GiB).
    expect(quantityWords('2GB')).toBe('2GB');
    expect(quantityWords('lots')).toBe('lots');
  });
});

describe('a heading said once', () => {
  it('drops a first heading that repeats the section title, case and punctuation apart', () => {
    expect(withoutRepeatedHeading('# Release notes\n\n## 1.0.0\n- first', ['Release notes'])).toBe(
      '\n## 1.0.0\n- first',
    );
    expect(withoutRepeatedHeading('\n## Release Notes:\ntext', ['Release notes'])).toBe('text');
    expect(
      withoutRepeatedHeading('Line Status Board\n=====\n\nA page', ['Line Status Board']),
    ).toBe('\nA page');
  });

  it('keeps any other heading, and a repeat that is not the first', () => {
    const notes = '# What changed\n\n# Release notes';
    expect(withoutRepeatedHeading(notes, ['Release notes'])).toBe(notes);
    expect(withoutRepeatedHeading('Release notes are below.', ['Release notes'])).toBe(
      'Release notes are below.',
    );
  });
});
