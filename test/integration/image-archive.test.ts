import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { addImageArchive } from '../../electron/core/kit/image-archive';
import { LayoutWriter } from '../../electron/core/kit/layout-writer';
import { MEDIA } from '../../shared/oci/media-types';
import { writeDockerSaveArchive } from '../support/image-archive-fixture';
import { makeKit, makePackageFixture, writeRawTar } from '../support/kit-fixture';

const root = mkdtempSync(join(tmpdir(), 'commissioner-images-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
async function addTo(archive: string) {
  const writer = await LayoutWriter.create(join(root, `layout-${++n}`));
  const added = await addImageArchive(archive, writer);
  await writer.finish();
  const manifest = (digest: string) =>
    JSON.parse(readFileSync(writer.blobPath(digest), 'utf8')) as {
      layers: { mediaType: string; digest: string }[];
    };
  return { added, manifest };
}

describe('image archives for kit pack', () => {
  it('a docker save archive: each tag normalized as Docker does, layers kept byte for byte', async () => {
    const archive = join(root, 'save.tar');
    await writeDockerSaveArchive(archive, [
      {
        repoTags: ['bars/web:1.0.0', 'busybox'],
        layers: [{ files: { 'bin/x': 'x' } }, { files: { 'etc/y': 'y' } }],
      },
    ]);
    const { added, manifest } = await addTo(archive);
    expect(added.map((a) => a.refName)).toEqual([
      'docker.io/bars/web:1.0.0',
      'docker.io/library/busybox:latest',
    ]);
    expect(added[0]?.descriptor.digest).toBe(added[1]?.descriptor.digest);
    expect(added[0]?.descriptor.platform).toEqual({ architecture: 'amd64', os: 'linux' });
    expect(manifest(added[0]?.descriptor.digest as string).layers.map((l) => l.mediaType)).toEqual([
      MEDIA.ociLayer,
      MEDIA.ociLayer,
    ]);
  });

  it('layers docker deduplicated with links inside the archive are followed; links out are refused', async () => {
    const layer = Buffer.alloc(2048, 1);
    const gz = gzipSync(Buffer.alloc(4096, 2));
    const config = (id: string) =>
      JSON.stringify({
        architecture: 'arm64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [id] },
      });
    const good = join(root, 'linked.tar');
    await writeRawTar(good, [
      { header: { name: 'a/layer.tar' }, content: layer },
      { header: { name: 'b/layer.tar', type: 'symlink', linkname: '../a/layer.tar' } },
      { header: { name: 'c/layer.tar.gz' }, content: gz },
      { header: { name: 'one.json' }, content: config('x') },
      {
        header: { name: 'manifest.json' },
        content: JSON.stringify([
          { Config: 'one.json', RepoTags: ['plant/one:1'], Layers: ['a/layer.tar'] },
          {
            Config: 'one.json',
            RepoTags: ['plant/two:1'],
            Layers: ['b/layer.tar', 'c/layer.tar.gz'],
          },
        ]),
      },
    ]);
    const { added, manifest } = await addTo(good);
    const [one, two] = added.map((a) => manifest(a.descriptor.digest));
    expect(two?.layers[0]?.digest).toBe(one?.layers[0]?.digest);
    expect(two?.layers[1]?.mediaType).toBe(MEDIA.ociLayerGzip);
    expect(added[0]?.descriptor.platform?.architecture).toBe('arm64');

    const evil = join(root, 'escaping.tar');
    await writeRawTar(evil, [
      { header: { name: 'a/layer.tar', type: 'symlink', linkname: '../../../etc/shadow' } },
      { header: { name: 'manifest.json' }, content: '[]' },
    ]);
    await expect(addTo(evil)).rejects.toThrow(/links outside the archive/);
  });

  it('an image without a tag is refused with what to do', async () => {
    const archive = join(root, 'untagged.tar');
    await writeDockerSaveArchive(archive, [{ repoTags: [], layers: [{ files: { a: 'a' } }] }]);
    await expect(addTo(archive)).rejects.toThrow(/docker tag/);
  });

  it('an OCI archive (a kit, or skopeo output): its images keep their manifest bytes; artifacts are left out', async () => {
    const fixture = await makePackageFixture(join(root, 'fixture'));
    const kit = await makeKit(fixture, join(root, 'kit.tar'));
    const { added } = await addTo(kit);
    expect(added.map((a) => a.refName)).toEqual(['registry.example.com/monitor:1.2.0']);
    const fromSave = await addTo(fixture.imageTar);
    expect(added[0]?.descriptor.digest).toBe(fromSave.added[0]?.descriptor.digest);
  });
});
