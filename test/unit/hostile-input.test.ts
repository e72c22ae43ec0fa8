import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validatePath } from '../../electron/core/validation/validate-path';
import {
  validateDocumentBytes,
  validateDocumentText,
} from '../../shared/validation/validate-document';
import { BASE_DESCRIPTION, edit, positionOf } from '../support/base-documents';

const rulesOf = (bytes: Uint8Array | string) =>
  (typeof bytes === 'string'
    ? validateDocumentText(bytes, { file: 'x.yaml' })
    : validateDocumentBytes(bytes, { file: 'x.yaml' })
  ).diagnostics.map((d) => d.rule);

describe('hostile and broken input is refused with a clear finding, never a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'commissioner-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a 10 GiB file is refused from its size alone, without reading it', async () => {
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, 'a: 1\n');
    truncateSync(path, 10 * 1024 ** 3); // sparse: takes no disk space
    const before = process.memoryUsage().rss;
    const report = await validatePath(path, 'huge.yaml');
    expect(report.valid).toBe(false);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({ rule: 'file-too-large', line: 1, column: 1 }),
    ]);
    expect(report.diagnostics[0]?.message).toContain('10 GiB');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('a file of exactly 1 MiB is still read; one byte more is not', () => {
    const exact = Buffer.alloc(1024 * 1024, 'a');
    exact.write('a: ', 0);
    expect(rulesOf(exact)).not.toContain('file-too-large');
    expect(rulesOf(Buffer.concat([exact, Buffer.from('a')]))).toEqual(['file-too-large']);
  });

  it('a billion-laughs alias bomb is refused', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    const letters = 'abcdefghij';
    for (let i = 1; i < letters.length; i++) {
      bomb += `${letters[i]}: &${letters[i]} [${Array(9)
        .fill(`*${letters[i - 1]}`)
        .join(',')}]\n`;
    }
    expect(rulesOf(bomb)).toEqual(['yaml-alias-bomb']);
  });

  it('an alias to no anchor and a merge of a single value are syntax errors at their place, not a crash', () => {
    const alias = validateDocumentText('id: a\nmetadata: *nowhere\n', { file: 'x.yaml' });
    expect(alias.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'yaml-syntax',
        line: 2,
        column: 11,
        message: expect.stringContaining('the alias *nowhere refers to no anchor'),
      }),
    ]);
    const merge = validateDocumentText('id: &v a\nmetadata:\n  <<: *v\n', { file: 'x.yaml' });
    expect(merge.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'yaml-syntax',
        line: 3,
        column: 3,
        message: expect.stringContaining('a merge key (<<) must name a mapping'),
      }),
    ]);
  });

  it('half a megabyte of nested brackets is refused before the parser recurses (it would kill the process)', () => {
    const deep = `a: ${'['.repeat(250_000)}${']'.repeat(250_000)}\n`;
    expect(rulesOf(deep)).toEqual(['yaml-too-deep']);
    const deepMaps = `a: ${'{b: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`;
    expect(rulesOf(deepMaps)).toEqual(['yaml-too-deep']);
  });

  it('brackets inside quoted text or comments do not count as nesting', () => {
    const text = edit(
      BASE_DESCRIPTION,
      'tagline: Watches the line',
      `tagline: "${'['.repeat(400)}" # ${'{'.repeat(400)}`,
    );
    expect(rulesOf(text)).toEqual([]);
  });

  it('deep block nesting within the size limit is refused where it gets too deep, not crashed on', () => {
    const nest = (levels: number) =>
      `${Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`;
    const text = nest(150);
    const [d, ...rest] = validateDocumentText(text, { file: 'x.yaml' }).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: 'yaml-too-deep', ...positionOf(text, 'k100:') });
    // Deeper still, the parser's own recursion guard trips first; still one clear finding.
    expect(rulesOf(nest(1200))).toEqual(['yaml-too-deep']);
    expect(rulesOf(nest(60))).toEqual(['kind-unknown']);
  });

  it('non-UTF-8 text is refused at the first bad byte', () => {
    const latin1 = Buffer.from(
      edit(BASE_DESCRIPTION, 'Line Monitor', 'Linie Überwachung'),
      'latin1',
    );
    const result = validateDocumentBytes(latin1, { file: 'x.yaml' });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'file-encoding',
        severity: 'error',
        ...positionOf(BASE_DESCRIPTION, 'Line Monitor'),
        column: 15,
      }),
    ]);
    expect(result.diagnostics[0]?.message).toMatch(/UTF-8/);
  });

  it('UTF-16 files, NUL bytes and random binary data are refused as not being UTF-8 text', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(BASE_DESCRIPTION, 'utf16le'),
    ]);
    expect(rulesOf(utf16)).toEqual(['file-encoding']);
    expect(validateDocumentBytes(utf16, { file: 'x' }).diagnostics[0]?.message).toContain('UTF-16');
    expect(rulesOf(Buffer.from('a: 1\n\0b: 2\n'))).toEqual(['file-encoding']);
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(rulesOf(random)).toEqual(['file-encoding']);
  });

  it('overlong and surrogate UTF-8 sequences are refused', () => {
    expect(rulesOf(Buffer.from([0x61, 0x3a, 0x20, 0xc0, 0xaf]))).toEqual(['file-encoding']);
    expect(rulesOf(Buffer.from([0x61, 0x3a, 0x20, 0xed, 0xa0, 0x80]))).toEqual(['file-encoding']);
    expect(rulesOf(Buffer.from([0x61, 0x3a, 0x20, 0xe2, 0x82]))).toEqual(['file-encoding']);
  });

  it('a UTF-8 byte order mark and multi-byte text are fine', () => {
    const text = edit(BASE_DESCRIPTION, 'Watches the line', 'Überwacht die Linie — 監視');
    expect(rulesOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual(
      [],
    );
  });

  it('duplicate keys are errors, but the rest of the document is still checked', () => {
    const text = edit(
      edit(BASE_DESCRIPTION, 'metadata:\n', 'id: com-example-x\nmetadata:\n'),
      'cores: 1',
      'cores: two',
    );
    expect(rulesOf(text).sort()).toEqual(['type-mismatch', 'yaml-duplicate-key']);
  });

  it('tabs used for indentation are refused where they are', () => {
    const text = edit(BASE_DESCRIPTION, '      - name: Ada', '\t  - name: Ada');
    const [d, ...rest] = validateDocumentText(text, { file: 'x.yaml' }).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: 'yaml-tab-indent', ...positionOf(text, '\t') });
  });

  it('CRLF line endings are accepted and positions are the same as with LF', () => {
    const broken = edit(
      BASE_DESCRIPTION,
      'revision: 1.2.0\n          wait',
      'revision: v1.2.0\n          wait',
    );
    const lf = validateDocumentText(broken, { file: 'x' }).diagnostics;
    const crlf = validateDocumentText(broken.replace(/\n/g, '\r\n'), { file: 'x' }).diagnostics;
    expect(lf.map((d) => d.rule)).toEqual(['revision-semver']);
    expect(crlf).toEqual(lf);
    expect(rulesOf(BASE_DESCRIPTION.replace(/\n/g, '\r\n'))).toEqual([]);
  });

  it('unquoted {{ }} placeholders (which YAML reads as mappings) are one clear error each', () => {
    const text = edit(
      edit(
        BASE_DESCRIPTION,
        'repository: oci://registry.example.com/charts/monitor',
        'repository: {{HELM_REPOSITORY}}',
      ),
      'revision: 1.2.0\n    deviceConstraints',
      'revision: { { .Values.revision } }\n    deviceConstraints',
    );
    const diagnostics = validateDocumentText(text, { file: 'x' }).diagnostics;
    expect(diagnostics.map((d) => [d.rule, d.line])).toEqual([
      ['template-placeholder', positionOf(text, '{{HELM').line],
      ['template-placeholder', positionOf(text, '{ { .Values').line],
    ]);
  });

  it('a file that is not a mapping, or empty, or several documents, is refused', () => {
    expect(rulesOf('just a string\n')).toEqual(['yaml-not-mapping']);
    expect(rulesOf('')).toEqual(['yaml-empty']);
    expect(rulesOf(`${BASE_DESCRIPTION}---\n${BASE_DESCRIPTION}`)).toEqual([
      'yaml-multiple-documents',
    ]);
  });
});
