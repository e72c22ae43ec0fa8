import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  BackupManifest,
  isBackupPath,
  type BackupFile,
  type BackupHeader,
} from '../../../shared/backup/backup-manifest';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { headerDigest, readHeader } from './backup-header-file';
import { backupRefused } from './backup-refusal';
import { deriveBackupKey, keyMatches } from './backup-key';
import { ByteQueue } from './byte-queue';
import { openChunks, SealedChunkError } from './sealed-chunks';

/** A manifest larger than this is not one a data home makes (100,000 blobs take ~15 MiB). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export interface BackupFileHeader {
  file: string;
  /** How people know the file (an upload's own name): what refusals name. */
  name: string;
  header: BackupHeader;
  headerBytes: Buffer;
}

/** The plain header of a backup file; refusals say why it is not one. */
export async function readBackupHeader(
  file: string,
  restoring = true,
  name: string = basename(file),
): Promise<BackupFileHeader> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    throw new CommissionerError(
      'invalid-input',
      `cannot read ${file}: give the path of a backup file \`backup create\` wrote`,
      { field: 'file' },
      { cause: e },
    );
  }
  try {
    if (!(await handle.stat()).isFile()) {
      throw new CommissionerError('invalid-input', `${file} is not a file: give a backup file`, {
        field: 'file',
      });
    }
    const { header, bytes } = await readHeader(handle, name, restoring);
    return { file, name, header, headerBytes: bytes };
  } finally {
    await handle.close();
  }
}

/**
 * A backup opened with its passphrase: the manifest first, then each file's bytes in order,
 * every byte authenticated before it is handed out. Refusals name the part at fault.
 */
export class BackupReader {
  private readonly queue = new ByteQueue();
  private readonly chunks: AsyncGenerator<Buffer, void, undefined>;
  private readonly source: ReturnType<typeof createReadStream>;
  /** What is being read, for the words of a refusal. */
  private reading = 'the list of contents';

  private constructor(
    private readonly opened: BackupFileHeader,
    key: Buffer,
    private readonly restoring: boolean,
  ) {
    const { header, headerBytes } = opened;
    this.source = createReadStream(opened.file, {
      start: headerBytes.length,
      highWaterMark: header.chunkBytes + 21,
    });
    this.chunks = openChunks(
      this.source as AsyncIterable<Buffer>,
      key,
      headerDigest(headerBytes),
      header.chunkBytes,
      headerBytes.length,
    );
  }

  /** Derives the key and checks it against the header: a wrong passphrase is refused here. */
  static async unlock(
    opened: BackupFileHeader,
    passphrase: string,
    restoring = true,
  ): Promise<BackupReader> {
    const key = await deriveBackupKey(passphrase, opened.header.kdf);
    if (!keyMatches(key, opened.header)) {
      throw backupRefused(opened.name, 'wrong passphrase', '', restoring);
    }
    return new BackupReader(opened, key.data, restoring);
  }

  /** The manifest, checked: its shape, that it is this header's, that every path is allowed. */
  async manifest(): Promise<BackupManifest> {
    const length = (await this.exactly(4)).readUInt32BE(0);
    const damaged = (why: string) =>
      backupRefused(this.opened.name, 'damaged manifest', why, this.restoring);
    if (length > MAX_MANIFEST_BYTES) throw damaged('its length');
    let parsed;
    try {
      parsed = BackupManifest.safeParse(JSON.parse((await this.exactly(length)).toString('utf8')));
    } catch (e) {
      if (e instanceof CommissionerError) throw e;
      throw damaged('not readable');
    }
    const { header } = this.opened;
    if (
      !parsed.success ||
      parsed.data.backupId !== header.backupId ||
      parsed.data.withStore !== header.withStore
    ) {
      throw damaged('not this header');
    }
    const seen = new Set<string>();
    for (const file of parsed.data.files) {
      if (!isBackupPath(file.path) || seen.has(file.path)) throw damaged('a path');
      seen.add(file.path);
    }
    return parsed.data;
  }

  /**
   * Streams one file's bytes to `write` (awaited, so a slow disk slows the reading), checking
   * its size and sha256 against the manifest.
   */
  async copy(file: BackupFile, write: (bytes: Buffer) => Promise<void>): Promise<void> {
    this.reading = file.path;
    const hash = createHash('sha256');
    let left = file.size;
    while (left > 0) {
      if (this.queue.length === 0 && !(await this.more())) throw this.endedEarly();
      const piece = this.queue.takeSome(left);
      hash.update(piece);
      left -= piece.length;
      await write(piece);
    }
    if (hash.digest('hex') !== file.sha256) {
      throw backupRefused(
        this.opened.name,
        'damaged data',
        `(inside it, ${file.path} does not match its digest)`,
        this.restoring,
      );
    }
  }

  /** After the last file: the sealed part must end here, with its last chunk. */
  async end(): Promise<void> {
    this.reading = 'its end';
    if (this.queue.length > 0 || (await this.more())) {
      throw backupRefused(
        this.opened.name,
        'damaged data',
        '(it holds more than its list of contents names)',
        this.restoring,
      );
    }
  }

  /** Stops reading (a refusal, or `inspect`, which reads the manifest only). */
  async close(): Promise<void> {
    await this.chunks.return(undefined);
    this.source.destroy();
  }

  private async exactly(n: number): Promise<Buffer> {
    while (this.queue.length < n) {
      if (!(await this.more())) throw this.endedEarly();
    }
    return this.queue.take(n);
  }

  /** The next authenticated chunk into the queue; false at the sealed end. */
  private async more(): Promise<boolean> {
    let next: IteratorResult<Buffer, void>;
    try {
      next = await this.chunks.next();
    } catch (e) {
      throw this.refusalOf(e);
    }
    if (next.done) return false;
    this.queue.push(next.value);
    return true;
  }

  private endedEarly(): CommissionerError {
    return backupRefused(
      this.opened.name,
      'damaged data',
      `(its contents end inside ${this.reading})`,
      this.restoring,
    );
  }

  private refusalOf(e: unknown): unknown {
    if (!(e instanceof SealedChunkError)) return e;
    const file = this.opened.name;
    if (e.kind === 'truncated') return backupRefused(file, 'truncated', '', this.restoring);
    if (e.kind === 'trailing')
      return backupRefused(file, 'bytes after the end', '', this.restoring);
    if (this.reading === 'the list of contents') {
      return backupRefused(file, 'damaged manifest', '', this.restoring);
    }
    return backupRefused(
      file,
      'damaged data',
      `around byte ${e.offset} (inside ${this.reading})`,
      this.restoring,
    );
  }
}
