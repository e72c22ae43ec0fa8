import { z } from 'zod';
import { BackupSummary } from '../backup/backup-manifest';
import { DownloadTicket } from './margo';

/** Settings → Backup: the last backup and the reminder. */
export const BackupStatusView = z.strictObject({
  /** ISO 8601; null when this data home was never backed up (nor restored from a backup). */
  lastBackupAt: z.string().nullable(),
  reminderDays: z.number().int().positive(),
  daysSince: z.number().int().nonnegative().nullable(),
  /** No backup yet, or none for `reminderDays` days. */
  due: z.boolean(),
});
export type BackupStatusView = z.infer<typeof BackupStatusView>;

export const SetBackupReminder = z.strictObject({ days: z.number().int().min(1).max(365) });
export type SetBackupReminder = z.infer<typeof SetBackupReminder>;

/** The passphrase: sealed into nothing, recorded nowhere; the core checks its length. */
const Passphrase = z.string().min(1).max(1024);

/**
 * `backups.create`: where the archive goes — a file chosen in the desktop app's save dialog
 * (a `files.pick` token of purpose `backup-file`) or a download in the browser.
 */
export const CreateBackup = z.strictObject({
  passphrase: Passphrase,
  withStore: z.boolean(),
  to: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('file'), file: z.string().min(1) }),
    z.strictObject({ kind: z.literal('download') }),
  ]),
});
export type CreateBackup = z.infer<typeof CreateBackup>;

export const CreatedBackupView = z.strictObject({
  backupId: z.string(),
  createdAt: z.string(),
  bytes: z.number().int().nonnegative(),
  withStore: z.boolean(),
  files: z.number().int().nonnegative(),
  /** Package versions left out (a backup without the store): import them again after a restore. */
  leftOut: z.array(z.string()),
  /** The file's name (desktop app); null for a download. */
  file: z.string().nullable(),
  download: DownloadTicket.nullable(),
});
export type CreatedBackupView = z.infer<typeof CreatedBackupView>;

/** `backups.restore`: an uploaded (browser) or picked (desktop) backup replaces this data home. */
export const RestoreBackup = z.strictObject({
  /** A `files.pick` token (purpose `backup-archive`), or an upload's. */
  file: z.string().min(1),
  passphrase: Passphrase,
});
export type RestoreBackup = z.infer<typeof RestoreBackup>;

export const RestoredBackupView = z.strictObject({
  backupId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** The host the backup was made on. */
  from: z.string(),
  withStore: z.boolean(),
  summary: BackupSummary,
  leftOut: z.array(z.string()),
  /** `audit verify` of the restored trail (the restore's own entry included). */
  auditIntact: z.boolean(),
});
export type RestoredBackupView = z.infer<typeof RestoredBackupView>;
