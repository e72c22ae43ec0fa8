import type { ImageIndex, ImageManifest } from './descriptors';
import { INDEX_MEDIA_TYPES, MEDIA } from './media-types';

export type ManifestKind = 'application' | 'compose' | 'helm' | 'image' | 'index' | 'other';

/**
 * What a manifest holds, from its media type, artifact type and config: a Margo application
 * package, a compose component, a Helm chart, a container image, or an index of manifests.
 * Older tools put the artifact type in config.mediaType; both places are read.
 */
export function manifestKind(
  mediaType: string,
  manifest: ImageManifest | ImageIndex,
): ManifestKind {
  if (INDEX_MEDIA_TYPES.includes(mediaType) || 'manifests' in manifest) return 'index';
  const m = manifest as ImageManifest;
  const artifact = m.artifactType ?? m.config.mediaType;
  if (artifact === MEDIA.margoApp) return 'application';
  if (
    artifact === MEDIA.margoCompose ||
    m.layers.some((l) => l.mediaType === MEDIA.margoComposeLayer)
  ) {
    return 'compose';
  }
  if (m.config.mediaType === MEDIA.helmConfig) return 'helm';
  if (m.config.mediaType === MEDIA.ociConfig || m.config.mediaType === MEDIA.dockerConfig)
    return 'image';
  return 'other';
}
