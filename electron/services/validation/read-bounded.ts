import { open } from 'node:fs/promises';

/**
 * Reads at most `limit + 1` bytes of a regular file, so a file that grows between `stat` and
 * `read`, or a hostile 10 GB "margo.yaml", never ends up in memory.
 */
export async function readBounded(path: string, limit: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(limit + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
