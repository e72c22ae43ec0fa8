import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageIndex, ImageManifest, type Descriptor } from '../../shared/oci/descriptors';
import { MEDIA } from '../../shared/oci/media-types';
import type { RegistryClient } from '../../electron/core/registry/registry-client';

const NOTARY_SIGNATURE = 'application/vnd.cncf.notary.signature';

/**
 * Pushes the Notary Project signatures an OCI layout holds (as `notation` would to a registry
 * without the referrers API): each signature manifest with its blobs, by digest, into the
 * repository its subject was pushed to, then one `sha256-<hex>` tag-schema index per subject
 * listing them. `targets` is pushLayout's (ref name → `repository:tag`); signatures of
 * subjects not pushed are skipped.
 */
export async function pushSignaturesAsTagSchema(
  client: RegistryClient,
  layoutDir: string,
  targets: Record<string, string>,
): Promise<number> {
  const index = ImageIndex.parse(JSON.parse(readFileSync(join(layoutDir, 'index.json'), 'utf8')));
  const blobPath = (digest: string) => join(layoutDir, 'blobs', 'sha256', digest.slice(7));
  const repositoryOf = new Map<string, string>();
  for (const entry of index.manifests) {
    const refName = entry.annotations?.['org.opencontainers.image.ref.name'];
    const target = refName ? targets[refName] : undefined;
    if (target) repositoryOf.set(entry.digest, target.slice(0, target.lastIndexOf(':')));
  }
  const bySubject = new Map<string, Descriptor[]>();
  for (const entry of index.manifests.filter((m) => m.artifactType === NOTARY_SIGNATURE)) {
    const bytes = readFileSync(blobPath(entry.digest));
    const manifest = ImageManifest.parse(JSON.parse(bytes.toString('utf8')));
    const subject = manifest.subject?.digest ?? '';
    const repository = repositoryOf.get(subject);
    if (!repository) continue;
    for (const blob of [manifest.config, ...manifest.layers])
      await client.pushBlob(repository, blobPath(blob.digest), blob.digest);
    await client.pushManifest(repository, entry.digest, MEDIA.ociManifest, bytes);
    bySubject.set(subject, [
      ...(bySubject.get(subject) ?? []),
      {
        mediaType: MEDIA.ociManifest,
        digest: entry.digest,
        size: bytes.length,
        artifactType: NOTARY_SIGNATURE,
        ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
      },
    ]);
  }
  for (const [subject, signatures] of bySubject) {
    const referrers = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: signatures }),
    );
    await client.pushManifest(
      repositoryOf.get(subject) as string,
      subject.replace(':', '-'),
      MEDIA.ociIndex,
      referrers,
    );
  }
  return [...bySubject.values()].reduce((n, s) => n + s.length, 0);
}
