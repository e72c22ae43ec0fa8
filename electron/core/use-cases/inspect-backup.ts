import type { BackupHeader, BackupManifest } from '../../../shared/backup/backup-manifest';
import { BackupReader, readBackupHeader } from '../backup/read-backup';

export interface InspectedBackup {
  file: string;
  header: BackupHeader;
  /** With the passphrase: the sealed list of contents; null without it. */
  manifest: BackupManifest | null;
}

/**
 * `backup inspect`: the plain header, and with the passphrase the manifest (opened and
 * authenticated; the files after it are not read: `backup restore` checks every byte).
 */
export async function inspectBackup(file: string, passphrase?: string): Promise<InspectedBackup> {
  const opened = await readBackupHeader(file, false);
  if (passphrase === undefined) return { file, header: opened.header, manifest: null };
  const reader = await BackupReader.unlock(opened, passphrase, false);
  try {
    return { file, header: opened.header, manifest: await reader.manifest() };
  } finally {
    await reader.close();
  }
}
