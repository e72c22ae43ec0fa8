import { chmodSync, closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate } from './migrate';

/**
 * Opens the database: WAL so readers never block the writer, foreign keys on, a busy timeout
 * so the CLI, the browser host and the desktop app can share it, a bounded WAL, and a file
 * only its owner can read.
 */
export function openDatabase(path: string): Database.Database {
  // Deployment revisions hold the secrets that go to devices: owner-only, from the first byte
  // (SQLite gives the -wal and -shm files the database file's permissions).
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
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
