import type { Descriptor } from '../../../shared/oci/descriptors';
import type { StreamedBlob } from './write-file-from-chunks';

/** Where artifact builders put blobs: a kit being packed, or an import's staging area. */
export interface BlobSink {
  addFile(path: string, onBytes?: (n: number) => void): Promise<{ digest: string; size: number }>;
  addBytes(bytes: Buffer | string): Promise<{ digest: string; size: number }>;
  /** Streams chunks in as one blob, hashing as they come. */
  addStream(chunks: AsyncIterable<unknown>, onBytes?: (n: number) => void): Promise<StreamedBlob>;
  /** Reads back a small blob already added (an image config). */
  readBlob(digest: string): Promise<Buffer>;
  /** Stores the manifest and lists it as a root of the layout under `refName`. */
  addManifest(
    manifest: object,
    refName: string | undefined,
    extra?: Partial<Descriptor>,
  ): Promise<Descriptor>;
  /** Lists a manifest already added as a blob (bytes kept exactly) as a root under `refName`. */
  addRoot(descriptor: Descriptor, refName: string): void;
}
