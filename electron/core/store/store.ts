import { chmodSync, mkdirSync } from 'node:fs';
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

const SQL = namedStatements({
  blobDigests: 'SELECT digest FROM blobs',
  indexEntries: `SELECT r.name AS refName, m.digest, m.media_type AS mediaType, m.artifact_type AS artifactType, b.size
                   FROM refs r JOIN manifests m ON m.digest = r.digest JOIN blobs b ON b.digest = m.digest`,
});

function recover(store: Store): Recovery {
  const staleStaging = removeStaleStaging(store.paths.tmp);
  // Under the write lock: another process renames blobs into the store only while holding
  // it, so every file seen here is either committed or a dead import's leftover.
  const orphanBlobs = store.db
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

/** Rewrites index.json from the refs table (the catalog is the source of truth). */
export function writeStoreIndex(store: Pick<Store, 'db' | 'blobs'>): boolean {
  const rows = SQL(store.db).indexEntries.all() as IndexEntry[];
  return store.blobs.writeIndex(rows);
}

/** Creates the keys folder (0700) for later issues' certificates; never inside the blob store. */
export function ensureKeysFolder(paths: DataPaths): string {
  mkdirSync(paths.keys, { recursive: true, mode: 0o700 });
  chmodSync(paths.keys, 0o700);
  return paths.keys;
}
