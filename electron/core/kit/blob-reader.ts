import { createReadStream, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBounded } from './bounded-read';
import { KitRefusedError } from './kit-errors';
import type { StagedLayout } from './staged-layout';

/** Read access to the blobs of a layout while its manifests are walked. */
export interface BlobReader {
  /** Size of the blob, or undefined when the source does not have it. */
  size(digest: string): number | undefined;
  readSmall(digest: string, maxBytes: number): Promise<Buffer>;
}

/** Blobs already copied into staging (kit archives, registry pulls). */
export function stagedBlobReader(layout: StagedLayout): BlobReader {
  return {
    size: (digest) => layout.blobs.get(digest)?.size,
    readSmall: (digest, maxBytes) => {
      const blob = layout.blobs.get(digest);
      if (!blob) throw new KitRefusedError(`blob ${digest} is missing`);
      if (blob.size > maxBytes)
        throw new KitRefusedError(`manifest ${digest} is larger than ${maxBytes} bytes`, digest);
      // Staged manifests are small and already size-checked: one blocking read.
      return Promise.resolve(readFileSync(blob.path));
    },
  };
}

/**
 * Blobs of an OCI layout folder, read in place. Only regular files count: a link in a
 * layout could point anywhere on the engineer's disk.
 */
export function folderBlobReader(root: string): BlobReader & { pathOf(digest: string): string } {
  const pathOf = (digest: string) => {
    const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
    if (!m) throw new KitRefusedError(`"${digest}" is not a sha256 digest`);
    return join(root, 'blobs', 'sha256', m[1] as string);
  };
  return {
    pathOf,
    size(digest) {
      try {
        const info = lstatSync(pathOf(digest));
        if (info.isSymbolicLink()) {
          throw new KitRefusedError(
            `blob ${digest} is a symbolic link: layouts must hold the blobs themselves`,
            digest,
          );
        }
        return info.isFile() ? info.size : undefined;
      } catch (e) {
        if (e instanceof KitRefusedError) throw e;
        return undefined;
      }
    },
    readSmall: (digest, maxBytes) =>
      readBounded(createReadStream(pathOf(digest)), maxBytes, `manifest ${digest}`),
  };
}
