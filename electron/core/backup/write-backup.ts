import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  BACKUP_FORMAT,
  type BackupHeader,
  type BackupManifest,
} from '../../../shared/backup/backup-manifest';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { installationOwner } from '../store/installation';
import type { Store } from '../store/store';
import { encodeHeader, headerDigest } from './backup-header-file';
import { BACKUP_KDF, checkNewPassphrase, deriveBackupKey, newSalt } from './backup-key';
import { snapshotDataHome, type SnapshotFile } from './data-home-snapshot';
import { ChunkSealer } from './sealed-chunks';

/** Plaintext per sealed chunk: large enough that the per-chunk work vanishes, small in memory. */
export const CHUNK_BYTES = 1024 * 1024;

export interface WriteBackupInput {
  output: string;
  passphrase: string;
  withStore: boolean;
  /** `margo-commissioner <version>`, for the header. */
  createdBy: string;
}

export interface WrittenBackup {
  header: BackupHeader;
  manifest: BackupManifest;
  /** sha256 of the manifest's bytes: names every file's digest, so it names the backup's contents. */
  manifestDigest: string;
  /** The archive's size. */
  bytes: number;
}

/**
 * Writes one encrypted archive of the data home: the plain header, then sealed chunks of
 * [manifest length, manifest, each file's bytes in the manifest's order]. Streams throughout
 * (a few chunks in memory at a time, never a file); written beside `output` and renamed at the end, so a
 * failed backup leaves no file that looks like one.
 */
export async function writeBackup(store: Store, input: WriteBackupInput): Promise<WrittenBackup> {
  checkNewPassphrase(input.passphrase);
  const folder = dirname(input.output);
  if (!isFolder(folder)) {
    throw new CommissionerError(
      'invalid-input',
      `${folder} is not a folder: give the backup a path in an existing folder`,
      { field: 'output' },
    );
  }
  // scrypt runs in the thread pool while the database is snapshotted.
  const kdf = { ...BACKUP_KDF, salt: newSalt() };
  const deriving = deriveBackupKey(input.passphrase, kdf);
  deriving.catch(() => undefined); // awaited below; a failed snapshot must not leave it unhandled
  const snapshot = await snapshotDataHome(store, input.withStore);
  const partial = join(
    folder,
    `.${basename(input.output)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`,
  );
  try {
    const key = await deriving;
    const createdAt = new Date().toISOString();
    const backupId = randomUUID();
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      createdBy: input.createdBy,
      createdAt,
      backupId,
      withStore: input.withStore,
      kdf,
      cipher: 'aes-256-gcm',
      chunkBytes: CHUNK_BYTES,
      keyCheck: key.check,
    };
    const headerBytes = encodeHeader(header);
    const owner = installationOwner(store);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      backupId,
      createdAt,
      createdBy: input.createdBy,
      source: {
        home: store.paths.home,
        installation: owner.installation,
        host: owner.host,
        engineer: owner.engineer,
      },
      withStore: input.withStore,
      summary: snapshot.summary,
      leftOut: snapshot.leftOut,
      files: snapshot.files.map(({ path, size, sha256, mode }) => ({ path, size, sha256, mode })),
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
    const fd = openSync(partial, 'wx', 0o600);
    try {
      writeAll(fd, headerBytes);
      const sealer = await ChunkSealer.create(fd, key.data, headerDigest(headerBytes), CHUNK_BYTES);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(manifestBytes.length);
      await sealer.append(length);
      await sealer.append(manifestBytes);
      for (const file of snapshot.files) await sealFile(sealer, file);
      await sealer.end();
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, input.output);
    return {
      header,
      manifest,
      manifestDigest: `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`,
      bytes: statSync(input.output).size,
    };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  } finally {
    snapshot.dispose();
  }
}

/** Plaintext between two turns given to the event loop: the app answers while it backs up. */
const YIELD_EVERY = 16 * CHUNK_BYTES;
let sinceYield = 0;

/**
 * One file's bytes into the sealer, read straight into its chunk (synchronous reads: no trip
 * through the thread pool per piece). Files of the snapshot were hashed when it was taken and
 * are checked again here; a stored blob is not hashed again: its name is its digest, checked
 * when it was imported (a blob enters the store only as a verified file), and the restore
 * checks it before anything is put in place. Hashing it here would double the work on the
 * thread that reads.
 */
async function sealFile(sealer: ChunkSealer, file: SnapshotFile): Promise<void> {
  const input = openSync(file.source, 'r');
  const hash = file.path.startsWith('store/') ? undefined : createHash('sha256');
  let size = 0;
  try {
    for (;;) {
      const space = sealer.space();
      const n = readSync(input, space, 0, space.length, null);
      if (n === 0) break;
      size += n;
      if (size > file.size) throw damagedSource(file);
      hash?.update(space.subarray(0, n));
      await sealer.commit(n);
      sinceYield += n;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    closeSync(input);
  }
  if (size !== file.size || (hash && hash.digest('hex') !== file.sha256)) {
    throw damagedSource(file);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

function damagedSource(file: SnapshotFile): CommissionerError {
  const blob = file.path.startsWith('store/');
  return new CommissionerError(
    'refused',
    blob
      ? `the package store's copy of sha256:${basename(file.path)} is not the size the catalog records: no backup was written; remove the package that holds it and import it again, or back up without the store`
      : `${file.path} changed while it was being backed up: no backup was written; run the backup again`,
    { reasons: [blob ? 'damaged blob' : 'changed during the backup'] },
  );
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
