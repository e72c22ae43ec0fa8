/** The extension of backups: what dialogs filter on and downloads are named with. */
export const BACKUP_EXTENSION = 'cbackup';

/** `commissioner-backup-2026-12-06-1400.cbackup` (UTC), for downloads and save dialogs. */
export function backupFileName(at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace('T', '-').replace(':', '');
  return `commissioner-backup-${stamp}.${BACKUP_EXTENSION}`;
}
