import type Database from 'better-sqlite3';
import type { StoredRef } from './stored-ref';

export interface StoredManifest {
  digest: string;
  mediaType: string;
  size: number;
}

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
export function createRepositoryContent(db: Database.Database): RepositoryContent {
  const manifestRow = db.prepare<[string], StoredManifest>(
    `SELECT m.digest, m.media_type AS mediaType, b.size
       FROM manifests m JOIN blobs b ON b.digest = m.digest
      WHERE m.digest = ?`,
  );
  const reachable = db
    .prepare<[string, string], number>(
      `WITH RECURSIVE reach(digest) AS (
         SELECT value FROM json_each(?)
         UNION
         SELECT c.child FROM manifest_children c JOIN reach r ON c.parent = r.digest
       )
       SELECT 1 FROM reach WHERE digest = ? LIMIT 1`,
    )
    .pluck();

  const reaches = (refs: readonly StoredRef[], digest: string): boolean =>
    refs.length > 0 &&
    reachable.get(JSON.stringify([...new Set(refs.map((r) => r.digest))]), digest) !== undefined;

  return {
    manifestByTag(refs, tag) {
      const ref = refs.find((r) => r.tag === tag);
      return ref ? manifestRow.get(ref.digest) : undefined;
    },
    manifestByDigest(refs, digest) {
      return reaches(refs, digest) ? manifestRow.get(digest) : undefined;
    },
    reachesBlob(refs, digest) {
      return reaches(refs, digest);
    },
  };
}
