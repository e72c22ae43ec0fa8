import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSources } from '../../electron/core/import/import-sources';
import { DEFAULT_KIT_LIMITS } from '../../electron/core/kit/kit-limits';
import { openStore, type Store } from '../../electron/core/store/store';
import { makeKit, makePackageFixture, writeRawTar, type RawEntry } from '../support/kit-fixture';
import { snapshotStore } from '../support/store-snapshot';

const root = mkdtempSync(join(tmpdir(), 'commissioner-hostile-kits-'));
let layoutDir: string;
let layoutEntries: RawEntry[];
let store: Store;
let imageLayerDigest: string;

/** The files of a good kit, as tar entries to tamper with. */
function readLayout(dir: string): RawEntry[] {
  const entries: RawEntry[] = [
    { header: { name: 'oci-layout' }, content: readFileSync(join(dir, 'oci-layout')) },
    { header: { name: 'index.json' }, content: readFileSync(join(dir, 'index.json')) },
  ];
  for (const hex of readdirSync(join(dir, 'blobs', 'sha256')).sort()) {
    entries.push({
      header: { name: `blobs/sha256/${hex}` },
      content: readFileSync(join(dir, 'blobs', 'sha256', hex)),
    });
  }
  return entries;
}

beforeAll(async () => {
  const fixture = await makePackageFixture(join(root, 'fixture'), {
    imageLayers: [
      {
        files: { 'bin/monitor': '#!/bin/sh\necho watching\n', 'etc/monitor.conf': 'interval=30\n' },
      },
    ],
  });
  layoutDir = await makeKit(fixture, join(root, 'good-layout'));
  layoutEntries = readLayout(layoutDir);
  // The largest blob is the image layer.
  const largest = readdirSync(join(layoutDir, 'blobs', 'sha256')).sort(
    (a, b) =>
      statSync(join(layoutDir, 'blobs', 'sha256', b)).size -
      statSync(join(layoutDir, 'blobs', 'sha256', a)).size,
  )[0] as string;
  imageLayerDigest = largest;
  store = openStore(join(root, 'home'));
});
afterAll(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
async function expectRefused(
  entries: RawEntry[],
  reason: RegExp,
  options: { gzip?: boolean; limits?: Partial<typeof DEFAULT_KIT_LIMITS> } = {},
) {
  const kit = join(root, `hostile-${++n}.tar${options.gzip ? '.gz' : ''}`);
  await writeRawTar(kit, entries, options.gzip);
  return expectKitRefused(kit, reason, options.limits);
}

async function expectKitRefused(
  kit: string,
  reason: RegExp,
  limits?: Partial<typeof DEFAULT_KIT_LIMITS>,
) {
  const before = snapshotStore(store.paths.home);
  const report = await importSources(
    store,
    [{ input: kit, path: kit }],
    limits ? { limits: { ...DEFAULT_KIT_LIMITS, ...limits } } : {},
  );
  expect(report.refused, JSON.stringify(report, null, 1)).toEqual([
    expect.objectContaining({ source: kit, message: expect.stringMatching(reason) }),
  ]);
  expect(report.imported).toEqual([]);
  expect(snapshotStore(store.paths.home)).toEqual(before);
  expect(readdirSync(store.paths.tmp)).toEqual([]);
  return report;
}

const withBlob = (hex: string, change: (e: RawEntry) => RawEntry) =>
  layoutEntries.map((e) => (e.header.name === `blobs/sha256/${hex}` ? change(e) : e));

describe('a hostile or damaged kit is refused whole, and the store stays exactly as it was', () => {
  it('the untouched kit imports (the corpus below differs from it in one thing each)', async () => {
    const kit = join(root, 'good.tar');
    await writeRawTar(kit, layoutEntries);
    const scratch = openStore(join(root, 'scratch-home'));
    try {
      const report = await importSources(scratch, [{ input: kit, path: kit }]);
      expect(report.imported).toHaveLength(3);
    } finally {
      scratch.close();
    }
  });

  it('a symbolic link', () =>
    expectRefused(
      [
        ...layoutEntries,
        { header: { name: 'blobs/sha256/evil', type: 'symlink', linkname: '/etc/passwd' } },
      ],
      /symbolic link/,
    ));
  it('a hard link', () =>
    expectRefused(
      [...layoutEntries, { header: { name: 'evil', type: 'link', linkname: 'index.json' } }],
      /hard link/,
    ));
  it('an absolute path', () =>
    expectRefused(
      [
        { header: { name: '/etc/cron.d/evil' }, content: '* * * * * root rm -rf /' },
        ...layoutEntries,
      ],
      /absolute/,
    ));
  it('a path climbing out with ..', () =>
    expectRefused(
      [...layoutEntries, { header: { name: 'blobs/../../evil' }, content: 'x' }],
      /"\.\."/,
    ));
  it('a device file', () =>
    expectRefused(
      [
        ...layoutEntries,
        { header: { name: 'dev/mem', type: 'character-device', devmajor: 1, devminor: 1 } },
      ],
      /device file/,
    ));
  it('a setuid member', () =>
    expectRefused(
      withBlob(imageLayerDigest, (e) => ({ ...e, header: { ...e.header, mode: 0o4755 } })),
      /setuid/,
    ));

  it('a blob whose bytes differ from its digest', () =>
    expectRefused(
      withBlob(imageLayerDigest, (e) => {
        const bytes = Buffer.from(e.content as Buffer);
        bytes[bytes.length - 700] = (bytes[bytes.length - 700] as number) ^ 0xff;
        return { ...e, content: bytes };
      }),
      /does not match its digest/,
    ));

  it('a blob whose size differs from its descriptor', () =>
    expectRefused(
      withBlob(imageLayerDigest, (e) => ({
        ...e,
        content: (e.content as Buffer).subarray(0, 1000),
      })),
      /has 1000 bytes but/,
    ));

  it('a referenced blob absent from the kit, even when the store already holds it', async () => {
    const kit = join(root, 'good-again.tar');
    await writeRawTar(kit, layoutEntries);
    const first = await importSources(store, [{ input: kit, path: kit }]);
    expect(first.imported).toHaveLength(3);
    await expectRefused(
      layoutEntries.filter((e) => e.header.name !== `blobs/sha256/${imageLayerDigest}`),
      new RegExp(`blob sha256:${imageLayerDigest}.*is missing from the kit`),
    );
  });

  it('a gzip bomb is refused by its expansion ratio, long before it expands', async () => {
    const kit = join(root, 'bomb.tar.gz');
    const tar = pack();
    const written = pipeline(tar, createGzip({ level: 9 }), createWriteStream(kit));
    tar.entry({ name: 'oci-layout', size: 2 }, '{}');
    const big = tar.entry({ name: 'blobs/sha256/' + 'a'.repeat(64), size: 512 * 1024 * 1024 });
    const zeros = Buffer.alloc(1 << 20);
    await pipeline(async function* () {
      for (let i = 0; i < 512; i++) yield zeros;
    }, big);
    tar.finalize();
    await written;
    expect(statSync(kit).size).toBeLessThan(1024 * 1024);
    await expectKitRefused(kit, /expands more than 100 times/);
  });

  it('a kit expanding beyond the size bound, or with too many members, is refused', async () => {
    await expectRefused(layoutEntries, /more than 1000 bytes/, { limits: { maxTotalBytes: 1000 } });
    await expectRefused(layoutEntries, /more than 3 members/, { limits: { maxEntries: 3 } });
  });

  it('a digest algorithm other than sha256', () =>
    expectRefused(
      [...layoutEntries, { header: { name: `blobs/sha512/${'b'.repeat(128)}` }, content: 'x' }],
      /sha256, which Margo requires/,
    ));

  it('a truncated .tar.gz (a copy that was cut off)', async () => {
    const kit = join(root, 'cut.tar.gz');
    await writeRawTar(kit, layoutEntries, true);
    truncateSync(kit, Math.floor(statSync(kit).size / 2));
    await expectKitRefused(kit, /damaged|missing/);
  });

  it('an index.json that is not JSON, and an archive that is no OCI layout', async () => {
    await expectRefused(
      layoutEntries.map((e) =>
        e.header.name === 'index.json' ? { ...e, content: '{ not json' } : e,
      ),
      /not valid JSON/,
    );
    await expectRefused(
      [{ header: { name: 'notes.txt' }, content: 'hello' }],
      /not an OCI image layout/,
    );
  });

  it('a docker save archive is not a kit, and the message says how to make one', async () => {
    await expectRefused(
      [
        { header: { name: 'manifest.json' }, content: '[]' },
        { header: { name: 'abc.json' }, content: '{}' },
      ],
      /kit pack .* --image/,
    );
  });

  it('a compose archive holding a link breaks the spec archive rules', async () => {
    // Build a kit whose compose component archive contains a symlink.
    const composeTar = join(root, 'evil-compose.tar.gz');
    await writeRawTar(
      composeTar,
      [
        { header: { name: 'monitor/', type: 'directory', mode: 0o755 } },
        { header: { name: 'monitor/compose.yaml' }, content: 'services: {}\n' },
        { header: { name: 'monitor/secrets', type: 'symlink', linkname: '/root/.ssh/id_rsa' } },
      ],
      true,
    );
    const layer = readFileSync(composeTar);
    const layerDigest = createHash('sha256').update(layer).digest('hex');
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.org.margo.component.compose+json',
        config: {
          mediaType: 'application/vnd.oci.empty.v1+json',
          digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
          size: 2,
        },
        layers: [
          {
            mediaType: 'application/vnd.org.margo.component.compose.tar+gzip',
            digest: `sha256:${layerDigest}`,
            size: layer.length,
          },
        ],
      }),
    );
    const manifestDigest = createHash('sha256').update(manifest).digest('hex');
    const index = {
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${manifestDigest}`,
          size: manifest.length,
          annotations: {
            'org.opencontainers.image.ref.name': 'registry.example.com/compose/evil:1.0.0',
          },
        },
      ],
    };
    await expectRefused(
      [
        { header: { name: 'oci-layout' }, content: '{"imageLayoutVersion":"1.0.0"}' },
        { header: { name: 'index.json' }, content: JSON.stringify(index) },
        { header: { name: `blobs/sha256/${layerDigest}` }, content: layer },
        { header: { name: `blobs/sha256/${manifestDigest}` }, content: manifest },
        {
          header: {
            name: 'blobs/sha256/44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
          },
          content: '{}',
        },
      ],
      /compose archive .* symbolic link/,
    );
  });

  it('a layout folder whose blob is a link to a file outside is refused', async () => {
    const { symlinkSync, cpSync } = await import('node:fs');
    const copy = join(root, 'linked-layout');
    cpSync(layoutDir, copy, { recursive: true });
    const blob = join(copy, 'blobs', 'sha256', imageLayerDigest);
    rmSync(blob);
    writeFileSync(join(root, 'outside-secret'), 'secret');
    symlinkSync(join(root, 'outside-secret'), blob);
    await expectKitRefused(copy, /symbolic link/);
  });
});
