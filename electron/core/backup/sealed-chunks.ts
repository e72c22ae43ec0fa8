import { createDecipheriv, webcrypto } from 'node:crypto';
import { writeSync } from 'node:fs';
import { ByteQueue } from './byte-queue';

/**
 * The encrypted part of a backup: AES-256-GCM over chunks of `chunkBytes` plaintext (the last
 * one shorter), each a record of flags (1 byte: 1 on the last), the plaintext length (4 bytes),
 * the ciphertext and its 16-byte tag. Each chunk's nonce is its index (the key is new for every
 * backup: its salt is), and its associated data is the header's digest, the index and the
 * flags: an edited header, a chunk moved, dropped, repeated or cut off, or a file that stops at
 * a chunk's end all fail authentication or are missing the last chunk.
 */
const PREFIX_BYTES = 5;
const TAG_BYTES = 16;

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

function associated(headerDigest: Buffer, index: number, flags: number): Buffer {
  const aad = Buffer.allocUnsafe(headerDigest.length + 9);
  headerDigest.copy(aad, 0);
  aad.writeBigUInt64BE(BigInt(index), headerDigest.length);
  aad[headerDigest.length + 8] = flags;
  return aad;
}

/** Chunks being sealed at once in the thread pool (its four threads kept busy) while the next are read. */
const SEALING_AHEAD = 8;

/**
 * Seals plaintext into records written to `fd` in order. Callers read straight into `space()`
 * and `commit` what they read; a full chunk is sealed only once more bytes arrive (only then
 * is it known not to be the last), and `end` seals the last one. Sealing runs in the thread
 * pool (WebCrypto's AES-GCM), several chunks at once, while the caller reads the
 * next: the work a `tar | openssl` pipeline splits between two processes. Writes are
 * synchronous and in order.
 */
export class ChunkSealer {
  /** Two chunk buffers, used in turn: WebCrypto copies a chunk when its sealing starts. */
  private spare: Buffer;
  private current: Buffer;
  private fill = 0;
  /** A full chunk waiting to learn whether it is the last. */
  private full: Buffer | null = null;
  private index = 0;
  private readonly sealing: Promise<Buffer[]>[] = [];

  private constructor(
    private readonly fd: number,
    private readonly key: webcrypto.CryptoKey,
    private readonly headerDigest: Buffer,
    private readonly chunkBytes: number,
  ) {
    this.current = Buffer.allocUnsafe(chunkBytes);
    this.spare = Buffer.allocUnsafe(chunkBytes);
  }

  static async create(
    fd: number,
    key: Buffer,
    headerDigest: Buffer,
    chunkBytes: number,
  ): Promise<ChunkSealer> {
    const cryptoKey = await webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
    return new ChunkSealer(fd, cryptoKey, headerDigest, chunkBytes);
  }

  /** Where the next bytes go: the rest of the current chunk, or a new one. */
  space(): Buffer {
    if (this.fill === this.chunkBytes) {
      this.full = this.current;
      this.current = this.spare;
      this.spare = this.full;
      this.fill = 0;
    }
    return this.current.subarray(this.fill);
  }

  /** `n` bytes were put at the start of `space()`. */
  async commit(n: number): Promise<void> {
    if (n === 0) return;
    if (this.full) {
      const full = this.full;
      this.full = null;
      await this.seal(full, 0);
    }
    this.fill += n;
  }

  /** Copies `bytes` in (small things: the manifest and its length). */
  async append(bytes: Buffer): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const n = bytes.copy(this.space(), 0, offset);
      await this.commit(n);
      offset += n;
    }
  }

  /** Seals the last chunk and writes everything still being sealed. */
  async end(): Promise<void> {
    if (this.full) await this.seal(this.full, 1);
    else await this.seal(this.current.subarray(0, this.fill), 1);
    while (this.sealing.length > 0) this.write(await (this.sealing.shift() as Promise<Buffer[]>));
  }

  private async seal(plain: Buffer, flags: number): Promise<void> {
    const index = this.index++;
    const prefix = Buffer.allocUnsafe(PREFIX_BYTES);
    prefix[0] = flags;
    prefix.writeUInt32BE(plain.length, 1);
    this.sealing.push(
      webcrypto.subtle
        .encrypt(
          {
            name: 'AES-GCM',
            iv: nonce(index),
            additionalData: associated(this.headerDigest, index, flags),
            tagLength: TAG_BYTES * 8,
          },
          this.key,
          plain,
        )
        // WebCrypto gives the ciphertext with the tag after it: the record's own order.
        .then((sealed) => [prefix, Buffer.from(sealed)]),
    );
    if (this.sealing.length >= SEALING_AHEAD) {
      this.write(await (this.sealing.shift() as Promise<Buffer[]>));
    }
  }

  private write(parts: Buffer[]): void {
    for (const part of parts) {
      let written = 0;
      while (written < part.length) {
        written += writeSync(this.fd, part, written, part.length - written);
      }
    }
  }
}

/** Why the sealed part cannot be opened, and where (chunk index, byte offset in the file). */
export class SealedChunkError extends Error {
  constructor(
    readonly kind: 'damaged' | 'truncated' | 'trailing',
    readonly index: number,
    readonly offset: number,
  ) {
    super(`sealed chunk ${index} at byte ${offset}: ${kind}`);
  }
}

/**
 * The plaintext of sealed records read from `source` (the file after its header, which starts
 * at byte `offset`): each chunk is yielded only once its tag verified, and the end only once
 * the last chunk was seen with nothing after it.
 */
export async function* openChunks(
  source: AsyncIterable<Buffer>,
  key: Buffer,
  headerDigest: Buffer,
  chunkBytes: number,
  offset: number,
): AsyncGenerator<Buffer, void, undefined> {
  const queue = new ByteQueue();
  const input = source[Symbol.asyncIterator]();
  const fill = async (n: number): Promise<boolean> => {
    while (queue.length < n) {
      const next = await input.next();
      if (next.done) return false;
      queue.push(next.value);
    }
    return true;
  };
  for (let index = 0; ; index++) {
    if (!(await fill(PREFIX_BYTES))) throw new SealedChunkError('truncated', index, offset);
    const prefix = queue.take(PREFIX_BYTES);
    const flags = prefix[0] as number;
    const length = prefix.readUInt32BE(1);
    if (flags > 1 || length > chunkBytes || (flags === 0 && length !== chunkBytes)) {
      throw new SealedChunkError('damaged', index, offset);
    }
    if (!(await fill(length + TAG_BYTES))) throw new SealedChunkError('truncated', index, offset);
    const body = queue.take(length);
    const tag = queue.take(TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce(index));
      decipher.setAAD(associated(headerDigest, index, flags));
      decipher.setAuthTag(tag);
      plain = decipher.update(body);
      decipher.final();
    } catch {
      throw new SealedChunkError('damaged', index, offset);
    }
    offset += PREFIX_BYTES + length + TAG_BYTES;
    if (flags === 1) {
      if (queue.length > 0 || (await fill(1))) {
        throw new SealedChunkError('trailing', index + 1, offset);
      }
      yield plain;
      return;
    }
    yield plain;
  }
}
