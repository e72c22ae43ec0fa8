import { readFile, writeFile } from 'node:fs/promises';
import { ImageIndex, ImageManifest, type Descriptor } from '../../../shared/oci/descriptors';
import { ANNOTATION, INDEX_MEDIA_TYPES, MEDIA } from '../../../shared/oci/media-types';
import { manifestKind } from '../../../shared/oci/manifest-kind';
import {
  formatReference,
  parseOciReference,
  type OciReference,
} from '../../../shared/oci/reference';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { KitRefusedError } from '../kit/kit-errors';
import { NOTARY } from '../signatures/notary/notary-names';
import type { StagedLayout } from '../kit/staged-layout';
import {
  RegistryClient,
  RegistryError,
  type RegistryCredentials,
} from '../registry/registry-client';
import type { StagingArea } from '../store/staging';
import { composeImages } from './compose-images';
import { readPackage } from './read-package';

export interface RegistryAccess {
  plainHttp?: boolean;
  ca?: string;
  credentials?: RegistryCredentials;
  timeoutMs?: number;
  /** Never connect to the station itself (the face can be reached by others). */
  refuseLocal?: boolean;
}

/** The registry cannot be read (unreachable, credentials, not found): the source is unreadable. */
export class RegistryUnreadableError extends Error {
  override name = 'RegistryUnreadableError';
}

const MAX_MANIFEST = 4 * 1024 * 1024;
const MAX_DEPTH = 4;
/** Signatures pulled per artifact, and their sizes: a hostile registry cannot make us pull more. */
const MAX_SIGNATURES = 16;
const MAX_SIGNATURE_MANIFEST = 64 * 1024;
const MAX_ENVELOPE = 1024 * 1024;

/**
 * Pulls `oci://host/repo[:tag]` (every tag when none is given) into staging as an OCI layout
 * whose roots are named `host/repo:tag`, over the distribution API. Every blob and manifest is
 * verified by the client as it arrives. With `withDependencies`, the components each package
 * names (compose archives, Helm charts: `repository` + `revision`) are pulled too, and the
 * images the compose files name (read with the description's default values), from the
 * registries their names point at. The Notary Project signatures of every root are pulled too
 * (referrers API, or the `sha256-<hex>` tag schema), as unnamed roots of the staged layout.
 */
export async function stageRegistrySource(
  reference: OciReference,
  access: RegistryAccess,
  staging: StagingArea,
  withDependencies: boolean,
  onBytes?: (n: number) => void,
): Promise<{ layout: StagedLayout; dependencyProblems: { ref: string; message: string }[] }> {
  const clients = new Map<string, RegistryClient>();
  const clientFor = (registry: string) => {
    let client = clients.get(registry);
    if (!client) {
      client = new RegistryClient({ registry, ...access });
      clients.set(registry, client);
    }
    return client;
  };
  const layout: StagedLayout = {
    index: { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [] },
    blobs: new Map(),
  };

  const pullTree = async (
    client: RegistryClient,
    repository: string,
    descriptor: Descriptor,
    depth: number,
  ): Promise<void> => {
    if (layout.blobs.has(descriptor.digest)) return;
    const isManifest =
      INDEX_MEDIA_TYPES.includes(descriptor.mediaType) ||
      descriptor.mediaType === MEDIA.ociManifest ||
      descriptor.mediaType === MEDIA.dockerManifest;
    if (!isManifest) {
      const path = staging.file('blob');
      await client.fetchBlob(repository, descriptor, path, onBytes);
      layout.blobs.set(descriptor.digest, { path, size: descriptor.size });
      return;
    }
    if (depth > MAX_DEPTH)
      throw new KitRefusedError(
        `manifests nest more than ${MAX_DEPTH} levels deep at ${descriptor.digest}`,
      );
    const fetched = await client.getManifest(repository, descriptor.digest, {
      maxBytes: MAX_MANIFEST,
    });
    await storeManifest(fetched.bytes, fetched.digest);
    const json = JSON.parse(fetched.bytes.toString('utf8')) as unknown;
    const children = INDEX_MEDIA_TYPES.includes(fetched.mediaType)
      ? ImageIndex.parse(json).manifests
      : [ImageManifest.parse(json).config, ...ImageManifest.parse(json).layers];
    for (const child of children) await pullTree(client, repository, child, depth + 1);
  };
  const storeManifest = async (bytes: Buffer, digest: string) => {
    const path = staging.file('manifest');
    await writeFile(path, bytes);
    layout.blobs.set(digest, { path, size: bytes.length });
  };

  /** Pulls the signature manifests (and envelopes) whose subject is `subject`. */
  const pullSignatures = async (
    client: RegistryClient,
    repository: string,
    subject: Descriptor,
  ): Promise<void> => {
    const found = await client.referrers(repository, subject.digest, NOTARY.signatureArtifactType);
    for (const referrer of found.slice(0, MAX_SIGNATURES)) {
      if (layout.blobs.has(referrer.digest) || referrer.mediaType !== MEDIA.ociManifest) continue;
      const fetched = await client.getManifest(repository, referrer.digest, {
        maxBytes: MAX_SIGNATURE_MANIFEST,
      });
      const parsed = ImageManifest.safeParse(jsonOrUndefined(fetched.bytes));
      // Only what is really a signature of this artifact, of envelope size, is kept.
      if (
        !parsed.success ||
        (parsed.data.artifactType ?? parsed.data.config.mediaType) !==
          NOTARY.signatureArtifactType ||
        parsed.data.subject?.digest !== subject.digest ||
        parsed.data.layers.length !== 1 ||
        (parsed.data.layers[0]?.size ?? Infinity) > MAX_ENVELOPE ||
        parsed.data.config.size > MAX_ENVELOPE
      )
        continue;
      await storeManifest(fetched.bytes, fetched.digest);
      for (const child of [parsed.data.config, ...parsed.data.layers]) {
        if (child.data === undefined) await pullTree(client, repository, child, 3);
      }
      layout.index.manifests.push({
        mediaType: fetched.mediaType,
        digest: fetched.digest,
        size: fetched.bytes.length,
        artifactType: NOTARY.signatureArtifactType,
      });
    }
  };

  const imagesOfComposeRoot = async (
    root: Descriptor,
    description: ApplicationDescription,
    component: OciReference,
  ) => {
    const manifestBlob = layout.blobs.get(root.digest);
    const manifest = ImageManifest.parse(
      JSON.parse((await readFile(manifestBlob?.path ?? '')).toString('utf8')),
    );
    const layer = manifest.layers.find((l) => l.mediaType === MEDIA.margoComposeLayer);
    const staged = layer ? layout.blobs.get(layer.digest) : undefined;
    if (!layer || !staged) return { images: [], problems: ['it has no compose archive layer'] };
    const names = description.deploymentProfiles
      .flatMap((p) => p.components)
      .filter(
        (c) =>
          c.properties.repository === `oci://${component.registry}/${component.repository}` &&
          c.properties.revision === component.tag,
      )
      .map((c) => c.name);
    const images: OciReference[] = [];
    const problems: string[] = [];
    for (const name of [...new Set(names)]) {
      const found = await composeImages(staged.path, layer.digest, description, name);
      images.push(...found.images);
      problems.push(...found.problems);
    }
    return { images, problems };
  };

  const pullRoot = async (ref: OciReference, tag: string, named = true): Promise<Descriptor> => {
    const client = clientFor(ref.registry);
    const fetched = await client.getManifest(ref.repository, tag, { maxBytes: MAX_MANIFEST });
    const json = JSON.parse(fetched.bytes.toString('utf8')) as ImageManifest | ImageIndex;
    const descriptor: Descriptor = {
      mediaType: fetched.mediaType,
      digest: fetched.digest,
      size: fetched.bytes.length,
    };
    if (!INDEX_MEDIA_TYPES.includes(fetched.mediaType) && (json as ImageManifest).artifactType) {
      descriptor.artifactType = (json as ImageManifest).artifactType;
    }
    if (!layout.blobs.has(fetched.digest)) {
      await storeManifest(fetched.bytes, fetched.digest);
      const children = INDEX_MEDIA_TYPES.includes(fetched.mediaType)
        ? ImageIndex.parse(json).manifests
        : [ImageManifest.parse(json).config, ...ImageManifest.parse(json).layers];
      for (const child of children) await pullTree(client, ref.repository, child, 2);
      await pullSignatures(client, ref.repository, descriptor);
    }
    layout.index.manifests.push({
      ...descriptor,
      annotations: {
        [ANNOTATION.refName]: named ? formatReference({ ...ref, tag }) : formatReference(ref),
      },
    });
    return descriptor;
  };

  try {
    const tags = reference.tag
      ? [reference.tag]
      : await clientFor(reference.registry).listTags(reference.repository);
    if (tags.length === 0)
      throw new RegistryUnreadableError(`${formatReference(reference)} has no tags`);
    const roots: Descriptor[] = [];
    for (const tag of tags) roots.push(await pullRoot(reference, tag));

    const dependencyProblems: { ref: string; message: string }[] = [];
    if (withDependencies) {
      for (const root of roots) {
        const manifestBlob = layout.blobs.get(root.digest);
        if (!manifestBlob || root.artifactType !== MEDIA.margoApp) continue;
        const manifest = ImageManifest.parse(
          JSON.parse((await readFile(manifestBlob.path)).toString('utf8')),
        );
        if (manifestKind(root.mediaType, manifest) !== 'application') continue;
        const reading = await readPackage(
          manifest,
          (d) => readFile(layout.blobs.get(d)?.path ?? ''),
          formatReference(reference),
        );
        if (!reading.ok) continue;
        for (const dependency of componentReferences(reading.description)) {
          let pulled: Descriptor;
          try {
            pulled = await pullRoot(dependency, dependency.tag as string);
          } catch (e) {
            if (!(e instanceof RegistryError)) throw e;
            dependencyProblems.push({ ref: formatReference(dependency), message: e.message });
            continue;
          }
          if (pulled.artifactType !== MEDIA.margoCompose) continue;
          // The images its compose file names, from the registries the names point at.
          const found = await imagesOfComposeRoot(pulled, reading.description, dependency);
          for (const message of found.problems) {
            dependencyProblems.push({ ref: formatReference(dependency), message });
          }
          for (const image of found.images) {
            try {
              await pullRoot(
                image,
                image.digest ?? (image.tag as string),
                image.digest === undefined,
              );
            } catch (e) {
              if (!(e instanceof RegistryError)) throw e;
              dependencyProblems.push({ ref: formatReference(image), message: e.message });
            }
          }
        }
      }
    }
    return { layout, dependencyProblems };
  } catch (e) {
    if (e instanceof RegistryError) {
      if (
        e.kind === 'digest-mismatch' ||
        e.kind === 'size-mismatch' ||
        e.kind === 'too-large' ||
        e.kind === 'protocol' ||
        e.kind === 'local-target'
      ) {
        throw new KitRefusedError(e.message);
      }
      throw new RegistryUnreadableError(e.message);
    }
    throw e;
  }
}

function jsonOrUndefined(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The OCI references of the components a description names (repository + revision). */
export function componentReferences(d: ApplicationDescription): OciReference[] {
  const seen = new Set<string>();
  const refs: OciReference[] = [];
  for (const profile of d.deploymentProfiles) {
    for (const c of profile.components) {
      const { repository, revision } = c.properties;
      if (!repository?.startsWith('oci://') || !revision) continue;
      const parsed = parseOciReference(`${repository}:${revision}`);
      if (!parsed.ok) continue;
      const key = formatReference(parsed.reference);
      if (!seen.has(key)) {
        seen.add(key);
        refs.push(parsed.reference);
      }
    }
  }
  return refs;
}
