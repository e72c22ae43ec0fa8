import { namedStatements } from './statements';
import type { Store } from './store';

const SQL = namedStatements({
  unreachable: `WITH RECURSIVE live(digest) AS (
                  SELECT digest FROM refs
                  UNION SELECT manifest_digest FROM package_versions
                  UNION SELECT mc.child FROM manifest_children mc JOIN live ON mc.parent = live.digest
                  UNION SELECT s.manifest_digest FROM signatures s JOIN live ON s.subject = live.digest
                )
                SELECT digest FROM blobs WHERE digest NOT IN (SELECT digest FROM live)`,
  deleteManifest: 'DELETE FROM manifests WHERE digest = ?',
  deleteBlob: 'DELETE FROM blobs WHERE digest = ?',
});

/**
 * Removes catalog rows of manifests and blobs no ref and no package version reaches any more
 * (signatures live as long as what they sign),
 * and returns their digests; the caller deletes the files after the transaction commits
 * (a crash in between leaves orphans the next start removes).
 */
export function collectUnreachable(store: Store): string[] {
  const sql = SQL(store.db);
  const dead = sql.unreachable.pluck().all() as string[];
  for (const digest of dead) sql.deleteManifest.run(digest);
  for (const digest of dead) sql.deleteBlob.run(digest);
  return dead;
}
