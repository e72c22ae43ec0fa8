import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dataHome } from '../../electron/core/store/data-home';
import { migrate } from '../../electron/core/store/migrate';
import { openStore } from '../../electron/core/store/store';

const root = mkdtempSync(join(tmpdir(), 'commissioner-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the data home', () => {
  it('is COMMISSIONER_HOME, else the platform data folder', () => {
    expect(dataHome({ COMMISSIONER_HOME: '/srv/c' }, 'linux')).toBe('/srv/c');
    expect(dataHome({ HOME: '/home/e' }, 'linux')).toBe('/home/e/.local/share/margo-commissioner');
    expect(dataHome({ HOME: '/home/e', XDG_DATA_HOME: '/data' }, 'linux')).toBe(
      '/data/margo-commissioner',
    );
    expect(dataHome({ HOME: '/Users/e' }, 'darwin')).toBe(
      '/Users/e/Library/Application Support/margo-commissioner',
    );
    expect(
      dataHome({ HOME: 'C:\\Users\\e', APPDATA: 'C:\\Users\\e\\AppData\\Roaming' }, 'win32'),
    ).toMatch(/AppData.Roaming.margo-commissioner$/);
  });
});

describe('the store', () => {
  it('is created on first use: a private home, an OCI layout, a WAL database with foreign keys', () => {
    const home = join(root, 'first');
    const store = openStore(home);
    try {
      expect(statSync(home).mode & 0o777).toBe(0o700);
      expect(readdirSync(store.paths.store).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(
        store.db
          .prepare("SELECT count(*) FROM sqlite_master WHERE name = 'catalog_search'")
          .pluck()
          .get(),
      ).toBe(1);
    } finally {
      store.close();
    }
  });

  it('removes files in the blob store that no committed row references, and stale staging', () => {
    const home = join(root, 'orphans');
    openStore(home).close();
    const orphan = join(home, 'store', 'blobs', 'sha256', 'f'.repeat(64));
    writeFileSync(orphan, 'left by a crashed import');
    mkdirSync(join(home, 'tmp', 'import-999999-abc'), { recursive: true });
    writeFileSync(join(home, 'tmp', 'import-999999-abc', 'blob-1'), 'x');
    writeFileSync(join(home, 'tmp', 'atomic-999999-xyz'), 'half an index.json');
    const store = openStore(home);
    try {
      expect(store.recovery).toEqual({ staleStaging: 2, orphanBlobs: 1, indexRewritten: false });
      expect(readdirSync(join(home, 'tmp'))).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('refuses a migration edited after it was applied, and a database from a newer version', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare("UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1").run();
    expect(() => migrate(db)).toThrow(/was changed after it had been applied/);
    const newer = new Database(':memory:');
    migrate(newer);
    newer
      .prepare("INSERT INTO schema_migrations VALUES (9999, '9999-future.sql', 'x', 'now')")
      .run();
    expect(() => migrate(newer)).toThrow(/newer Commissioner/);
  });

  it('shares one database between processes: a second opener waits for the writer instead of failing', () => {
    const home = join(root, 'shared');
    const a = openStore(home);
    const b = openStore(home);
    try {
      a.db
        .prepare('INSERT INTO blobs (digest, size) VALUES (?, 1)')
        .run(`sha256:${'1'.repeat(64)}`);
      expect(b.db.prepare('SELECT count(*) FROM blobs').pluck().get()).toBe(1);
      expect(b.db.pragma('busy_timeout', { simple: true })).toBe(10000);
    } finally {
      a.close();
      b.close();
    }
  });
});
