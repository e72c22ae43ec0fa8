import { namedStatements } from './statements';
import type { Store } from './store';

/** A stored image (or multi-platform index) a ref name resolves to. */
export interface StoredImage {
  digest: string;
  mediaType: string;
  kind: 'image' | 'index';
}

/** The store's named refs and the manifests and blobs recorded behind them. */
const SQL = namedStatements({
  refNames: 'SELECT DISTINCT name FROM refs',
  refDigest: 'SELECT digest FROM refs WHERE name = ?',
  composeDigest: "SELECT digest FROM refs WHERE name = ? AND kind = 'compose'",
  imageByRef: `SELECT m.digest, m.media_type AS mediaType, m.kind
                 FROM refs r JOIN manifests m ON m.digest = r.digest
                WHERE r.name = ? AND m.kind IN ('image', 'index')`,
  imageByDigest: `SELECT digest, media_type AS mediaType, kind FROM manifests
                   WHERE digest = ? AND kind IN ('image', 'index')`,
  blobRecorded: 'SELECT 1 FROM blobs WHERE digest = ?',
  // Ref names sort as `<repository>:<tag>` and `<repository>@<digest>`: two index range scans
  // (`;` and `A` follow `:` and `@`), then exact filtering by the caller (a port colon can sort
  // alike).
  refsInRange: `SELECT name, digest FROM refs
                 WHERE (name >= ? AND name < ?) OR (name >= ? AND name < ?)
                 ORDER BY name`,
  refsContaining:
    'SELECT name, digest FROM refs WHERE instr(name, ?) > 0 OR instr(name, ?) > 0 ORDER BY name',
  manifest: `SELECT m.digest, m.media_type AS mediaType, b.size
               FROM manifests m JOIN blobs b ON b.digest = m.digest
              WHERE m.digest = ?`,
  reaches: `WITH RECURSIVE reach(digest) AS (
              SELECT value FROM json_each(?)
              UNION
              SELECT c.child FROM manifest_children c JOIN reach r ON c.parent = r.digest
            )
            SELECT 1 FROM reach WHERE digest = ? LIMIT 1`,
});

/** A stored manifest with its media type and size. */
export interface StoredManifest {
  digest: string;
  mediaType: string;
  size: number;
}

export function storedManifest(
  store: Pick<Store, 'db'>,
  digest: string,
): StoredManifest | undefined {
  return SQL(store.db).manifest.get(digest) as StoredManifest | undefined;
}

/**
 * Whether `digest` is reached from the given manifests through manifest_children (config,
 * layers, an index's manifests): a recursive CTE over the indexed children table.
 */
export function reachedFrom(
  store: Pick<Store, 'db'>,
  roots: readonly string[],
  digest: string,
): boolean {
  return (
    roots.length > 0 &&
    SQL(store.db)
      .reaches.pluck()
      .get(JSON.stringify([...new Set(roots)]), digest) !== undefined
  );
}

/** Every ref name in the store. */
export function refNames(store: Pick<Store, 'db'>): string[] {
  return SQL(store.db).refNames.pluck().all() as string[];
}

/** The manifest digest a ref name points at, of whatever kind; undefined when absent. */
export function refDigest(store: Pick<Store, 'db'>, refName: string): string | undefined {
  return SQL(store.db).refDigest.pluck().get(refName) as string | undefined;
}

/** The manifest digest of a compose component's ref; undefined when absent. */
export function composeRefDigest(store: Pick<Store, 'db'>, refName: string): string | undefined {
  return SQL(store.db).composeDigest.pluck().get(refName) as string | undefined;
}

/** The image manifest or index a ref name points at; undefined when absent or not an image. */
export function imageByRef(store: Pick<Store, 'db'>, refName: string): StoredImage | undefined {
  return SQL(store.db).imageByRef.get(refName) as StoredImage | undefined;
}

/** The image manifest or index with this digest, if the store holds one. */
export function imageByDigest(store: Pick<Store, 'db'>, digest: string): StoredImage | undefined {
  return SQL(store.db).imageByDigest.get(digest) as StoredImage | undefined;
}

/** Whether a committed row records this blob (its file is then in the store). */
export function isBlobRecorded(store: Pick<Store, 'db'>, digest: string): boolean {
  return SQL(store.db).blobRecorded.get(digest) !== undefined;
}

/** The refs whose name starts with `<repository>:` or `<repository>@` (and a few near ones). */
export function refsOfRepository(
  store: Pick<Store, 'db'>,
  repository: string,
): { name: string; digest: string }[] {
  return SQL(store.db).refsInRange.all(
    `${repository}:`,
    `${repository};`,
    `${repository}@`,
    `${repository}A`,
  ) as { name: string; digest: string }[];
}

/** The refs whose name holds `/<name>:` or `/<name>@`: a repository named so under any registry. */
export function refsNamedAnywhere(
  store: Pick<Store, 'db'>,
  name: string,
): { name: string; digest: string }[] {
  return SQL(store.db).refsContaining.all(`/${name}:`, `/${name}@`) as {
    name: string;
    digest: string;
  }[];
}
