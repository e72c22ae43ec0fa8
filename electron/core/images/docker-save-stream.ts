import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ImageManifest, type Descriptor } from '../../../shared/oci/descriptors';
import { MEDIA } from '../../../shared/oci/media-types';
import type { BlobStore } from '../store/blob-store';

/** An image in the store that cannot be written as a `docker save` archive, and why. */
export class DockerSaveError extends Error {
  override name = 'DockerSaveError';
}

/** One member of the archive, in the order it is written. */
export interface ArchiveMember {
  name: string;
  /** Bytes of content (0 for a directory). */
  size: number;
  /** The blob it is read from; absent for directories and manifest.json. */
  digest?: string;
}

/** What `dockerSaveArchive` prepared: known before a byte is sent. */
export interface DockerSaveArchive {
  /** The config digest: Docker's image ID once loaded. */
  imageId: string;
  /** Exact size of the tar stream, for progress. */
  totalBytes: number;
  members: ArchiveMember[];
  /** A fresh stream of the archive, built from the blob files as it is read. */
  stream(): Readable;
}

const BLOCK = 512;
const CHUNK = 1 << 20;
const MAX_MANIFEST = 4 * 1024 * 1024;
/** ustar's size field holds 11 octal digits: up to 8 GiB − 1; larger sizes go base-256. */
const MAX_OCTAL_SIZE = 0o77777777777;

const IMAGE_CONFIGS: readonly string[] = [MEDIA.ociConfig, MEDIA.dockerConfig];
/**
 * Layers `POST /images/load` reads: plain tar or gzip (Docker detects the compression). zstd
 * is left out: Docker 20.10 cannot read it.
 */
const LOADABLE_LAYERS: readonly string[] = [
  MEDIA.ociLayer,
  MEDIA.ociLayerGzip,
  MEDIA.dockerLayer,
  MEDIA.dockerLayerGzip,
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
];

/**
 * Prepares a `docker save` archive (manifest.json with Config, RepoTags and Layers; the
 * config; each layer) of one image manifest in the store, tagged with `repoTags`. Nothing is
 * copied: `stream()` reads each blob file into its tar entry as the consumer pulls, so a
 * layer is never held in memory nor written to a temporary file. Layers go as stored
 * (uncompressed or gzip). Member order and headers are fixed (mtime 0, owner 0, mode 0644),
 * so the same image and tags always give the same bytes.
 */
export function dockerSaveArchive(
  blobs: BlobStore,
  manifestDigest: string,
  repoTags: readonly string[],
): DockerSaveArchive {
  const manifest = readImageManifest(blobs, manifestDigest);
  const configHex = hexOf(manifest.config.digest);
  const members: ArchiveMember[] = [];
  const layerNames: string[] = [];
  const seen = new Set<string>();
  for (const layer of manifest.layers) {
    const hex = hexOf(layer.digest);
    layerNames.push(`${hex}/layer.tar`);
    // An image may list the same layer twice (empty layers): one copy, named twice.
    if (seen.has(hex)) continue;
    seen.add(hex);
    members.push({ name: `${hex}/`, size: 0 });
    members.push({ name: `${hex}/layer.tar`, size: blobSize(blobs, layer), digest: layer.digest });
  }
  const manifestJson = Buffer.from(
    JSON.stringify([{ Config: `${configHex}.json`, RepoTags: [...repoTags], Layers: layerNames }]),
  );
  members.unshift(
    { name: 'manifest.json', size: manifestJson.length },
    {
      name: `${configHex}.json`,
      size: blobSize(blobs, manifest.config),
      digest: manifest.config.digest,
    },
  );
  const totalBytes = members.reduce((sum, m) => sum + BLOCK + padded(m.size), 0) + 2 * BLOCK; // end of archive
  return {
    imageId: manifest.config.digest,
    totalBytes,
    members,
    stream: () =>
      Readable.from(archiveChunks(blobs, members, manifestJson), {
        objectMode: false,
        highWaterMark: CHUNK,
      }),
  };
}

/** A manifest of the store read as an image manifest (OCI or Docker schema 2), or why not. */
export function readImageManifest(blobs: BlobStore, digest: string): ImageManifest {
  let bytes: Buffer;
  try {
    if (blobs.size(digest) > MAX_MANIFEST)
      throw new DockerSaveError(`manifest ${digest} is larger than ${MAX_MANIFEST} bytes`);
    bytes = blobs.read(digest);
  } catch (e) {
    if (e instanceof DockerSaveError) throw e;
    throw new DockerSaveError(
      `manifest ${digest} is missing from the store (${(e as Error).message}): import the image again`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DockerSaveError(`manifest ${digest} in the store is not valid JSON`);
  }
  const parsed = ImageManifest.safeParse(json);
  if (!parsed.success)
    throw new DockerSaveError(
      `${digest} is not an image manifest (${parsed.error.issues[0]?.message ?? 'wrong shape'})`,
    );
  const manifest = parsed.data;
  if (!IMAGE_CONFIGS.includes(manifest.config.mediaType))
    throw new DockerSaveError(
      `${digest} is not a container image: its config is ${manifest.config.mediaType}`,
    );
  const odd = manifest.layers.find((l) => !LOADABLE_LAYERS.includes(l.mediaType));
  if (odd)
    throw new DockerSaveError(
      `layer ${odd.digest} of ${digest} is ${odd.mediaType}, which Docker's image load cannot read (only uncompressed and gzip layers): save the image with gzip layers`,
    );
  return manifest;
}

function blobSize(blobs: BlobStore, d: Descriptor): number {
  let actual: number;
  try {
    actual = statSync(blobs.pathOf(d.digest)).size;
  } catch {
    throw new DockerSaveError(
      `blob ${d.digest} is missing from the store: the store is damaged; import the image again`,
    );
  }
  if (actual !== d.size)
    throw new DockerSaveError(
      `blob ${d.digest} has ${actual} bytes in the store, its manifest says ${d.size}: the store is damaged; import the image again`,
    );
  return actual;
}

async function* archiveChunks(
  blobs: BlobStore,
  members: readonly ArchiveMember[],
  manifestJson: Buffer,
): AsyncGenerator<Buffer> {
  for (const m of members) {
    const directory = m.name.endsWith('/');
    yield tarHeader(m.name, m.size, directory);
    if (directory) continue;
    if (!m.digest) {
      yield manifestJson;
    } else {
      let sent = 0;
      for await (const chunk of createReadStream(blobs.pathOf(m.digest), {
        highWaterMark: CHUNK,
      })) {
        const bytes = chunk as Buffer;
        sent += bytes.length;
        // A file that grew would break the tar framing: stop rather than send garbage.
        if (sent > m.size) break;
        yield bytes;
      }
      if (sent !== m.size)
        throw new DockerSaveError(
          `blob ${m.digest} changed size in the store while it was sent (${sent} bytes, expected ${m.size})`,
        );
    }
    const pad = padded(m.size) - m.size;
    if (pad > 0) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(2 * BLOCK);
}

/**
 * A ustar header with fixed metadata. Names here are at most 74 ASCII characters, within
 * ustar's 100; sizes of 8 GiB and more use the base-256 form Go's archive/tar reads.
 */
export function tarHeader(name: string, size: number, directory: boolean): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new DockerSaveError(`tar member name too long: ${name}`);
  h.write(name, 0, 'utf8');
  octal(h, 100, 8, directory ? 0o755 : 0o644);
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  if (size <= MAX_OCTAL_SIZE) {
    octal(h, 124, 12, size);
  } else {
    h[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--) {
      h[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  octal(h, 136, 12, 0); // mtime
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  h.write(directory ? '5' : '0', 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return h;
}

function octal(h: Buffer, at: number, width: number, value: number): void {
  h.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, at, 'ascii');
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function hexOf(digest: string): string {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!m) throw new DockerSaveError(`not a sha256 digest: ${digest}`);
  return m[1] as string;
}
