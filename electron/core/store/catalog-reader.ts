import type Database from 'better-sqlite3';
import { compareVersions } from '../../../shared/catalog/compare-versions';
import { SEARCH_WEIGHTS, queryTerms } from './search-documents';
import type { SearchIndex } from './search-index';
import { searchIndexOf } from './search-index-sync';
import { searchWords, toFtsQuery } from './search-query';
import { namedStatements } from './statements';

export type { ApplicationDetail, CatalogEntry } from '../../../shared/contract/catalog-entry';
import type { ApplicationDetail, CatalogEntry } from '../../../shared/contract/catalog-entry';

/** A catalog row as the tables hold it; the signature badge is added by who shows it. */
export type CatalogRow = Omit<CatalogEntry, 'trust'>;

interface EntryRow {
  id: string;
  name: string;
  version: string;
  tagline: string | null;
  organization: string;
  tags: string;
  profiles: string;
}

const ENTRY_COLUMNS =
  'pv.app_id AS id, pv.name, pv.version, pv.tagline, pv.organization, pv.tags, pv.profile_types AS profiles';

function toEntry(row: EntryRow): CatalogRow {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    tagline: row.tagline,
    organization: row.organization,
    tags: JSON.parse(row.tags) as string[],
    profiles: JSON.parse(row.profiles) as string[],
  };
}

/** bm25 with the weights per column (name 10, tagline 5, description 1, tags 3, organization 3). */
const RANK = `bm25(catalog_search, ${SEARCH_WEIGHTS.join(', ')})`;
const SEARCH_COLUMNS = `app_id AS id, name, version, tagline, organization, tags_json AS tags, profiles_json AS profiles`;

const SQL = namedStatements({
  latestEntries: `SELECT ${ENTRY_COLUMNS} FROM applications a
                    JOIN package_versions pv ON pv.app_id = a.id AND pv.version = a.latest_version
                  ORDER BY pv.name COLLATE NOCASE, pv.app_id`,
  latestEntriesPage: `SELECT ${ENTRY_COLUMNS} FROM applications a
                        JOIN package_versions pv ON pv.app_id = a.id AND pv.version = a.latest_version
                      ORDER BY pv.name COLLATE NOCASE, pv.app_id LIMIT ? OFFSET ?`,
  latestCount: `SELECT count(*) FROM applications a
                  JOIN package_versions pv ON pv.app_id = a.id AND pv.version = a.latest_version`,
  search: `SELECT ${SEARCH_COLUMNS} FROM catalog_search WHERE catalog_search MATCH ?
           ORDER BY ${RANK}, name LIMIT ? OFFSET ?`,
  searchCount: 'SELECT count(*) FROM catalog_search WHERE catalog_search MATCH ?',
  // By primary keys (catalog_search's rows hold the same values, but FTS5 answers `rowid IN`
  // with a scan).
  searchRows: `SELECT d.id AS document, ${ENTRY_COLUMNS}
                 FROM json_each(?) j
                 JOIN search_documents d ON d.id = j.value
                 JOIN package_versions pv ON pv.app_id = d.app_id AND pv.version = d.version`,
  versions: 'SELECT version FROM package_versions WHERE app_id = ?',
  latestVersion: 'SELECT latest_version FROM applications WHERE id = ?',
  packageVersion: 'SELECT * FROM package_versions WHERE app_id = ? AND version = ?',
  profiles:
    'SELECT profile_id, type, description FROM profiles WHERE app_id = ? AND version = ? ORDER BY position',
  components: `SELECT name, repository, revision, package_location AS packageLocation FROM components
                WHERE app_id = ? AND version = ? AND profile_id = ? ORDER BY position`,
  resources:
    'SELECT path, kind, media_type AS mediaType, digest, size FROM resources WHERE app_id = ? AND version = ? ORDER BY path',
  icon: "SELECT path, media_type AS mediaType, digest, size FROM resources WHERE app_id = ? AND version = ? AND kind = 'icon' LIMIT 1",
  document: 'SELECT document FROM package_versions WHERE app_id = ? AND version = ?',
  manifestDigest: 'SELECT manifest_digest FROM package_versions WHERE app_id = ? AND version = ?',
});

/**
 * Applications at their latest version, by name; with `search`, those whose latest version
 * matches every word (prefix match over name, tagline, description, tags, organization),
 * best match first. Every match: the CLI's view. The UI pages with `searchCatalog`.
 */
export function listCatalog(db: Database.Database, search?: string): CatalogRow[] {
  if (search !== undefined) return searchCatalog(db, search, { limit: -1 }).entries;
  const rows = SQL(db).latestEntries.all() as EntryRow[];
  return rows.map(toEntry);
}

/**
 * One page of the applications at their latest version, by name (as `listCatalog` orders
 * them), and how many there are: the unfiltered list reads only the rows it shows.
 */
export function catalogRowsPage(
  db: Database.Database,
  page: { limit: number; offset: number },
): { total: number; entries: CatalogRow[] } {
  const sql = SQL(db);
  const rows = sql.latestEntriesPage.all(page.limit, page.offset) as EntryRow[];
  const total =
    rows.length > 0 && rows.length < page.limit
      ? page.offset + rows.length
      : (sql.latestCount.pluck().get() as number);
  return { total, entries: rows.map(toEntry) };
}

/**
 * One page of search results, best first, and how many match in all. Ranked in memory by
 * the search index (bm25 over the documents' FTS5 terms, as MATCH would rank them); the page's
 * rows are then read from the search table, which carries the list columns. A word FTS5 does
 * not make exactly one term of (rare scripts) goes to FTS5 itself.
 */
export function searchCatalog(
  db: Database.Database,
  search: string,
  page: { limit: number; offset?: number } = { limit: 50 },
): { total: number; entries: CatalogRow[] } {
  const words = searchWords(search);
  if (words.length === 0) return { total: 0, entries: [] };
  return db.transaction(() => {
    const terms = queryTerms(db, words);
    if (terms.every((t) => t.length === 1))
      return rankedPage(db, searchIndexOf(db), terms.flat(), page);
    return searchCatalogInSql(db, search, page);
  })();
}

function rankedPage(
  db: Database.Database,
  index: SearchIndex,
  terms: string[],
  page: { limit: number; offset?: number },
): { total: number; entries: CatalogRow[] } {
  const { total, ids } = index.rank(terms, page.limit, page.offset ?? 0);
  const rows = new Map(
    (SQL(db).searchRows.all(JSON.stringify(ids)) as (EntryRow & { document: number })[]).map(
      (row) => [row.document, row],
    ),
  );
  const entries = ids.flatMap((id) => {
    const row = rows.get(id);
    return row ? [toEntry(row)] : [];
  });
  return { total, entries };
}

/**
 * The same page ranked by SQLite itself (MATCH, bm25 with the same weights, then the name):
 * for words FTS5 does not make one term of, and the reference the search index is measured
 * against (about 3 µs a match: fine for a few thousand, not for a keystroke over 50,000).
 */
export function searchCatalogInSql(
  db: Database.Database,
  search: string,
  page: { limit: number; offset?: number } = { limit: 50 },
): { total: number; entries: CatalogRow[] } {
  const fts = toFtsQuery(search);
  if (fts === undefined) return { total: 0, entries: [] };
  const sql = SQL(db);
  const rows = sql.search.all(fts, page.limit, page.offset ?? 0) as EntryRow[];
  const total =
    page.limit >= 0 && rows.length === page.limit
      ? (sql.searchCount.pluck().get(fts) as number)
      : rows.length + (page.offset ?? 0);
  return { total, entries: rows.map(toEntry) };
}

/** Parses `id` or `id@version`. */
export function parseAppRef(text: string): { id: string; version?: string } {
  const at = text.indexOf('@');
  return at < 0 ? { id: text } : { id: text.slice(0, at), version: text.slice(at + 1) };
}

export function versionsOf(db: Database.Database, appId: string): string[] {
  return (SQL(db).versions.pluck().all(appId) as string[]).sort((a, b) => compareVersions(b, a));
}

/** One application version in full; undefined when the catalog does not have it. */
export function showApplication(
  db: Database.Database,
  appId: string,
  version?: string,
): ApplicationDetail | undefined {
  const sql = SQL(db);
  const latest = sql.latestVersion.pluck().get(appId) as string | undefined;
  if (latest === undefined) return undefined;
  const v = version ?? latest;
  const row = sql.packageVersion.get(appId, v) as Record<string, string | null> | undefined;
  if (!row) return undefined;
  const profiles = (
    sql.profiles.all(appId, v) as {
      profile_id: string;
      type: string;
      description: string | null;
    }[]
  ).map((p) => ({
    id: p.profile_id,
    type: p.type,
    description: p.description,
    components: sql.components.all(
      appId,
      v,
      p.profile_id,
    ) as ApplicationDetail['profiles'][number]['components'],
  }));
  const resources = sql.resources.all(appId, v) as ApplicationDetail['resources'];
  return {
    id: appId,
    version: v,
    latestVersion: latest,
    versions: versionsOf(db, appId),
    name: row.name as string,
    tagline: row.tagline ?? null,
    description: row.description ?? null,
    organization: row.organization as string,
    tags: JSON.parse(row.tags as string) as string[],
    site: row.site ?? null,
    manifestDigest: row.manifest_digest as string,
    ref: row.ref_name as string,
    source: row.source as string,
    importedAt: row.imported_at as string,
    profiles,
    resources,
    diagnostics: JSON.parse(row.diagnostics as string) as unknown[],
    document: JSON.parse(row.document as string) as unknown,
  };
}

/** An application version's icon: the package file, and the blob that holds its bytes. */
export interface IconResource {
  path: string;
  mediaType: string;
  digest: string;
  size: number;
}

/** The icon resource of one application version, without reading the rest of it. */
export function iconResource(
  db: Database.Database,
  appId: string,
  version: string,
): IconResource | undefined {
  return SQL(db).icon.get(appId, version) as IconResource | undefined;
}

/** The stored description of one application version (rc.3 shape, as JSON text). */
export function packageDocument(
  db: Database.Database,
  appId: string,
  version: string,
): string | undefined {
  return SQL(db).document.pluck().get(appId, version) as string | undefined;
}

/** The manifest digest an application version was imported as; undefined when absent. */
export function packageManifestDigest(
  db: Database.Database,
  appId: string,
  version: string,
): string | undefined {
  return SQL(db).manifestDigest.pluck().get(appId, version) as string | undefined;
}
