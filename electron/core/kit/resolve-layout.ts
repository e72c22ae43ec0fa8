import { sha256Digest } from '../store/content-digest';
import { ImageIndex, ImageManifest, type Descriptor } from '../../../shared/oci/descriptors';
import { manifestKind, type ManifestKind } from '../../../shared/oci/manifest-kind';
import {
  ANNOTATION,
  INDEX_MEDIA_TYPES,
  MANIFEST_MEDIA_TYPES,
} from '../../../shared/oci/media-types';
import type { BlobReader } from './blob-reader';
import { KitRefusedError } from './kit-errors';

export interface LayoutManifest {
  digest: string;
  mediaType: string;
  size: number;
  kind: ManifestKind;
  artifactType?: string | undefined;
  manifest: ImageManifest | ImageIndex;
  /** Descriptors this manifest references (config + layers, or child manifests). */
  children: Descriptor[];
}

export interface LayoutRoot {
  descriptor: Descriptor;
  /** `org.opencontainers.image.ref.name` of the index entry, when the source names it. */
  refName?: string | undefined;
}

export interface ResolvedLayout {
  roots: LayoutRoot[];
  manifests: Map<string, LayoutManifest>;
  /** Every blob reachable from the roots, manifests included, with its descriptor size. */
  blobs: Map<string, number>;
  /** Descriptors whose blob is absent but which embed their bytes (`data`), e.g. `{}` configs. */
  embedded: Map<string, Buffer>;
}

const MAX_DEPTH = 4;

/**
 * Walks a layout from its index: every referenced blob must be present with the size its
 * descriptor states (a blob the store already holds still has to be in the kit), manifests
 * must parse and match their digests. Blob contents are hashed afterwards (`verifyDigests`).
 */
export async function resolveLayout(
  index: ImageIndex,
  reader: BlobReader,
  maxJsonBytes: number,
): Promise<ResolvedLayout> {
  const resolved: ResolvedLayout = {
    roots: [],
    manifests: new Map(),
    blobs: new Map(),
    embedded: new Map(),
  };
  const visit = async (descriptor: Descriptor, referrer: string, depth: number): Promise<void> => {
    const { digest } = descriptor;
    if (resolved.blobs.has(digest)) return;
    const size = reader.size(digest);
    if (size === undefined) {
      const embedded = embeddedBytes(descriptor);
      if (embedded) {
        resolved.embedded.set(digest, embedded);
        resolved.blobs.set(digest, embedded.length);
        return;
      }
      throw new KitRefusedError(
        `blob ${digest} (${descriptor.mediaType}), referenced by ${referrer}, is missing from the kit`,
        digest,
      );
    }
    if (size !== descriptor.size) {
      throw new KitRefusedError(
        `blob ${digest} has ${size} bytes but ${referrer} says ${descriptor.size}: the kit is damaged or was altered`,
        digest,
      );
    }
    resolved.blobs.set(digest, size);
    const isIndex = INDEX_MEDIA_TYPES.includes(descriptor.mediaType);
    if (!isIndex && !MANIFEST_MEDIA_TYPES.includes(descriptor.mediaType)) return;
    if (depth > MAX_DEPTH)
      throw new KitRefusedError(
        `manifests nest more than ${MAX_DEPTH} levels deep at ${digest}`,
        digest,
      );
    const bytes = await reader.readSmall(digest, maxJsonBytes);
    const actual = sha256Digest(bytes);
    if (actual !== digest) {
      throw new KitRefusedError(
        `manifest ${digest} does not match its digest (it hashes to ${actual}): the kit is damaged or was altered`,
        digest,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new KitRefusedError(`manifest ${digest} is not valid JSON`, digest);
    }
    const parsed = (isIndex ? ImageIndex : ImageManifest).safeParse(json);
    if (!parsed.success) {
      throw new KitRefusedError(
        `manifest ${digest} is not a valid ${isIndex ? 'image index' : 'image manifest'}: ${parsed.error.issues[0]?.message ?? ''}`,
        digest,
      );
    }
    const manifest = parsed.data;
    const children = isIndex
      ? (manifest as ImageIndex).manifests
      : [(manifest as ImageManifest).config, ...(manifest as ImageManifest).layers];
    resolved.manifests.set(digest, {
      digest,
      mediaType: descriptor.mediaType,
      size,
      kind: manifestKind(descriptor.mediaType, manifest),
      artifactType: manifest.artifactType ?? descriptor.artifactType,
      manifest,
      children,
    });
    for (const child of children) await visit(child, `manifest ${digest}`, depth + 1);
  };
  for (const descriptor of index.manifests) {
    if (
      !INDEX_MEDIA_TYPES.includes(descriptor.mediaType) &&
      !MANIFEST_MEDIA_TYPES.includes(descriptor.mediaType)
    ) {
      throw new KitRefusedError(
        `index.json lists ${descriptor.digest} with media type ${descriptor.mediaType}, which is not a manifest`,
      );
    }
    resolved.roots.push({ descriptor, refName: descriptor.annotations?.[ANNOTATION.refName] });
    await visit(descriptor, 'index.json', 1);
  }
  return resolved;
}

function embeddedBytes(descriptor: Descriptor): Buffer | undefined {
  if (descriptor.data === undefined) return undefined;
  const bytes = Buffer.from(descriptor.data, 'base64');
  const digest = sha256Digest(bytes);
  return digest === descriptor.digest && bytes.length === descriptor.size ? bytes : undefined;
}
