import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const HEAD_BYTES = 8;

export interface StreamedBlob {
  digest: string;
  size: number;
  /** The first bytes, enough to recognise gzip or zstd without reading the file again. */
  head: Buffer;
}

/** Writes an async stream of chunks to a file, hashing it on the way; returns digest and size. */
export async function writeHashed(
  chunks: AsyncIterable<unknown>,
  path: string,
  onBytes?: (n: number) => void,
): Promise<StreamedBlob> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  let size = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const item of chunks) {
      const chunk = item as Uint8Array;
      if (head.length < HEAD_BYTES)
        head = Buffer.concat([head, Buffer.from(chunk.subarray(0, HEAD_BYTES - head.length))]);
      hash.update(chunk);
      size += chunk.length;
      onBytes?.(chunk.length);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { digest: `sha256:${hash.digest('hex')}`, size, head };
}
