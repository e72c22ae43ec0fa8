import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractComposeArchive } from '../../electron/core/kit/compose-archive';
import { writeRawTar, type RawEntry } from '../support/kit-fixture';

const root = mkdtempSync(join(tmpdir(), 'commissioner-compose-archive-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COMPOSE = 'services:\n  app:\n    image: busybox\n';
let n = 0;

async function archive(entries: RawEntry[]): Promise<{ path: string; digest: string }> {
  const path = join(root, `a${n++}.tar.gz`);
  await writeRawTar(path, entries, true);
  return {
    path,
    digest: `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`,
  };
}

describe('compose archives are checked before anything of them is used', () => {
  it('a conforming archive gives its files, by path under its one top-level folder', async () => {
    const a = await archive([
      { header: { name: 'monitor/', type: 'directory', mode: 0o755 } },
      { header: { name: 'monitor/compose.yaml' }, content: COMPOSE },
      { header: { name: 'monitor/conf/app.env' }, content: 'A=1\n' },
    ]);
    const read = await extractComposeArchive(a.path, a.digest);
    expect(read.top).toBe('monitor');
    expect([...read.files.keys()].sort()).toEqual(['compose.yaml', 'conf/app.env']);
    expect(read.files.get('conf/app.env')?.toString()).toBe('A=1\n');
  });

  const hostile: [string, RawEntry[], RegExp][] = [
    [
      'a symbolic link',
      [
        { header: { name: 'm/compose.yaml' }, content: COMPOSE },
        { header: { name: 'm/passwd', type: 'symlink', linkname: '/etc/passwd' } },
      ],
      /symbolic link \(to \/etc\/passwd\)/,
    ],
    [
      'a hard link',
      [
        { header: { name: 'm/compose.yaml' }, content: COMPOSE },
        { header: { name: 'm/x', type: 'link', linkname: 'm/compose.yaml' } },
      ],
      /hard link/,
    ],
    [
      'an absolute path',
      [{ header: { name: '/m/compose.yaml' }, content: COMPOSE }],
      /path is absolute/,
    ],
    [
      'a path climbing out',
      [
        { header: { name: 'm/compose.yaml' }, content: COMPOSE },
        { header: { name: 'm/../../etc/cron.d/x' }, content: 'x' },
      ],
      /climbs out with "\.\."/,
    ],
    [
      'a setuid file',
      [
        { header: { name: 'm/compose.yaml' }, content: COMPOSE },
        { header: { name: 'm/tool', mode: 0o4755 }, content: 'x' },
      ],
      /setuid, setgid or sticky/,
    ],
    [
      'two top-level folders',
      [
        { header: { name: 'a/compose.yaml' }, content: COMPOSE },
        { header: { name: 'b/x' }, content: 'x' },
      ],
      /exactly one top-level folder \(found a, b\)/,
    ],
    [
      'no compose.yaml',
      [{ header: { name: 'm/docker-compose.yml' }, content: COMPOSE }],
      /has no compose\.yaml/,
    ],
    [
      'a device file',
      [
        { header: { name: 'm/compose.yaml' }, content: COMPOSE },
        { header: { name: 'm/sda', type: 'block-device' } },
      ],
      /device file/,
    ],
  ];
  for (const [what, entries, message] of hostile) {
    it(`refuses ${what}`, async () => {
      const a = await archive(entries);
      await expect(extractComposeArchive(a.path, a.digest)).rejects.toThrow(message);
    });
  }

  it('refuses an archive whose bytes are not the digest the store filed them under', async () => {
    const a = await archive([{ header: { name: 'm/compose.yaml' }, content: COMPOSE }]);
    const bytes = readFileSync(a.path);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 0xff;
    writeFileSync(a.path, bytes);
    await expect(extractComposeArchive(a.path, a.digest)).rejects.toThrow(
      /hashes to sha256:[0-9a-f]{64}: the store is damaged; import the kit again|not a valid tar\.gz/,
    );
  });

  it('refuses an archive that expands beyond the bound (a gzip bomb)', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const a = await archive([
      { header: { name: 'm/compose.yaml' }, content: COMPOSE },
      { header: { name: 'm/a' }, content: zeros },
      { header: { name: 'm/b' }, content: zeros },
    ]);
    await expect(extractComposeArchive(a.path, a.digest, 12 * 1024 * 1024)).rejects.toThrow(
      /expands to more than/,
    );
  });
});
