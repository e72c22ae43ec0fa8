import { namedStatements } from './statements';
import type { Store } from './store';

const SQL = namedStatements({
  get: 'SELECT value FROM settings WHERE key = ?',
  put: `INSERT INTO settings (key, value) VALUES (?, ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
});

/** The station's settings, by name. */
export const SETTING = {
  /** How often the live state asks each device with deployments, in seconds. */
  watchIntervalSeconds: 'watch-interval-seconds',
  /** When the last backup of this data home was made (ISO 8601), by `backup create` or restored. */
  lastBackupAt: 'last-backup-at',
  /** After how many days without a backup Settings reminds the engineer. */
  backupReminderDays: 'backup-reminder-days',
} as const;
export type SettingName = (typeof SETTING)[keyof typeof SETTING];

export function readSetting(store: Store, key: SettingName): string | undefined {
  return SQL(store.db).get.pluck().get(key) as string | undefined;
}

export function writeSetting(store: Store, key: SettingName, value: string): void {
  SQL(store.db).put.run(key, value);
  store.changes.announce('deployments');
}
