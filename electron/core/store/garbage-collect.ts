import type { Store } from './store';

/**
 * Removes catalog rows of manifests and blobs no ref and no package version reaches any more,
 * and returns their digests; the caller deletes the files after the transaction commits
 * (a crash in between leaves orphans the next start removes).
 */
export function collectUnreachable(store: Store): string[] {
  const { db } = store;
  const dead = db
    .prepare(
      `WITH RECURSIVE live(digest) AS (
         SELECT digest FROM refs
         UNION SELECT manifest_digest FROM package_versions
         UNION SELECT mc.child FROM manifest_children mc JOIN live ON mc.parent = live.digest
       )
       SELECT digest FROM blobs WHERE digest NOT IN (SELECT digest FROM live)`,
    )
    .pluck()
    .all() as string[];
  const deleteManifest = db.prepare('DELETE FROM manifests WHERE digest = ?');
  const deleteBlob = db.prepare('DELETE FROM blobs WHERE digest = ?');
  for (const digest of dead) deleteManifest.run(digest);
  for (const digest of dead) deleteBlob.run(digest);
  return dead;
}
