import type { Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { digestHash, type ParsedDigest } from '../store/content-digest';
import { RegistryError } from './registry-error';

export interface ExpectedBlob {
  digest: string;
  parsed: ParsedDigest;
  size: number;
}

/**
 * Passes a blob through while counting and hashing it. More bytes than the descriptor's size
 * fail at once, so a hostile registry cannot fill the disk; fewer bytes or another digest fail
 * at the end, before the caller treats the file as complete.
 */
export class BlobVerifier extends Transform {
  private received = 0;
  private readonly hash: Hash;

  constructor(
    private readonly expected: ExpectedBlob,
    private readonly source: { registry: string; url: URL },
    private readonly onProgress?: (bytes: number) => void,
  ) {
    super();
    this.hash = digestHash(expected.parsed.algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.expected.size) {
      done(
        this.error(
          'size-mismatch',
          `${this.source.registry} sent more than the ${this.expected.size} bytes of blob ${this.expected.digest}`,
        ),
      );
      return;
    }
    this.hash.update(chunk);
    this.onProgress?.(this.received);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.received !== this.expected.size) {
      done(
        this.error(
          'size-mismatch',
          `${this.source.registry} sent ${this.received} of the ${this.expected.size} bytes of blob ${this.expected.digest}`,
        ),
      );
      return;
    }
    const actual = `${this.expected.parsed.algorithm}:${this.hash.digest('hex')}`;
    if (actual !== this.expected.digest) {
      done(
        this.error(
          'digest-mismatch',
          `blob ${this.expected.digest} from ${this.source.registry} has the digest ${actual}: the registry's copy is damaged or was altered on the way`,
        ),
      );
      return;
    }
    done();
  }

  private error(kind: 'size-mismatch' | 'digest-mismatch', message: string): RegistryError {
    return new RegistryError(kind, message, { url: this.source.url, status: 200 });
  }
}
