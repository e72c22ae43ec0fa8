import { forgetTrustOfApp } from './artifact-trust-table';
import { refreshLatest } from './catalog-writer';
import { collectUnreachable } from './garbage-collect';
import { versionsOf } from './catalog-reader';
import { namedStatements } from './statements';
import type { Store } from './store';
import { syncCommits, writeStoreIndex } from './store';
import { markBlobRemoval } from './staging';

const SQL = namedStatements({
  refOf: 'SELECT ref_name FROM package_versions WHERE app_id = ? AND version = ?',
  deleteVersion: 'DELETE FROM package_versions WHERE app_id = ? AND version = ?',
  deleteApplicationRef: "DELETE FROM refs WHERE name = ? AND kind = 'application'",
});

/**
 * Removes one version of an application, or all of them, with the blobs nothing else uses
 * (components and images imported beside it stay: other packages may use them).
 * Returns the versions removed; empty when the catalog has none of them. Announces `catalog`
 * once the removal has committed.
 */
export function removeApplication(store: Store, appId: string, version?: string): string[] {
  const clearMarker = markBlobRemoval(store.paths.tmp);
  try {
    return removeVersions(store, appId, version);
  } finally {
    clearMarker();
  }
}

function removeVersions(store: Store, appId: string, version: string | undefined): string[] {
  const { db } = store;
  const sql = SQL(db);
  let removed: string[] = [];
  const dead = db
    .transaction(() => {
      removed =
        version === undefined
          ? versionsOf(db, appId)
          : versionsOf(db, appId).filter((v) => v === version);
      for (const v of removed) {
        const ref = sql.refOf.pluck().get(appId, v) as string;
        sql.deleteVersion.run(appId, v);
        sql.deleteApplicationRef.run(ref);
        forgetTrustOfApp(db, appId, v);
      }
      if (removed.length > 0) refreshLatest(db, appId);
      return removed.length > 0 ? collectUnreachable(store) : [];
    })
    .immediate();
  if (removed.length > 0) store.changes.announce('catalog');
  // The files go only once no committed row can come back to point at them.
  if (dead.length > 0) syncCommits(store);
  for (const digest of dead) store.blobs.remove(digest);
  if (removed.length > 0) writeStoreIndex(store);
  return removed;
}
