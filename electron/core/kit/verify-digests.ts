import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { KitRefusedError } from './kit-errors';

const CHUNK = 4 * 1024 * 1024;

export interface BlobToVerify {
  digest: string;
  path: string;
  size: number;
}

/**
 * The hashing stage of an import: every staged blob is hashed and compared with its digest
 * before anything is kept. Hashing is the physical limit of a verified import, so this reads
 * large chunks with one reusable buffer (no per-chunk allocation, no stream machinery).
 */
export async function verifyDigests(
  blobs: readonly BlobToVerify[],
  onBytes?: (bytes: number) => void,
): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (const blob of blobs) {
    const hash = createHash('sha256');
    const handle = await open(blob.path, 'r');
    let total = 0;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
        total += bytesRead;
        onBytes?.(bytesRead);
      }
    } finally {
      await handle.close();
    }
    const actual = `sha256:${hash.digest('hex')}`;
    if (total !== blob.size) {
      throw new KitRefusedError(
        `blob ${blob.digest} has ${total} bytes, its descriptor says ${blob.size}: the kit is damaged or was altered`,
        blob.digest,
      );
    }
    if (actual !== blob.digest) {
      throw new KitRefusedError(
        `blob ${blob.digest} does not match its digest (its bytes hash to ${actual}): the kit is damaged or was altered`,
        blob.digest,
      );
    }
  }
}
