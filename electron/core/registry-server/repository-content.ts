import { reachedFrom, storedManifest, type StoredManifest } from '../store/stored-refs';
import type { Store } from '../store/store';
import type { StoredRef } from './stored-ref';

export type { StoredManifest } from '../store/stored-refs';

export interface RepositoryContent {
  /** The manifest a tag of the repository points at. */
  manifestByTag(refs: readonly StoredRef[], tag: string): StoredManifest | undefined;
  /** A manifest by digest, only if the repository reaches it (a ref, or an index's child). */
  manifestByDigest(refs: readonly StoredRef[], digest: string): StoredManifest | undefined;
  /** Whether the repository reaches the blob: a manifest, config, layer, or child of one. */
  reachesBlob(refs: readonly StoredRef[], digest: string): boolean;
}

/**
 * What a repository may serve: everything its refs reach through manifest_children (config,
 * layers, the manifests of an index), and nothing else. The store is shared by every
 * supplier's content; a device allowed to pull one repository must not fetch another's
 * layers by guessing or learning their digests, so every digest is checked against the
 * repository's own graph (a recursive CTE over the indexed children table).
 */
export function createRepositoryContent(store: Pick<Store, 'db'>): RepositoryContent {
  const reaches = (refs: readonly StoredRef[], digest: string): boolean =>
    reachedFrom(
      store,
      refs.map((r) => r.digest),
      digest,
    );
  return {
    manifestByTag(refs, tag) {
      const ref = refs.find((r) => r.tag === tag);
      return ref ? storedManifest(store, ref.digest) : undefined;
    },
    manifestByDigest(refs, digest) {
      return reaches(refs, digest) ? storedManifest(store, digest) : undefined;
    },
    reachesBlob(refs, digest) {
      return reaches(refs, digest);
    },
  };
}
