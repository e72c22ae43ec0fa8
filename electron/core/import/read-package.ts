import { readFile } from 'node:fs/promises';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { Descriptor, ImageManifest } from '../../../shared/oci/descriptors';
import {
  ANNOTATION,
  MEDIA,
  RESOURCE_KINDS,
  resourceKindOfMediaType,
  type ResourceKind,
} from '../../../shared/oci/media-types';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import {
  MAX_DOCUMENT_BYTES,
  validateDocumentBytes,
  type DocumentValidation,
} from '../../../shared/validation/validate-document';

export interface PackageResource {
  path: string;
  kind?: ResourceKind | undefined;
  mediaType: string;
  digest: string;
  size: number;
}

export type PackageReading =
  | {
      ok: true;
      description: ApplicationDescription;
      warnings: Diagnostic[];
      resources: PackageResource[];
      descriptionDigest: string;
    }
  | { ok: false; message: string; diagnostics: Diagnostic[] };

/**
 * Reads an application package manifest: finds its one description layer (by media type,
 * else by a YAML title) and its resource layers (either convention of the spec: typed media
 * types or the org.margo.app.resource annotation, falling back to the title), then validates
 * the description against the files the package actually carries.
 */
export async function readPackage(
  manifest: ImageManifest,
  readBlob: (digest: string) => Promise<Buffer> | Buffer,
  label: string,
  /** Validation results already known by description digest (a package folder validated it). */
  known?: ReadonlyMap<string, DocumentValidation>,
): Promise<PackageReading> {
  const layers = manifest.layers;
  let descriptions = layers.filter((l) => l.mediaType === MEDIA.margoDescription);
  if (descriptions.length === 0) {
    descriptions = layers.filter((l) =>
      /^[^/]+\.ya?ml$/i.test(l.annotations?.[ANNOTATION.title] ?? ''),
    );
  }
  if (descriptions.length !== 1) {
    return {
      ok: false,
      message: `${label}: a package holds exactly one description layer (${MEDIA.margoDescription}); this one has ${descriptions.length}`,
      diagnostics: [],
    };
  }
  const descriptionLayer = descriptions[0] as Descriptor;
  if (descriptionLayer.size > MAX_DOCUMENT_BYTES) {
    return {
      ok: false,
      message: `${label}: the description layer is larger than 1 MiB`,
      diagnostics: [],
    };
  }
  const resources: PackageResource[] = [];
  for (const layer of layers) {
    if (layer === descriptionLayer) continue;
    const path = layer.annotations?.[ANNOTATION.title];
    if (!path) continue;
    const annotated = layer.annotations?.[ANNOTATION.margoResource];
    const kind =
      resourceKindOfMediaType(layer.mediaType) ??
      ((RESOURCE_KINDS as readonly string[]).includes(annotated ?? '')
        ? (annotated as ResourceKind)
        : undefined);
    resources.push({
      path: path.replace(/^\.\//, ''),
      kind,
      mediaType: layer.mediaType,
      digest: layer.digest,
      size: layer.size,
    });
  }
  const title = descriptionLayer.annotations?.[ANNOTATION.title] ?? 'margo.yaml';
  const result =
    known?.get(descriptionLayer.digest) ??
    validateDocumentBytes(await readBlob(descriptionLayer.digest), {
      file: `${label}#${title}`,
      packageFiles: { files: new Set(resources.map((r) => r.path)), links: new Set() },
    });
  if (result.kind !== 'ApplicationDescription' || !result.valid) {
    return {
      ok: false,
      message: `${label}: the application description is not valid`,
      diagnostics: result.diagnostics,
    };
  }
  return {
    ok: true,
    description: result.value as ApplicationDescription,
    warnings: result.diagnostics,
    resources,
    descriptionDigest: descriptionLayer.digest,
  };
}

/** Reads a small staged file (a description) — the layers were verified before this runs. */
export function readStaged(path: string): Promise<Buffer> {
  return readFile(path);
}
