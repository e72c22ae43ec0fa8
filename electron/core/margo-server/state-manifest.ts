import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { Store } from '../store/store';
import { deploymentBundle } from './deployment-bundle';

/** How long digests a manifest no longer references stay servable. */
export const SUPERSEDED_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

export const MANIFEST_MEDIA_TYPE = 'application/vnd.margo.manifest.v1+json';
export const BUNDLE_MEDIA_TYPE = 'application/vnd.margo.bundle.v1+tar+gzip';

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

interface DesiredRow {
  deployment_id: string;
  yaml: Buffer;
  digest: string;
}

export interface ServedManifest {
  bytes: Buffer;
  /** Strong validator: the quoted digest of the exact bytes. */
  etag: string;
  manifestVersion: number;
}

/**
 * The client's state manifest (`UnsignedAppStateManifest`): its deployments with digests and
 * URLs, and the bundle of them all (null when there are none). `manifestVersion` starts at 1
 * and grows by one whenever the content changes — persisted, so it never goes back, also
 * across restarts; unchanged content keeps its version, bytes and ETag. Keys are written in
 * sorted order and nothing else varies, which makes the JSON canonical (RFC 8785) as served.
 */
export async function stateManifest(store: Store, clientId: string): Promise<ServedManifest> {
  // Clients poll every second or so: an unchanged state is answered from memory after one
  // small query (ids and digests, not the YAML bytes, no bundle rebuilt).
  const listed = statement(
    store,
    'SELECT deployment_id, digest FROM margo_desired WHERE client_id = ? ORDER BY deployment_id',
  ).all(clientId) as { deployment_id: string; digest: string }[];
  const content = JSON.stringify(listed.map((d) => [d.deployment_id, d.digest]));
  const cached = served(store).get(clientId);
  if (cached && cached.content === content) return cached.manifest;
  const manifest = await buildManifest(store, clientId, content);
  served(store).set(clientId, { content, manifest });
  return manifest;
}

/** Manifests as last served, per store and client (they only change with the content). */
const cache = new WeakMap<Store, Map<string, { content: string; manifest: ServedManifest }>>();
function served(store: Store) {
  let map = cache.get(store);
  if (!map) cache.set(store, (map = new Map()));
  return map;
}

const statements = new WeakMap<Store, Map<string, Database.Statement<unknown[]>>>();
/** A prepared statement kept per store: the polling path runs the same few queries. */
export function statement(store: Store, sql: string): Database.Statement<unknown[]> {
  let map = statements.get(store);
  if (!map) statements.set(store, (map = new Map()));
  let prepared = map.get(sql);
  if (!prepared) map.set(sql, (prepared = store.db.prepare(sql)));
  return prepared;
}

async function buildManifest(
  store: Store,
  clientId: string,
  content: string,
): Promise<ServedManifest> {
  const desired = store.db
    .prepare(
      'SELECT deployment_id, yaml, digest FROM margo_desired WHERE client_id = ? ORDER BY deployment_id',
    )
    .all(clientId) as DesiredRow[];
  const bundle =
    desired.length > 0
      ? await deploymentBundle(
          desired.map((d) => ({ deploymentId: d.deployment_id, yaml: d.yaml })),
        )
      : null;
  const bundleDigest = bundle ? sha256(bundle) : null;

  const version = store.db
    .transaction((): number => {
      const row = store.db
        .prepare('SELECT manifest_version, manifest_content FROM margo_clients WHERE client_id = ?')
        .get(clientId) as { manifest_version: number; manifest_content: string | null };
      if (row.manifest_content === content && row.manifest_version > 0) return row.manifest_version;
      const next = row.manifest_version + 1;
      store.db
        .prepare(
          'UPDATE margo_clients SET manifest_version = ?, manifest_content = ? WHERE client_id = ?',
        )
        .run(next, content, clientId);
      const now = new Date().toISOString();
      // What this manifest references is served; what it no longer references stays servable
      // for a while (marked superseded), since a client may fetch it after the manifest moved on.
      store.db
        .prepare(
          'UPDATE margo_served SET superseded_at = COALESCE(superseded_at, ?) WHERE client_id = ?',
        )
        .run(now, clientId);
      // A week is long past any client's fetch after a manifest change; then the bytes go.
      store.db
        .prepare(
          'DELETE FROM margo_served WHERE client_id = ? AND superseded_at IS NOT NULL AND superseded_at < ?',
        )
        .run(clientId, new Date(Date.now() - SUPERSEDED_KEPT_MS).toISOString());
      const serve = store.db.prepare(
        `INSERT INTO margo_served (client_id, digest, kind, deployment_id, bytes, superseded_at) VALUES (?, ?, ?, ?, ?, NULL)
       ON CONFLICT (client_id, digest, kind) DO UPDATE SET superseded_at = NULL`,
      );
      for (const d of desired) serve.run(clientId, d.digest, 'deployment', d.deployment_id, d.yaml);
      if (bundle && bundleDigest) serve.run(clientId, bundleDigest, 'bundle', null, bundle);
      return next;
    })
    .immediate();

  const manifest = {
    bundle:
      bundle && bundleDigest
        ? {
            digest: bundleDigest,
            mediaType: BUNDLE_MEDIA_TYPE,
            sizeBytes: bundle.length,
            url: `/api/v1/bundles/${bundleDigest}`,
          }
        : null,
    deployments: desired.map((d) => ({
      deploymentId: d.deployment_id,
      digest: d.digest,
      sizeBytes: d.yaml.length,
      url: `/api/v1/deployments/${d.deployment_id}/${d.digest}`,
    })),
    manifestVersion: version,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { bytes, etag: `"${sha256(bytes)}"`, manifestVersion: version };
}

/** Bytes served by digest in this client's scope only (current or recently superseded). */
export function servedBytes(
  store: Store,
  clientId: string,
  kind: 'deployment' | 'bundle',
  digest: string,
  deploymentId?: string,
): Buffer | undefined {
  const row = store.db
    .prepare(
      'SELECT bytes, deployment_id FROM margo_served WHERE client_id = ? AND kind = ? AND digest = ?',
    )
    .get(clientId, kind, digest) as { bytes: Buffer; deployment_id: string | null } | undefined;
  if (!row) return undefined;
  if (deploymentId !== undefined && row.deployment_id !== deploymentId) return undefined;
  return row.bytes;
}
