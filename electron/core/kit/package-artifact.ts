import { join } from 'node:path';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { CATALOG_FILE_FIELDS } from '../../../shared/margo/application-description';
import { normalizeReference } from '../../../shared/validation/checks/package-references';
import {
  ANNOTATION,
  EMPTY_CONFIG,
  MEDIA,
  resourceMediaType,
  type ResourceKind,
} from '../../../shared/oci/media-types';
import type { Descriptor } from '../../../shared/oci/descriptors';
import type { BlobSink } from './blob-sink';

/** A package is metadata: its files are bounded in number and size. */
export const PACKAGE_LIMITS = { maxFiles: 500, maxBytes: 256 * 1024 * 1024 };

export class PackageTooLargeError extends Error {
  override name = 'PackageTooLargeError';
}

/** The reference a package is listed under in a kit or the store: `<id>:<version>`. */
export function packageRefName(d: Pick<ApplicationDescription, 'id' | 'metadata'>): string {
  return `${d.id}:${d.metadata.version}`;
}

/**
 * Writes an application package as the spec's registry artifact: an OCI manifest with
 * artifactType application/vnd.margo.app.v1+json, the empty config, the description as the
 * first layer, then every resource (the files the catalog references, and everything under
 * resources/), each titled with its package path. Deterministic: the same folder gives the
 * same manifest digest, so re-importing a package is a no-op.
 */
export async function writePackageArtifact(
  dir: string,
  descriptionName: string,
  description: ApplicationDescription,
  files: ReadonlySet<string>,
  sink: BlobSink,
): Promise<{ manifest: Descriptor; descriptionDigest: string }> {
  const kinds = new Map<string, ResourceKind>();
  const app = description.metadata.catalog.application;
  for (const field of CATALOG_FILE_FIELDS) {
    const reference = app?.[field];
    const path = reference ? normalizeReference(reference) : undefined;
    if (path && files.has(path)) kinds.set(path, field);
  }
  const paths = [
    ...new Set([...kinds.keys(), ...[...files].filter((f) => f.startsWith('resources/'))]),
  ].sort();
  if (paths.length > PACKAGE_LIMITS.maxFiles) {
    throw new PackageTooLargeError(
      `the package has ${paths.length} resource files, more than ${PACKAGE_LIMITS.maxFiles}: a package holds metadata only`,
    );
  }
  const descriptionBlob = await sink.addFile(join(dir, descriptionName));
  const layers: Descriptor[] = [
    {
      mediaType: MEDIA.margoDescription,
      digest: descriptionBlob.digest,
      size: descriptionBlob.size,
      annotations: { [ANNOTATION.title]: descriptionName },
    },
  ];
  let total = descriptionBlob.size;
  for (const path of paths) {
    const blob = await sink.addFile(join(dir, ...path.split('/')));
    total += blob.size;
    if (total > PACKAGE_LIMITS.maxBytes) {
      throw new PackageTooLargeError(
        `the package's files exceed ${PACKAGE_LIMITS.maxBytes / 1024 ** 2} MiB: a package holds metadata only (images and charts travel as components)`,
      );
    }
    const kind = kinds.get(path);
    layers.push({
      mediaType: kind ? resourceMediaType(kind, path) : 'application/octet-stream',
      digest: blob.digest,
      size: blob.size,
      annotations: { [ANNOTATION.title]: path, [ANNOTATION.margoResource]: kind ?? 'resource' },
    });
  }
  await sink.addBytes('{}');
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    artifactType: MEDIA.margoApp,
    config: {
      mediaType: EMPTY_CONFIG.mediaType,
      digest: EMPTY_CONFIG.digest,
      size: EMPTY_CONFIG.size,
    },
    layers,
    annotations: {
      [ANNOTATION.title]: description.metadata.name,
      [ANNOTATION.version]: description.metadata.version,
    },
  };
  const descriptor = await sink.addManifest(manifest, packageRefName(description), {
    artifactType: MEDIA.margoApp,
  });
  return { manifest: descriptor, descriptionDigest: descriptionBlob.digest };
}
