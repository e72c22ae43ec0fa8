import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importSources } from '../../electron/core/import/import-sources';
import type { ImportReport } from '../../electron/core/import/import-report';
import { addImageArchive, type AddedImage } from '../../electron/core/kit/image-archive';
import { LayoutWriter } from '../../electron/core/kit/layout-writer';
import type { Store } from '../../electron/core/store/store';
import type { Descriptor } from '../../shared/oci/descriptors';
import { MEDIA } from '../../shared/oci/media-types';
import { BUSYBOX_IMAGE_CONFIG, busyboxRootfsTar } from './busybox-image';

/**
 * Puts images into a store the way an engineer does: a kit (an OCI layout folder) written by
 * the code behind `kit pack --image` (plus whatever `build` adds), then `import` of that kit.
 * Throws when the import does not report every root as imported or unchanged.
 */
export async function importImageKit(
  store: Store,
  kitDir: string,
  build: (writer: LayoutWriter) => Promise<void>,
): Promise<ImportReport> {
  const writer = await LayoutWriter.create(kitDir);
  await build(writer);
  await writer.finish();
  const report = await importSources(store, [{ input: kitDir, path: kitDir }]);
  const problems = [
    ...report.refused,
    ...report.invalid,
    ...report.unreadable,
    ...report.conflicts,
  ];
  if (problems.length > 0)
    throw new Error(`importing ${kitDir} failed: ${JSON.stringify(problems, null, 2)}`);
  return report;
}

/** `kit pack --image <archive>`: a docker save (or OCI) archive added to the kit being written. */
export function addArchive(writer: LayoutWriter, archive: string): Promise<AddedImage[]> {
  return addImageArchive(archive, writer);
}

/**
 * The busybox test image as an OCI image whose one layer is gzip-compressed (as registries
 * and `skopeo copy` store images), named `refName`.
 */
export async function addGzipBusybox(
  writer: LayoutWriter,
  work: string,
  refName: string,
): Promise<Descriptor> {
  const rootfsPath = join(work, 'busybox-rootfs.tar');
  await busyboxRootfsTar(rootfsPath);
  const rootfs = await readFile(rootfsPath);
  const layer = await writer.addBytes(gzipSync(rootfs, { level: 6 }));
  const config = await writer.addBytes(
    JSON.stringify({
      architecture: hostArchitecture(),
      os: 'linux',
      config: { ...BUSYBOX_IMAGE_CONFIG, Labels: { compressed: 'gzip' } },
      rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(rootfs)}`] },
      history: [{ created_by: 'commissioner test fixture: gzip busybox' }],
    }),
  );
  return writer.addManifest(
    {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, ...config },
      layers: [{ mediaType: MEDIA.ociLayerGzip, ...layer }],
    },
    refName,
    { platform: { architecture: hostArchitecture(), os: 'linux' } },
  );
}

/** A multi-platform image: an OCI index of the given (platform-carrying) manifests. */
export function addIndex(
  writer: LayoutWriter,
  refName: string,
  manifests: Descriptor[],
): Promise<Descriptor> {
  return writer.addManifest(
    {
      schemaVersion: 2,
      mediaType: MEDIA.ociIndex,
      manifests: manifests.map((m) => ({
        mediaType: m.mediaType,
        digest: m.digest,
        size: m.size,
        platform: m.platform,
      })),
    },
    refName,
  );
}

/** This machine's architecture as images name it (what the fleet's daemons run). */
export function hostArchitecture(): string {
  const names: Partial<Record<NodeJS.Architecture, string>> = { x64: 'amd64', arm64: 'arm64' };
  return names[process.arch] ?? process.arch;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
