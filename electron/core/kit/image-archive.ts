import { CommissionerError } from '../../../shared/contract/contract-error';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { z } from 'zod';
import { ImageIndex, type Descriptor } from '../../../shared/oci/descriptors';
import { ANNOTATION, MEDIA } from '../../../shared/oci/media-types';
import { normalizeImageName } from '../../../shared/oci/reference';
import type { BlobSink } from './blob-sink';
import { readBounded } from './bounded-read';
import { normalizeMemberName, unsafeMemberReason } from './archive-member';
import type { StreamedBlob } from './write-file-from-chunks';

/** An archive that breaks the rules (links out, damaged, unsupported): refused, with why. */
export class ImageArchiveError extends CommissionerError<'refused'> {
  constructor(message: string) {
    super('refused', message, { reasons: [message] });
  }
}

const DockerSaveManifest = z.array(
  z.looseObject({
    Config: z.string(),
    RepoTags: z.array(z.string()).nullable().optional(),
    Layers: z.array(z.string()),
  }),
);

const ImageConfig = z.looseObject({
  architecture: z.string().optional(),
  os: z.string().optional(),
  variant: z.string().optional(),
});

const SMALL_MEMBERS = new Set(['manifest.json', 'repositories', 'index.json', 'oci-layout']);
const MAX_JSON = 4 * 1024 * 1024;

export interface AddedImage {
  refName: string;
  descriptor: Descriptor;
}

/**
 * Adds the images of a `docker save` archive (or an OCI image archive) to a kit: each layer
 * is streamed into the sink once, hashed on the way, never held in memory. Images are listed
 * under their RepoTags normalized as Docker does (`bars/web:1.0.0` is
 * `docker.io/bars/web:1.0.0`). Layers keep their bytes (uncompressed docker-save layers stay
 * uncompressed), so the device can load them again exactly as they were saved.
 */
export async function addImageArchive(
  path: string,
  sink: BlobSink,
  onBytes?: (n: number) => void,
): Promise<AddedImage[]> {
  const gzip = await startsWithGzip(path);
  const tar = extract();
  const flowing = (
    gzip
      ? pipeline(createReadStream(path), createGunzip(), tar)
      : pipeline(createReadStream(path), tar)
  ).catch((e: unknown) => e);
  const members = new Map<string, StreamedBlob>();
  const links = new Map<string, string>();
  const small = new Map<string, Buffer>();
  try {
    for await (const entry of tar) {
      const name = normalizeMemberName(entry.header.name);
      if (entry.header.type === 'symlink') {
        // `docker save` links identical layers to one copy; only links within the archive are followed.
        const target = posix.normalize(
          posix.join(posix.dirname(name), entry.header.linkname ?? ''),
        );
        if (target.startsWith('..') || posix.isAbsolute(target)) {
          throw new ImageArchiveError(`${path}: member "${name}" links outside the archive`);
        }
        links.set(name, target);
        entry.resume();
        continue;
      }
      const unsafe = unsafeMemberReason(entry.header);
      if (unsafe)
        throw new ImageArchiveError(`${path}: member "${entry.header.name}" is refused: ${unsafe}`);
      if (entry.header.type === 'directory') {
        entry.resume();
      } else if (SMALL_MEMBERS.has(name)) {
        small.set(name, await readBounded(entry, MAX_JSON, name));
      } else {
        const blob = await sink.addStream(entry, onBytes);
        const named = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(name)?.[1];
        if (named && `sha256:${named}` !== blob.digest) {
          throw new ImageArchiveError(
            `${path}: member ${name} does not match its digest (it hashes to ${blob.digest}): the archive is damaged`,
          );
        }
        members.set(name, blob);
      }
    }
  } catch (e) {
    tar.destroy();
    await flowing;
    throw e;
  }
  const failure = await flowing;
  if (failure)
    throw new ImageArchiveError(
      `${path} is not a readable image archive: ${failure instanceof Error ? failure.message : String(failure)}`,
    );

  const resolveMember = (name: string) => {
    let current = normalizeMemberName(name);
    for (let hops = 0; links.has(current) && hops < 8; hops++)
      current = links.get(current) as string;
    const blob = members.get(current);
    if (!blob)
      throw new ImageArchiveError(
        `${path}: member ${name} named by manifest.json is not in the archive`,
      );
    return blob;
  };

  const manifestJson = small.get('manifest.json');
  if (manifestJson) return addDockerSaveImages(path, manifestJson, resolveMember, sink);
  const indexJson = small.get('index.json');
  if (indexJson && small.has('oci-layout'))
    return addOciArchiveImages(path, indexJson, members, sink);
  throw new ImageArchiveError(
    `${path} is neither a docker save archive (manifest.json) nor an OCI image archive (oci-layout, index.json)`,
  );
}

async function addDockerSaveImages(
  path: string,
  manifestJson: Buffer,
  resolveMember: (name: string) => StreamedBlob,
  sink: BlobSink,
): Promise<AddedImage[]> {
  const parsed = DockerSaveManifest.safeParse(parseJson(manifestJson, `${path}: manifest.json`));
  if (!parsed.success)
    throw new ImageArchiveError(`${path}: manifest.json is not a docker save manifest`);
  const added: AddedImage[] = [];
  for (const image of parsed.data) {
    const { digest: configDigest, size: configSize } = resolveMember(image.Config);
    const config = { digest: configDigest, size: configSize };
    const configJson = ImageConfig.parse(
      parseJson(await sink.readBlob(config.digest), `${path}: image config`),
    );
    const layers: Descriptor[] = [];
    for (const layer of image.Layers) {
      const { digest, size, head } = resolveMember(layer);
      const compressed = head[0] === 0x1f && head[1] === 0x8b;
      layers.push({ mediaType: compressed ? MEDIA.ociLayerGzip : MEDIA.ociLayer, digest, size });
    }
    const manifest = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, ...config },
      layers,
    };
    const tags = image.RepoTags ?? [];
    if (tags.length === 0) {
      throw new ImageArchiveError(
        `${path}: an image has no tag (RepoTags is empty): tag it (docker tag) before docker save, so devices can find it by name`,
      );
    }
    const platform = {
      architecture: configJson.architecture ?? 'amd64',
      os: configJson.os ?? 'linux',
      ...(configJson.variant ? { variant: configJson.variant } : {}),
    };
    for (const tag of tags) {
      const refName = normalizeImageName(tag);
      const descriptor = await sink.addManifest(manifest, refName, { platform });
      added.push({ refName, descriptor });
    }
  }
  return added;
}

async function addOciArchiveImages(
  path: string,
  indexJson: Buffer,
  members: ReadonlyMap<string, StreamedBlob>,
  sink: BlobSink,
): Promise<AddedImage[]> {
  const index = ImageIndex.safeParse(parseJson(indexJson, `${path}: index.json`));
  if (!index.success) throw new ImageArchiveError(`${path}: index.json is not an OCI image index`);
  const added: AddedImage[] = [];
  for (const entry of index.data.manifests) {
    // Artifacts (packages, compose archives) in the same layout are not images.
    if (entry.artifactType) continue;
    const name =
      entry.annotations?.['io.containerd.image.name'] ?? entry.annotations?.[ANNOTATION.refName];
    if (!name || !/[/:]/.test(name)) {
      throw new ImageArchiveError(
        `${path}: manifest ${entry.digest} has no image name (only "${name ?? ''}"): save it with its full name`,
      );
    }
    if (!members.has(`blobs/sha256/${entry.digest.replace(/^sha256:/, '')}`)) {
      throw new ImageArchiveError(
        `${path}: manifest ${entry.digest} listed in index.json is not in the archive`,
      );
    }
    const refName = normalizeImageName(name);
    const { annotations: _annotations, ...descriptor } = entry;
    sink.addRoot(descriptor, refName);
    added.push({ refName, descriptor });
  }
  return added;
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ImageArchiveError(`${what} is not valid JSON`);
  }
}

async function startsWithGzip(path: string): Promise<boolean> {
  const handle = await open(path);
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
