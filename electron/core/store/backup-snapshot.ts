import type Database from 'better-sqlite3';
import type { BackupSummary } from '../../../shared/backup/backup-manifest';
import { namedStatements } from './statements';

const SQL = namedStatements({
  devices: 'SELECT count(*) FROM devices',
  deployments: 'SELECT count(*) FROM deployments',
  margoClients: 'SELECT count(*) FROM margo_clients',
  applications: 'SELECT count(*) FROM applications',
  users: 'SELECT count(*) FROM accounts',
  trustEntries: 'SELECT count(*) FROM trust_entries',
  auditEntries: 'SELECT count(*) FROM audit_trail',
  auditHead: 'SELECT hash FROM audit_trail ORDER BY seq DESC LIMIT 1',
  blobs: 'SELECT digest, size FROM blobs ORDER BY digest',
  versions: `SELECT app_id || '@' || version FROM package_versions ORDER BY app_id, version`,
  forgetLayoutIndex:
    'UPDATE layout_index SET through = 0, through_ref = NULL, bytes = 0, stale = 1 WHERE id = 1',
});

/**
 * The catalog's tables, dependents first: emptied in a snapshot made without the package store,
 * so the backup never names blobs it does not hold.
 */
const CATALOG_TABLES = [
  'artifact_trust',
  'signatures',
  'resources',
  'components',
  'profiles',
  'package_versions',
  'applications',
  'catalog_search',
  'search_documents',
  'search_terms',
  'refs',
  'manifest_children',
  'manifests',
  'blobs',
] as const;

/** What a database snapshot holds, counted for the backup's manifest. */
export function snapshotSummary(
  db: Database.Database,
): Omit<BackupSummary, 'trustDomain' | 'applications'> & { applications: number } {
  const sql = SQL(db);
  const count = (
    name: Exclude<keyof typeof sql, 'auditHead' | 'blobs' | 'versions' | 'forgetLayoutIndex'>,
  ) => sql[name].pluck().get() as number;
  return {
    devices: count('devices'),
    deployments: count('deployments'),
    margoClients: count('margoClients'),
    applications: count('applications'),
    users: count('users'),
    trustEntries: count('trustEntries'),
    auditEntries: count('auditEntries'),
    auditHead: (sql.auditHead.pluck().get() as string | undefined) ?? null,
  };
}

/** The blobs the snapshot's catalog records: exactly the files the package store must hold. */
export function snapshotBlobs(db: Database.Database): { digest: string; size: number }[] {
  return SQL(db).blobs.all() as { digest: string; size: number }[];
}

/** `id@version` of every package version in the snapshot's catalog. */
export function snapshotVersions(db: Database.Database): string[] {
  return SQL(db).versions.pluck().all() as string[];
}

/** Empties the catalog of a snapshot (never of a live store): its packages are not backed up. */
export function forgetCatalog(db: Database.Database): void {
  db.transaction(() => {
    for (const table of CATALOG_TABLES) db.prepare(`DELETE FROM ${table}`).run();
  })();
}

/**
 * Marks a snapshot's record of the layout's index.json as stale: a backup never carries
 * index.json (it is derived from the refs), so the restored store must write it whole from
 * its refs rather than append to a file it does not have.
 */
export function forgetLayoutIndex(db: Database.Database): void {
  SQL(db).forgetLayoutIndex.run();
}
