import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { BlobStore, type IndexEntry } from './blob-store';
import { closeDatabase, openDatabase } from './database';
import { dataHome, dataPaths, type DataPaths } from './data-home';
import { removeStaleStaging } from './staging';
import { namedStatements } from './statements';
import { StoreChanges } from './store-changes';
import { setErrorLogDir } from '../errors/error-log';

export interface Store {
  paths: DataPaths;
  db: Database.Database;
  blobs: BlobStore;
  /** What each write changed, announced by the write itself. */
  changes: StoreChanges;
  close(): void;
}

export interface Recovery {
  staleStaging: number;
  orphanBlobs: number;
  indexRewritten: boolean;
}

/**
 * Opens (creating on first use) the store under the data home and recovers from whatever an
 * interrupted run left: staging of dead processes, blobs no committed row references, an
 * index.json that lags the catalog. After this the store is exactly its committed state.
 */
export function openStore(home: string = dataHome()): Store & { recovery: Recovery } {
  const paths = dataPaths(home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  mkdirSync(paths.tmp, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  ensureKeysFolder(paths);
  const blobs = new BlobStore(paths.store, paths.tmp);
  blobs.init();
  const db = openDatabase(paths.database);
  setErrorLogDir(paths.logs);
  const store: Store = {
    paths,
    db,
    blobs,
    changes: new StoreChanges(),
    close: () => closeDatabase(db),
  };
  try {
    const recovery = recover(store);
    return { ...store, recovery };
  } catch (e) {
    store.close();
    throw e;
  }
}

const INDEX_ENTRY = `SELECT r.rowid AS row, r.name AS refName, m.digest, m.media_type AS mediaType,
                            m.artifact_type AS artifactType, b.size
                       FROM refs r JOIN manifests m ON m.digest = r.digest JOIN blobs b ON b.digest = m.digest`;

const SQL = namedStatements({
  blobDigests: 'SELECT digest FROM blobs',
  indexEntries: `${INDEX_ENTRY} ORDER BY r.rowid`,
  indexEntriesAfter: `${INDEX_ENTRY} WHERE r.rowid > ? ORDER BY r.rowid`,
  indexState:
    'SELECT through, through_ref AS throughRef, bytes, stale FROM layout_index WHERE id = 1',
  refAt: 'SELECT name FROM refs WHERE rowid = ?',
  refsAfter: 'SELECT 1 FROM refs WHERE rowid > ? LIMIT 1',
  setIndexState:
    'UPDATE layout_index SET through = ?, through_ref = ?, bytes = ?, stale = 0 WHERE id = 1',
});

interface IndexState {
  through: number;
  throughRef: string | null;
  bytes: number;
  stale: number;
}

function recover(store: Store): Recovery {
  const staleStaging = removeStaleStaging(store.paths.tmp);
  // Blobs enter the store only in an import's commit and leave only after a removal's, and
  // both keep a file in tmp/ under their pid while they run (the import's staging folder, the
  // removal's marker): a file without its row can only be left by a process that died, so the
  // blob folder is listed only when a dead process's leftovers were found (listing 200,000
  // blobs at every start of a 50,000-package store took a second).
  // Under the write lock: another process renames blobs into the store only while holding
  // it, so every file seen here is either committed or a dead import's leftover.
  const orphanBlobs =
    staleStaging === 0
      ? 0
      : store.db
          .transaction(() => {
            const known = new Set(SQL(store.db).blobDigests.pluck().all() as string[]);
            let removed = 0;
            for (const digest of store.blobs.list()) {
              if (!known.has(digest)) {
                store.blobs.remove(digest);
                removed++;
              }
            }
            return removed;
          })
          .immediate();
  const indexRewritten = writeStoreIndex(store);
  return { staleStaging, orphanBlobs, indexRewritten };
}

/**
 * Brings index.json up to the refs table (the catalog is the source of truth): nothing to do
 * when it is current (its bookkeeping row and the last ref it lists looked up), the refs added
 * since appended, or, after a ref was removed or when the file is not what was last written,
 * the file written whole. Under the write lock, so two processes never append the same state
 * twice. Returns whether the file changed.
 */
export function writeStoreIndex(store: Pick<Store, 'db' | 'blobs'>): boolean {
  const sql = SQL(store.db);
  const state = () => {
    const s = sql.indexState.get() as IndexState;
    const current = s.stale === 0 && (sql.refAt.pluck().get(s.through) ?? null) === s.throughRef;
    return { ...s, current };
  };
  // Most starts find it current: looked at without waiting for the write lock.
  const seen = store.db.transaction(state)();
  if (
    seen.current &&
    store.blobs.indexBytes() === seen.bytes &&
    sql.refsAfter.pluck().get(seen.through) === undefined
  )
    return false;
  return store.db
    .transaction(() => {
      const s = state();
      if (s.current) {
        const added = sql.indexEntriesAfter.all(s.through) as (IndexEntry & { row: number })[];
        if (added.length === 0 && store.blobs.indexBytes() === s.bytes) return false;
        const bytes = added.length === 0 ? undefined : store.blobs.appendToIndex(added, s.bytes);
        if (bytes !== undefined) {
          const last = added.at(-1) as IndexEntry & { row: number };
          sql.setIndexState.run(last.row, last.refName, bytes);
          return true;
        }
      }
      const rows = sql.indexEntries.all() as (IndexEntry & { row: number })[];
      const { written, bytes } = store.blobs.writeIndex(rows);
      const last = rows.at(-1);
      sql.setIndexState.run(last?.row ?? 0, last?.refName ?? null, bytes);
      return written;
    })
    .immediate();
}

/**
 * Makes the transactions committed so far durable: SQLite (WAL, synchronous=NORMAL) writes a
 * commit to the WAL without waiting for the disk, and flushes it at the next checkpoint. A
 * process calls this before it takes away the marker that would have sent the next start
 * looking for blobs without rows, and before it deletes blobs a commit no longer references.
 */
export function syncCommits(store: Pick<Store, 'paths'>): void {
  let fd: number;
  try {
    fd = openSync(`${store.paths.database}-wal`, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates the keys folder (0700) for later issues' certificates; never inside the blob store. */
export function ensureKeysFolder(paths: DataPaths): string {
  mkdirSync(paths.keys, { recursive: true, mode: 0o700 });
  chmodSync(paths.keys, 0o700);
  return paths.keys;
}
