import Database from 'better-sqlite3';
import { migrate } from './migrate';

/**
 * Opens the catalog database: WAL so readers never block the writer, foreign keys on, a busy
 * timeout so the CLI, the browser host and the desktop app can share it, and a bounded WAL.
 */
export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_size_limit = 67108864');
  migrate(db);
  return db;
}

/** Checkpoints the WAL into the database file and closes it. */
export function closeDatabase(db: Database.Database): void {
  if (!db.open) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
