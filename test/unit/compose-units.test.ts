import { describe, expect, it } from 'vitest';
import { archivePath, siblingFile } from '../../shared/compose/archive-path';
import { parseByteSize } from '../../shared/compose/byte-size';
import { parseDurationNs } from '../../shared/compose/duration';
import { parseEnvFile } from '../../shared/compose/env-file';
import { parseNanoCpus } from '../../shared/compose/nano-cpus';
import { shellSplit } from '../../shared/compose/shell-split';

describe('durations (Go notation) to nanoseconds', () => {
  it.each<[unknown, number | undefined]>([
    ['1m30s', 90e9],
    ['10s', 10e9],
    ['500ms', 500e6],
    ['1h', 3600e9],
    ['1.5s', 1.5e9],
    ['2h45m', 9900e9],
    ['250us', 250e3],
    ['10ns', 10],
    ['0', 0],
    [0, 0],
    ['', undefined],
    ['10', undefined],
    [10, undefined],
    ['10 s', undefined],
    ['1d', undefined],
    ['-5s', undefined],
    ['s', undefined],
    [null, undefined],
  ])('%s → %s', (text, ns) => {
    expect(parseDurationNs(text)).toBe(ns);
  });
});

describe('byte sizes (binary units, as docker compose reads them)', () => {
  it.each<[unknown, number | undefined]>([
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1gb', 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['100k', 100 * 1024],
    ['2048', 2048],
    [2048, 2048],
    ['1.5g', 1.5 * 1024 ** 3],
    ['64 MB', 64 * 1024 ** 2],
    ['10b', 10],
    ['1i', undefined],
    ['-1m', undefined],
    ['1x', undefined],
    ['lots', undefined],
    [1.5, undefined],
    [true, undefined],
  ])('%s → %s', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });
});

describe('CPU amounts to nano-CPUs', () => {
  it.each<[unknown, number | undefined]>([
    ['0.5', 5e8],
    [2, 2e9],
    ['1.25', 1.25e9],
    ['.5', 5e8],
    ['two', undefined],
    [-1, undefined],
    ['', undefined],
  ])('%s → %s', (cpus, nano) => {
    expect(parseNanoCpus(cpus)).toBe(nano);
  });
});

describe('archive paths', () => {
  it.each([
    ['./conf/app.env', 'conf/app.env'],
    ['conf//app.env', 'conf/app.env'],
    ['conf/../app.env', 'app.env'],
    ['.', '.'],
    ['./', '.'],
  ])('%s → %s', (written, normalized) => {
    expect(archivePath(written)).toEqual({ ok: true, path: normalized });
  });

  it.each(['../x', '/etc/passwd', '~/x', '~', 'a/../../x', 'C:\\x', ''])(
    '%s is refused',
    (written) => {
      expect(archivePath(written).ok).toBe(false);
    },
  );

  it('names sibling files for messages', () => {
    expect(siblingFile('app@1/compose.yaml', 'conf/a.env')).toBe('app@1/conf/a.env');
    expect(siblingFile('compose.yaml', 'a.env')).toBe('a.env');
  });
});

describe('shell splitting', () => {
  it('trailing backslash and unclosed quotes are refused with a reason', () => {
    expect(shellSplit('run \\')).toMatchObject({ ok: false });
    expect(shellSplit("run 'x")).toMatchObject({
      ok: false,
      message: expect.stringContaining('never closed'),
    });
  });
  it('adjacent quoted parts join one word; newlines separate words', () => {
    expect(shellSplit(`a"b c"'d e'f\ng`)).toEqual({ ok: true, words: ['ab cd ef', 'g'] });
  });
});

describe('env file lines', () => {
  it('reports each entry with its line and column, BOM and CRLF tolerated', () => {
    const parsed = parseEnvFile('\uFEFFA=1\r\n  export B="x"\r\n# c\r\nC\r\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries).toEqual([
      { key: 'A', value: '1', interpolate: true, line: 1, column: 1 },
      { key: 'B', value: 'x', interpolate: true, line: 2, column: 10 },
      { key: 'C', interpolate: false, line: 4, column: 1 },
    ]);
  });

  it('text after a closing quote and bad keys are problems', () => {
    expect(parseEnvFile("A='x' y\n").problems[0]?.message).toContain(
      'text follows the closing quote',
    );
    expect(parseEnvFile('1A=x\n').problems[0]).toMatchObject({ line: 1, column: 1 });
    expect(parseEnvFile('=x\n').problems).toHaveLength(1);
  });
});
