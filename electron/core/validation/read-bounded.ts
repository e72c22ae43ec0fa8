import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reads at most `limit + 1` bytes of a regular file, so a file that grows between `stat` and
 * `read`, or a hostile 10 GB "margo.yaml", never ends up in memory. Synchronous: the limit is
 * small (1 MiB), and a stick of 1,000 packages pays for every thread-pool round trip.
 */
export function readBounded(path: string, limit: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    // Sized from fstat, grown (up to the limit) only if the file grows while it is read.
    let buffer = Buffer.allocUnsafe(Math.min(fstatSync(fd).size, limit) + 1);
    let filled = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) {
        if (buffer.length > limit) break;
        const larger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}
