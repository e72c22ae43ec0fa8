import type { ImageIndex, ImageManifest } from '../../../shared/oci/descriptors';
import type { LayoutManifest } from '../kit/resolve-layout';
import { NOTARY } from './notary/notary-names';

/**
 * Whether a root of a layout is a signature rather than an artifact: a Notary Project
 * signature manifest (OCI 1.1 `artifactType`, or the older `config.mediaType` form), or a
 * referrers index (the `sha256-<hex>` tag schema) that lists only signatures. Such roots come
 * with what they sign; they are neither imported on their own nor reported as skipped.
 */
export function isSignatureRoot(
  m: LayoutManifest,
  manifests: ReadonlyMap<string, LayoutManifest>,
): boolean {
  if (m.kind === 'index') {
    const children = (m.manifest as ImageIndex).manifests;
    return (
      children.length > 0 &&
      children.every(
        (c) =>
          c.artifactType === NOTARY.signatureArtifactType ||
          isSignatureManifest(manifests.get(c.digest)?.manifest),
      )
    );
  }
  return isSignatureManifest(m.manifest);
}

function isSignatureManifest(manifest: ImageManifest | ImageIndex | undefined): boolean {
  if (!manifest || 'manifests' in manifest) return false;
  return (manifest.artifactType ?? manifest.config.mediaType) === NOTARY.signatureArtifactType;
}
