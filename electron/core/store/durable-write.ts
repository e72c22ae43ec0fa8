import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Writes a small file and fsyncs it through the same descriptor (one open instead of two). */
export function writeDurably(path: string, data: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
