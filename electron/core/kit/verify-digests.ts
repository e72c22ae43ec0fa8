import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { KitRefusedError } from './kit-errors';

const CHUNK = 4 * 1024 * 1024;

export interface BlobToVerify {
  digest: string;
  path: string;
  size: number;
  /** What the bytes hashed to as they were staged: then the file is not read again. */
  arrived?: { digest: string; size: number } | undefined;
}

/**
 * The hashing stage of an import: every staged blob is hashed and compared with its digest
 * before anything is kept. Blobs hashed while they were staged are only compared; the others
 * are read in large chunks with one reusable buffer (no per-chunk allocation, no streams).
 */
export async function verifyDigests(
  blobs: readonly BlobToVerify[],
  onBytes?: (bytes: number) => void,
): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (const blob of blobs) {
    if (blob.arrived) {
      onBytes?.(blob.arrived.size);
      checkBlob(blob, blob.arrived.digest, blob.arrived.size);
      continue;
    }
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
    checkBlob(blob, `sha256:${hash.digest('hex')}`, total);
  }
}

function checkBlob(blob: BlobToVerify, actual: string, total: number): void {
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
