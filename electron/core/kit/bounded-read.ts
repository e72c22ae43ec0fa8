import { KitRefusedError } from './kit-errors';

/** Reads a small stream (index.json, a manifest) into memory, refusing anything larger. */
export async function readBounded(
  stream: AsyncIterable<unknown> & { destroy(error?: Error): unknown },
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const item of stream) {
    const chunk = item as Uint8Array;
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new KitRefusedError(`${what} is larger than ${maxBytes} bytes: not a kit file`, what);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
