import type { BackupStatusView } from '../../../shared/contract/backups';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { audited } from '../audit/audited';
import { readSetting, SETTING, writeSetting } from '../store/settings-table';
import type { Store } from '../store/store';

/** Remind after a week without a backup unless the engineer chose otherwise. */
export const DEFAULT_BACKUP_REMINDER_DAYS = 7;
export const BACKUP_REMINDER_BOUNDS = { min: 1, max: 365 } as const;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Settings → Backup: when this data home was last backed up (made here, or the backup it was
 * restored from), and whether the reminder is due: no backup yet, or none for `reminderDays`.
 */
export function backupStatus(store: Store, now: Date = new Date()): BackupStatusView {
  const last = readSetting(store, SETTING.lastBackupAt) ?? null;
  const days = Number(readSetting(store, SETTING.backupReminderDays));
  const reminderDays = Number.isInteger(days) && days > 0 ? days : DEFAULT_BACKUP_REMINDER_DAYS;
  const lastMs = last === null ? Number.NaN : Date.parse(last);
  const daysSince = Number.isNaN(lastMs)
    ? null
    : Math.max(0, Math.floor((now.getTime() - lastMs) / DAY_MS));
  return {
    lastBackupAt: last,
    reminderDays,
    daysSince,
    due: daysSince === null || daysSince >= reminderDays,
  };
}

/** After how many days without a backup Settings reminds (1 to 365). */
export function setBackupReminder(store: Store, days: number): BackupStatusView {
  return audited(
    store,
    { operation: 'settings.setBackupReminder', target: 'backup reminder', inputs: { days } },
    () => {
      if (
        !Number.isInteger(days) ||
        days < BACKUP_REMINDER_BOUNDS.min ||
        days > BACKUP_REMINDER_BOUNDS.max
      ) {
        throw new CommissionerError(
          'invalid-input',
          `remind after whole days, from ${BACKUP_REMINDER_BOUNDS.min} to ${BACKUP_REMINDER_BOUNDS.max}`,
          { field: 'days' },
        );
      }
      writeSetting(store, SETTING.backupReminderDays, String(days));
      return backupStatus(store);
    },
  );
}
