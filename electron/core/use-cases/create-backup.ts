import { basename } from 'node:path';
import type { BackupSummary } from '../../../shared/backup/backup-manifest';
import { audited } from '../audit/audited';
import { writeBackup } from '../backup/write-backup';
import { SETTING, writeSetting } from '../store/settings-table';
import type { Store } from '../store/store';
import { appVersion } from './app-info';

export interface CreateBackupInput {
  /** The archive to write (replaced if it exists). */
  output: string;
  passphrase: string;
  /** Also the package store's blobs (GiBs, streamed); without it the catalog is left out. */
  withStore: boolean;
}

export interface CreatedBackup {
  backupId: string;
  createdAt: string;
  output: string;
  bytes: number;
  withStore: boolean;
  files: number;
  manifestDigest: string;
  summary: BackupSummary;
  leftOut: string[];
}

/**
 * `backup create` / `backups.create`: one encrypted archive of the data home, and the time of
 * it kept for Settings' reminder. Recorded with the backup's id and the digest of its manifest
 * (which names every file's digest); the passphrase is never recorded anywhere.
 */
export function createBackup(store: Store, input: CreateBackupInput): Promise<CreatedBackup> {
  return audited(
    store,
    {
      operation: 'backup.create',
      target: basename(input.output),
      inputs: { withStore: input.withStore },
    },
    async () => {
      const written = await writeBackup(store, {
        ...input,
        createdBy: `margo-commissioner ${appVersion()}`,
      });
      writeSetting(store, SETTING.lastBackupAt, written.header.createdAt);
      return {
        backupId: written.header.backupId,
        createdAt: written.header.createdAt,
        output: input.output,
        bytes: written.bytes,
        withStore: input.withStore,
        files: written.manifest.files.length,
        manifestDigest: written.manifestDigest,
        summary: written.manifest.summary,
        leftOut: written.manifest.leftOut,
      };
    },
    (made) => ({
      inputs: {
        backupId: made.backupId,
        files: made.files,
        bytes: made.bytes,
        manifest: made.manifestDigest,
      },
    }),
  );
}
