import { createHash } from 'node:crypto';

/** The OCI digest (`sha256:<hex>`) of bytes held in memory; stream large data through a hash instead. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
