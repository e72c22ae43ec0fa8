import { namedStatements } from './statements';
import type { Store } from './store';

/**
 * What each Margo client was served: the version and content of its last state manifest (kept
 * on its margo_clients row) and the bytes that manifest references, fetchable by digest.
 */
const SQL = namedStatements({
  lastManifest: 'SELECT manifest_version, manifest_content FROM margo_clients WHERE client_id = ?',
  setLastManifest:
    'UPDATE margo_clients SET manifest_version = ?, manifest_content = ? WHERE client_id = ?',
  supersede:
    'UPDATE margo_served SET superseded_at = COALESCE(superseded_at, ?) WHERE client_id = ?',
  dropSuperseded:
    'DELETE FROM margo_served WHERE client_id = ? AND superseded_at IS NOT NULL AND superseded_at < ?',
  serve: `INSERT INTO margo_served (client_id, digest, kind, deployment_id, bytes, superseded_at) VALUES (?, ?, ?, ?, ?, NULL)
          ON CONFLICT (client_id, digest, kind) DO UPDATE SET superseded_at = NULL`,
  bytes:
    'SELECT bytes, deployment_id FROM margo_served WHERE client_id = ? AND kind = ? AND digest = ?',
});

/** Bytes a manifest references: a deployment's YAML or the bundle of them all. */
export interface ServedContent {
  kind: 'deployment' | 'bundle';
  digest: string;
  /** The deployment the bytes are (null for the bundle). */
  deploymentId: string | null;
  bytes: Buffer;
}

/**
 * Records the manifest served to a client and returns its manifestVersion: the last one when
 * the content is unchanged, otherwise one more (persisted, so a version is never reused, also
 * across restarts), with what it references made servable. Digests it no longer references
 * stay servable for `supersededKeptMs`, then their bytes go.
 */
export function recordServedManifest(
  store: Store,
  clientId: string,
  content: string,
  served: readonly ServedContent[],
  supersededKeptMs: number,
): number {
  const sql = SQL(store.db);
  return store.db
    .transaction((): number => {
      const row = sql.lastManifest.get(clientId) as {
        manifest_version: number;
        manifest_content: string | null;
      };
      if (row.manifest_content === content && row.manifest_version > 0) return row.manifest_version;
      const next = row.manifest_version + 1;
      sql.setLastManifest.run(next, content, clientId);
      const now = new Date().toISOString();
      // What this manifest references is served; what it no longer references stays servable
      // for a while (marked superseded), since a client may fetch it after the manifest moved on.
      sql.supersede.run(now, clientId);
      // Long past any client's fetch after a manifest change, the bytes go.
      sql.dropSuperseded.run(clientId, new Date(Date.now() - supersededKeptMs).toISOString());
      for (const s of served) sql.serve.run(clientId, s.digest, s.kind, s.deploymentId, s.bytes);
      return next;
    })
    .immediate();
}

/** Bytes served to this client by digest (current or recently superseded), and whose they are. */
export function servedContent(
  store: Store,
  clientId: string,
  kind: ServedContent['kind'],
  digest: string,
): { bytes: Buffer; deploymentId: string | null } | undefined {
  const row = SQL(store.db).bytes.get(clientId, kind, digest) as
    { bytes: Buffer; deployment_id: string | null } | undefined;
  return row ? { bytes: row.bytes, deploymentId: row.deployment_id } : undefined;
}
