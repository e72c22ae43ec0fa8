import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const HEAD_BYTES = 8;
const READ_CHUNK = 1024 * 1024;
/** Written bytes after which the disk is asked to start writing them out (see `HashedFile`). */
const FLUSH_EVERY = 64 * 1024 * 1024;

export interface StreamedBlob {
  digest: string;
  size: number;
  /** The first bytes, enough to recognise gzip or zstd without reading the file again. */
  head: Buffer;
}

/**
 * A file being written and hashed in one pass: a chunk is hashed while the one before it is
 * still being written (at most one write in flight, so the file is written in order), and what
 * is written is the very buffer that was hashed. Every 64 MiB the written part is flushed in
 * the background, so the disk writes while the rest is hashed and the commit's fsync finds
 * little left to do (one fsync at the end would write a whole large layer after the copy).
 */
class HashedFile {
  private readonly hash = createHash('sha256');
  private size = 0;
  private head = Buffer.alloc(0);
  private writing: Promise<void> = Promise.resolve();
  private flushing: Promise<void> | undefined;
  private unflushed = 0;
  private flushFailure: { error: unknown } | undefined;

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<HashedFile> {
    return new HashedFile(await open(path, 'w'));
  }

  /** Hashes `chunk` and queues its write; the chunk must stay unchanged until the next add. */
  async add(chunk: Uint8Array, onBytes?: (n: number) => void): Promise<void> {
    if (this.head.length < HEAD_BYTES)
      this.head = Buffer.concat([
        this.head,
        Buffer.from(chunk.subarray(0, HEAD_BYTES - this.head.length)),
      ]);
    this.hash.update(chunk);
    this.size += chunk.length;
    onBytes?.(chunk.length);
    await this.writing;
    this.unflushed += chunk.length;
    if (this.unflushed >= FLUSH_EVERY && !this.flushing) {
      this.unflushed = 0;
      this.flushing = this.handle.datasync().then(
        () => (this.flushing = undefined),
        (e: unknown) => {
          this.flushing = undefined;
          this.flushFailure ??= { error: e };
        },
      );
    }
    this.writing = writeAll(this.handle, chunk);
  }

  async finish(): Promise<StreamedBlob> {
    await this.close();
    return { digest: `sha256:${this.hash.digest('hex')}`, size: this.size, head: this.head };
  }

  /** Waits for what is under way and closes the file (also after a failure). */
  async close(): Promise<void> {
    try {
      await this.writing;
      await this.flushing;
      if (this.flushFailure) throw this.flushFailure.error;
    } finally {
      await this.writing.catch(() => undefined);
      await this.flushing;
      await this.handle.close();
    }
  }
}

/**
 * Writes an async stream of chunks to a file, hashing it on the way (see `HashedFile`);
 * returns digest and size. Chunks must not be reused by their producer once yielded.
 */
export async function writeHashed(
  chunks: AsyncIterable<unknown>,
  path: string,
  onBytes?: (n: number) => void,
): Promise<StreamedBlob> {
  const out = await HashedFile.create(path);
  try {
    for await (const chunk of chunks) await out.add(chunk as Uint8Array, onBytes);
  } catch (e) {
    await out.close().catch(() => undefined);
    throw e;
  }
  return out.finish();
}

/**
 * Copies a file, hashing what it writes; the source is read once. Three buffers take turns:
 * one being read, one being hashed, one being written, so reading, hashing and writing overlap,
 * and no memory is taken afresh per chunk (fresh pages cost the kernel a fault and a zeroing
 * each). With the size the file should have, a small file takes one buffer of its size.
 */
export async function copyHashed(
  source: string,
  target: string,
  onBytes?: (n: number) => void,
  expectedSize = Infinity,
): Promise<StreamedBlob> {
  const chunk = Math.max(1, Math.min(READ_CHUNK, expectedSize + 1));
  const buffers = [0, 1, 2].map(() => Buffer.allocUnsafeSlow(chunk));
  const input = await open(source, 'r');
  const read = (turn: number) =>
    input.read(buffers[turn % 3] as Buffer, 0, chunk, null).then((r) => r.bytesRead);
  let reading: Promise<number> = Promise.resolve(0);
  try {
    const out = await HashedFile.create(target);
    try {
      reading = read(0);
      for (let turn = 0; ; turn++) {
        const bytes = await reading;
        if (bytes === 0) break;
        // The next read goes into the buffer whose write ended before this one's began.
        reading = read(turn + 1);
        await out.add((buffers[turn % 3] as Buffer).subarray(0, bytes), onBytes);
      }
    } catch (e) {
      await out.close().catch(() => undefined);
      throw e;
    }
    return await out.finish();
  } finally {
    await reading.catch(() => undefined);
    await input.close();
  }
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let written = 0;
  while (written < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
    written += bytesWritten;
  }
}
