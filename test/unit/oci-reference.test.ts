import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../shared/catalog/compare-versions';
import { formatReference, normalizeImageName, parseOciReference } from '../../shared/oci/reference';
import { toFtsQuery } from '../../electron/core/store/search-query';

describe('OCI references', () => {
  it('parses oci://host[:port]/repo[:tag|@digest], with and without tag', () => {
    expect(parseOciReference('oci://127.0.0.1:5000/apps/line-monitor:1.2.0')).toEqual({
      ok: true,
      reference: { registry: '127.0.0.1:5000', repository: 'apps/line-monitor', tag: '1.2.0' },
    });
    expect(parseOciReference('oci://registry.plant.local/apps/line-monitor')).toEqual({
      ok: true,
      reference: { registry: 'registry.plant.local', repository: 'apps/line-monitor' },
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseOciReference(`oci://h:1/r@${digest}`)).toEqual({
      ok: true,
      reference: { registry: 'h:1', repository: 'r', digest },
    });
  });

  it('refuses references an engineer would mistype, saying why', () => {
    expect(parseOciReference('oci://line-monitor')).toMatchObject({
      ok: false,
      message: expect.stringContaining('no registry host'),
    });
    expect(parseOciReference('oci://h/Apps/X')).toMatchObject({
      ok: false,
      message: expect.stringContaining('not a valid repository'),
    });
    expect(parseOciReference('oci://h/r:bad tag')).toMatchObject({ ok: false });
  });

  it('formats references without scheme, as index.json names them', () => {
    expect(formatReference({ registry: 'h:5000', repository: 'a/b', tag: '1.0' })).toBe(
      'h:5000/a/b:1.0',
    );
  });

  it('normalizes image names the way Docker does', () => {
    expect(normalizeImageName('busybox')).toBe('docker.io/library/busybox:latest');
    expect(normalizeImageName('bars/web:1.0.0')).toBe('docker.io/bars/web:1.0.0');
    expect(normalizeImageName('registry.example.com/monitor:1.2.0')).toBe(
      'registry.example.com/monitor:1.2.0',
    );
    expect(normalizeImageName('localhost:5000/x')).toBe('localhost:5000/x:latest');
  });
});

describe('version order for "latest"', () => {
  it('orders SemVer, loose versions and text deterministically', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-rc.1', '2.0', 'v1.9.0', '1.0', '1.2.0_build.5'].sort(
      compareVersions,
    );
    expect(sorted).toEqual([
      '1.0',
      '1.2.0-rc.1',
      '1.2.0',
      '1.2.0_build.5',
      'v1.9.0',
      '1.10.0',
      '2.0',
    ]);
    expect(compareVersions('abc', 'abd')).toBeLessThan(0);
  });
});

describe('search queries', () => {
  it('every word is a prefix term; FTS syntax in input is neutralised', () => {
    expect(toFtsQuery('press mon')).toBe('"press"* AND "mon"*');
    expect(toFtsQuery('"); DROP TABLE x; --')).toBe('"DROP"* AND "TABLE"* AND "x"*');
    expect(toFtsQuery('  ')).toBeUndefined();
    expect(toFtsQuery('Überwachung')).toBe('"Überwachung"*');
  });
});
