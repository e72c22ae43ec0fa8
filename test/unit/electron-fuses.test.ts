import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipFuses } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { distArguments, distConfig } from '../../electron/build/dist-config';
import { fuseConfig, fuseMismatches } from '../../electron/build/fuses';

/**
 * The Electron binary cannot be downloaded here, so no packaged app is made or started. What
 * is checked without it: the fuses each kind of build asks electron-builder for, and that
 * @electron/fuses (which electron-builder runs) turns exactly those into the bytes after
 * Electron's fuse sentinel — on a file that holds the sentinel and a fuse wire as Electron's
 * binary does, with other bytes around it.
 */

// From @electron/fuses (and Electron's build): the marker the fuse wire follows.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
// asar integrity off, only-app.asar off, browser V8 snapshot off, file:// privileges on.
const ELECTRON_DEFAULT_WIRE = '10110001';

const dir = mkdtempSync(join(tmpdir(), 'commissioner-fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeElectron(name: string): { path: string; before: Buffer; wireAt: number } {
  const before = Buffer.concat([
    randomBytes(4096),
    Buffer.from(SENTINEL, 'latin1'),
    Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]),
    Buffer.from(ELECTRON_DEFAULT_WIRE, 'latin1'),
    randomBytes(4096),
  ]);
  const path = join(dir, name);
  writeFileSync(path, before);
  return { path, before, wireAt: 4096 + SENTINEL.length + 2 };
}

const RELEASE = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
  resetAdHocDarwinSignature: true,
};

describe('the fuses of the desktop app', () => {
  it('of a release: no Node mode, no NODE_OPTIONS, no inspector, app.asar only and checked', () => {
    const release = distConfig('release');
    expect(release.electronFuses).toEqual(RELEASE);
    expect(release.directories.output).toBe('dist/installers');
    expect(release.asar).toBe(true);
  });

  it('of a test build: the same but for the inspector (Playwright), in its own folder', () => {
    const release = distConfig('release');
    const test = distConfig('test');
    expect(test.electronFuses).toEqual({ ...RELEASE, enableNodeCliInspectArguments: true });
    expect(test.directories.output).toBe('dist/test-build');
    expect(test.artifactName).toBe('${productName}-${version}-${arch}-test.${ext}');
    const rest = (c: typeof release) => ({
      ...c,
      electronFuses: null,
      artifactName: null,
      directories: { ...c.directories, output: null },
    });
    expect(rest(test)).toEqual(rest(release));
  });

  it('are chosen by the dist arguments, which must name a platform', () => {
    expect(distArguments(['--linux'])).toEqual({
      kind: 'release',
      platforms: ['linux'],
      builder: ['--linux'],
    });
    expect(distArguments(['-w', '--test-build', '--x64', '--mac'])).toEqual({
      kind: 'test',
      platforms: ['win', 'mac'],
      builder: ['-w', '--x64', '--mac'],
    });
    expect(() => distArguments(['--test-build'])).toThrow(/name the platform/);
  });

  it('are burnt after the sentinel by @electron/fuses, and read back', async () => {
    for (const kind of ['release', 'test'] as const) {
      const fuses = distConfig(kind).electronFuses;
      const { path, before, wireAt } = fakeElectron(`electron-${kind}`);
      expect(await fuseMismatches(path, fuses)).not.toEqual([]);
      await flipFuses(path, fuseConfig(fuses));
      const after = readFileSync(path);
      // RunAsNode, cookies (unset: kept), NODE_OPTIONS, inspector, asar integrity, app.asar
      // only, V8 snapshot (unset: kept), file:// privileges.
      const wire = kind === 'release' ? '00001100' : '00011100';
      expect(after.subarray(wireAt, wireAt + 8).toString('latin1')).toBe(wire);
      // Nothing else in the binary changed.
      expect(after.subarray(0, wireAt)).toEqual(before.subarray(0, wireAt));
      expect(after.subarray(wireAt + 8)).toEqual(before.subarray(wireAt + 8));
      expect(await fuseMismatches(path, fuses)).toEqual([]);
    }
  });

  it('read back from a binary not as configured are named, one by one', async () => {
    const { path } = fakeElectron('electron-test-build');
    await flipFuses(path, fuseConfig(distConfig('test').electronFuses));
    expect(await fuseMismatches(path, distConfig('release').electronFuses)).toEqual([
      'EnableNodeCliInspectArguments is on; it should be off',
    ]);
    const untouched = fakeElectron('electron-untouched');
    expect(await fuseMismatches(untouched.path, RELEASE)).toEqual([
      'RunAsNode is on; it should be off',
      'EnableNodeOptionsEnvironmentVariable is on; it should be off',
      'EnableNodeCliInspectArguments is on; it should be off',
      'EnableEmbeddedAsarIntegrityValidation is off; it should be on',
      'OnlyLoadAppFromAsar is off; it should be on',
      'GrantFileProtocolExtraPrivileges is on; it should be off',
    ]);
  });
});
