import { sha256Digest } from '../store/content-digest';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Descriptor } from '../../../shared/oci/descriptors';
import { ANNOTATION, MEDIA, OCI_LAYOUT_VERSION } from '../../../shared/oci/media-types';
import type { BlobSink } from './blob-sink';
import { writeHashed, type StreamedBlob } from './write-file-from-chunks';

const SMALL_FILE = 1024 * 1024;

/**
 * Writes an OCI image layout folder: blobs by digest (hashed while written), then oci-layout
 * and index.json. Output is deterministic for the same inputs: no timestamps, stable order.
 */
export class LayoutWriter implements BlobSink {
  private readonly entries: Descriptor[] = [];
  private counter = 0;

  private constructor(readonly root: string) {}

  static async create(root: string): Promise<LayoutWriter> {
    await mkdir(join(root, 'blobs', 'sha256'), { recursive: true });
    return new LayoutWriter(root);
  }

  blobPath(digest: string): string {
    return join(this.root, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
  }

  async addBytes(bytes: Buffer | string): Promise<{ digest: string; size: number }> {
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    const digest = sha256Digest(data);
    await writeFile(this.blobPath(digest), data);
    return { digest, size: data.length };
  }

  /** Streams a file in, hashing as it goes (never buffered whole); small files in one read. */
  async addFile(
    path: string,
    onBytes?: (n: number) => void,
  ): Promise<{ digest: string; size: number }> {
    if ((await stat(path)).size <= SMALL_FILE) {
      const bytes = await readFile(path);
      onBytes?.(bytes.length);
      return this.addBytes(bytes);
    }
    return this.addStream(createReadStream(path, { highWaterMark: 1 << 20 }), onBytes);
  }

  async addStream(
    chunks: AsyncIterable<unknown>,
    onBytes?: (n: number) => void,
  ): Promise<StreamedBlob> {
    const temp = join(this.root, `.incoming-${++this.counter}`);
    try {
      const blob = await writeHashed(chunks, temp, onBytes);
      await rename(temp, this.blobPath(blob.digest));
      return blob;
    } finally {
      await rm(temp, { force: true });
    }
  }

  readBlob(digest: string): Promise<Buffer> {
    return readFile(this.blobPath(digest));
  }

  async removeBlob(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  async hasBlob(digest: string): Promise<boolean> {
    return stat(this.blobPath(digest)).then(
      () => true,
      () => false,
    );
  }

  /** Adds a manifest and lists it in index.json under `refName`. */
  async addManifest(
    manifest: object,
    refName: string | undefined,
    extra: Partial<Descriptor> = {},
  ): Promise<Descriptor> {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const { digest, size } = await this.addBytes(bytes);
    const mediaType = (manifest as { mediaType?: string }).mediaType ?? MEDIA.ociManifest;
    const descriptor: Descriptor = { mediaType, digest, size, ...extra };
    if (refName)
      this.entries.push({
        ...descriptor,
        annotations: { ...(extra.annotations ?? {}), [ANNOTATION.refName]: refName },
      });
    return descriptor;
  }

  /** Lists a manifest in index.json without a name (a signature, found by its subject). */
  listUnnamed(descriptor: Descriptor): void {
    this.entries.push(descriptor);
  }

  addRoot(descriptor: Descriptor, refName: string): void {
    this.entries.push({
      ...descriptor,
      annotations: { ...(descriptor.annotations ?? {}), [ANNOTATION.refName]: refName },
    });
  }

  async finish(): Promise<void> {
    const manifests = [...this.entries].sort((a, b) => {
      const ra = a.annotations?.[ANNOTATION.refName] ?? '';
      const rb = b.annotations?.[ANNOTATION.refName] ?? '';
      return ra < rb ? -1 : ra > rb ? 1 : 0;
    });
    await writeFile(
      join(this.root, 'oci-layout'),
      `${JSON.stringify({ imageLayoutVersion: OCI_LAYOUT_VERSION })}\n`,
    );
    await writeFile(
      join(this.root, 'index.json'),
      `${JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests }, null, 2)}\n`,
    );
  }
}
