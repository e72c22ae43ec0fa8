import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageIndex, ImageManifest } from '../../shared/oci/descriptors';
import { INDEX_MEDIA_TYPES } from '../../shared/oci/media-types';
import type { RegistryClient } from '../../electron/core/registry/registry-client';

/**
 * Pushes what an OCI layout folder holds to a registry with plain distribution-API calls, the
 * way a supplier publishes to a plant registry: `targets` maps each index.json ref name to the
 * `repository:tag` to push it as (refs not listed are skipped).
 */
export async function pushLayout(
  client: RegistryClient,
  layoutDir: string,
  targets: Record<string, string>,
): Promise<void> {
  const index = ImageIndex.parse(JSON.parse(readFileSync(join(layoutDir, 'index.json'), 'utf8')));
  const blobPath = (digest: string) =>
    join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  for (const entry of index.manifests) {
    const refName = entry.annotations?.['org.opencontainers.image.ref.name'];
    const target = refName ? targets[refName] : undefined;
    if (!target) continue;
    const colon = target.lastIndexOf(':');
    const repository = target.slice(0, colon);
    const tag = target.slice(colon + 1);
    const pushTree = async (digest: string, mediaType: string): Promise<void> => {
      const bytes = readFileSync(blobPath(digest));
      const json = JSON.parse(bytes.toString('utf8')) as unknown;
      if (INDEX_MEDIA_TYPES.includes(mediaType)) {
        for (const child of ImageIndex.parse(json).manifests)
          await pushTree(child.digest, child.mediaType);
      } else {
        const manifest = ImageManifest.parse(json);
        for (const d of [manifest.config, ...manifest.layers])
          await client.pushBlob(repository, blobPath(d.digest), d.digest);
      }
      await client.pushManifest(repository, digest, mediaType, bytes);
    };
    await pushTree(entry.digest, entry.mediaType);
    await client.pushManifest(
      repository,
      tag,
      entry.mediaType,
      readFileSync(blobPath(entry.digest)),
    );
  }
}
