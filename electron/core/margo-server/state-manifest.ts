import { sha256Digest } from '../store/content-digest';
import { desiredDeployments, desiredDigests } from '../store/margo-desired-state';
import { recordServedManifest, servedContent, type ServedContent } from '../store/margo-served';
import type { Store } from '../store/store';
import { deploymentBundle } from './deployment-bundle';

/**
 * How long digests a manifest no longer references stay servable: a week is long past any
 * client's fetch after a manifest change; then the bytes go.
 */
export const SUPERSEDED_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

export const MANIFEST_MEDIA_TYPE = 'application/vnd.margo.manifest.v1+json';
export const BUNDLE_MEDIA_TYPE = 'application/vnd.margo.bundle.v1+tar+gzip';

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
  const listed = desiredDigests(store, clientId);
  const content = JSON.stringify(listed.map((d) => [d.deploymentId, d.digest]));
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

async function buildManifest(
  store: Store,
  clientId: string,
  content: string,
): Promise<ServedManifest> {
  const desired = desiredDeployments(store, clientId);
  const bundle =
    desired.length > 0
      ? await deploymentBundle(desired.map((d) => ({ deploymentId: d.deploymentId, yaml: d.yaml })))
      : null;
  const bundleDigest = bundle ? sha256Digest(bundle) : null;
  const servable: ServedContent[] = desired.map((d) => ({
    kind: 'deployment',
    digest: d.digest,
    deploymentId: d.deploymentId,
    bytes: d.yaml,
  }));
  if (bundle && bundleDigest)
    servable.push({ kind: 'bundle', digest: bundleDigest, deploymentId: null, bytes: bundle });
  const version = recordServedManifest(store, clientId, content, servable, SUPERSEDED_KEPT_MS);

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
      deploymentId: d.deploymentId,
      digest: d.digest,
      sizeBytes: d.yaml.length,
      url: `/api/v1/deployments/${d.deploymentId}/${d.digest}`,
    })),
    manifestVersion: version,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { bytes, etag: `"${sha256Digest(bytes)}"`, manifestVersion: version };
}

/** Bytes served by digest in this client's scope only (current or recently superseded). */
export function servedBytes(
  store: Store,
  clientId: string,
  kind: 'deployment' | 'bundle',
  digest: string,
  deploymentId?: string,
): Buffer | undefined {
  const found = servedContent(store, clientId, kind, digest);
  if (!found) return undefined;
  if (deploymentId !== undefined && found.deploymentId !== deploymentId) return undefined;
  return found.bytes;
}
