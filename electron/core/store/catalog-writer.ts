import { open } from 'node:fs/promises';
import { inParallel } from '../deployments/in-parallel';
import { writeDurably } from './durable-write';
import type Database from 'better-sqlite3';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { compareVersions } from '../../../shared/catalog/compare-versions';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import type { ManifestKind } from '../../../shared/oci/manifest-kind';
import type { PackageResource } from '../import/read-package';
import type { ItemKind } from '../import/import-report';
import { recordSignatures, recordTrust, type TrustRecord } from './artifact-trust-table';
import {
  indexApplications,
  indexedVersion,
  unindexApplication,
  type SearchEntry,
} from './search-documents';
import { namedStatements } from './statements';
import type { Store } from './store';
import { isBlobRecorded } from './stored-refs';

export interface PlannedBlob {
  size: number;
  /** The verified staged file; absent when the bytes were embedded in a descriptor. */
  path?: string;
  /** The staged file is already fsynced (by `syncPlannedBlobs`, or when it was written). */
  synced?: boolean;
  /** The store held the blob when the import began; it is not staged. */
  inStore?: boolean;
  bytes?: Buffer;
}

/** Another process changed the store under a running import (rare); rerunning converges. */
export class StoreChangedError extends Error {
  override name = 'StoreChangedError';
}

export interface PlannedManifest {
  digest: string;
  mediaType: string;
  artifactType?: string | undefined;
  kind: ManifestKind;
  children: string[];
}

export interface PlannedPackage {
  refName: string;
  manifestDigest: string;
  description: ApplicationDescription;
  warnings: Diagnostic[];
  resources: PackageResource[];
  source: string;
  /** Text of the package's description file, for search. */
  descriptionText?: string | undefined;
}

export interface PlannedRef {
  refName: string;
  manifestDigest: string;
  kind: ItemKind;
  source: string;
}

export interface ImportPlan {
  blobs: Map<string, PlannedBlob>;
  manifests: Map<string, PlannedManifest>;
  refs: PlannedRef[];
  packages: PlannedPackage[];
  /** Signature manifests kept with what they sign (both are in `manifests` or the store). */
  signatures: { subject: string; manifestDigest: string }[];
  /** The verdict of each artifact, per application version it came with. */
  trust: TrustRecord[];
}

const SQL = namedStatements({
  insertBlob: 'INSERT INTO blobs (digest, size) VALUES (?, ?)',
  insertManifest:
    'INSERT OR IGNORE INTO manifests (digest, media_type, artifact_type, kind) VALUES (?, ?, ?, ?)',
  insertChild: 'INSERT OR IGNORE INTO manifest_children (parent, child) VALUES (?, ?)',
  insertRef: 'INSERT INTO refs (name, digest, kind, source, imported_at) VALUES (?, ?, ?, ?, ?)',
  insertApplication:
    'INSERT INTO applications (id, latest_version) VALUES (?, ?) ON CONFLICT (id) DO NOTHING',
  insertVersion: `INSERT INTO package_versions (app_id, version, manifest_digest, ref_name, name, tagline, description, organization,
                    tags, profile_types, site, search_text, document, diagnostics, source, imported_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertProfile:
    'INSERT INTO profiles (app_id, version, profile_id, position, type, description) VALUES (?, ?, ?, ?, ?, ?)',
  insertComponent: `INSERT INTO components (app_id, version, profile_id, position, name, repository, revision, package_location)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  insertResource:
    'INSERT INTO resources (app_id, version, path, kind, media_type, digest, size) VALUES (?, ?, ?, ?, ?, ?, ?)',
  versions: 'SELECT version FROM package_versions WHERE app_id = ?',
  deleteApplication: 'DELETE FROM applications WHERE id = ?',
  setLatest: 'UPDATE applications SET latest_version = ? WHERE id = ?',
  searchRow: `SELECT name, tagline, description, search_text, tags, profile_types, organization
                FROM package_versions WHERE app_id = ? AND version = ?`,
});

/** Staged files fsynced at once: the disk groups simultaneous flushes into one journal commit. */
const SYNC_CONCURRENCY = 16;

/**
 * Makes the plan's staged files durable before the commit, many at a time: one fsync after
 * another costs a journal commit each, which for a kit of small blobs was most of its import.
 * The commit then only renames them. Blobs the store already records are left alone (the
 * commit skips them).
 */
export async function syncPlannedBlobs(store: Store, plan: ImportPlan): Promise<void> {
  const unsynced = [...plan.blobs].filter(
    ([digest, blob]) =>
      blob.path !== undefined && !blob.synced && !blob.inStore && !isBlobRecorded(store, digest),
  );
  await inParallel(
    unsynced,
    async ([, blob]) => {
      const handle = await open(blob.path as string, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      blob.synced = true;
    },
    SYNC_CONCURRENCY,
  );
}

/**
 * Commits an import in one transaction: verified staged blobs are renamed into the store and
 * the catalog rows written; if anything fails, the transaction rolls back and the renamed
 * files become orphans that the next start removes. The write lock is held across the renames,
 * so a concurrent start never mistakes them for orphans. index.json is derived from the rows
 * and rewritten by the caller once per run (and at every start), not per commit. Announces
 * `catalog` once the transaction has committed.
 */
export function commitImport(store: Store, plan: ImportPlan, stagingFile: () => string): void {
  const { db, blobs } = store;
  const now = new Date().toISOString();
  const { insertBlob, insertManifest, insertChild, insertRef } = SQL(db);

  db.transaction(() => {
    for (const [digest, blob] of plan.blobs) {
      if (isBlobRecorded(store, digest)) continue;
      if (blob.inStore) {
        throw new StoreChangedError(
          `blob ${digest} was removed from the store while this import ran: run the import again`,
        );
      }
      let path = blob.path;
      let synced = blob.synced ?? false;
      if (!path) {
        path = stagingFile();
        writeDurably(path, blob.bytes ?? Buffer.alloc(0));
        synced = true;
      }
      blobs.adopt(path, digest, synced);
      insertBlob.run(digest, blob.size);
    }
    blobs.syncDirectory();
    // Test-only fault injection (a crash between the renames and COMMIT cannot be timed from
    // outside): the process dies here as a power cut would leave it.
    if (process.env.COMMISSIONER_FAULT === 'kill-before-commit')
      process.kill(process.pid, 'SIGKILL');
    for (const m of plan.manifests.values()) {
      insertManifest.run(
        m.digest,
        m.mediaType,
        m.artifactType ?? null,
        m.kind === 'other' ? 'other' : m.kind,
      );
      for (const child of m.children) insertChild.run(m.digest, child);
    }
    for (const ref of plan.refs)
      insertRef.run(ref.refName, ref.manifestDigest, ref.kind, ref.source, now);
    for (const pkg of plan.packages) {
      insertRef.run(pkg.refName, pkg.manifestDigest, 'application', pkg.source, now);
      insertPackage(db, pkg, now);
    }
    refreshLatest(db, ...plan.packages.map((pkg) => pkg.description.id));
    recordSignatures(db, plan.signatures);
    recordTrust(db, plan.trust);
  }).immediate();
  store.changes.announce('catalog');
}

function insertPackage(db: Database.Database, pkg: PlannedPackage, now: string): void {
  const d = pkg.description;
  const app = d.metadata.catalog.application;
  const sql = SQL(db);
  sql.insertApplication.run(d.id, d.metadata.version);
  sql.insertVersion.run(
    d.id,
    d.metadata.version,
    pkg.manifestDigest,
    pkg.refName,
    d.metadata.name,
    app?.tagline ?? null,
    d.metadata.description ?? null,
    d.metadata.catalog.organization.map((o) => o.name).join(', '),
    JSON.stringify(app?.tags ?? []),
    JSON.stringify(d.deploymentProfiles.map((p) => p.type)),
    app?.site ?? null,
    pkg.descriptionText ?? null,
    JSON.stringify(d),
    JSON.stringify(pkg.warnings),
    pkg.source,
    now,
  );
  d.deploymentProfiles.forEach((p, i) => {
    sql.insertProfile.run(d.id, d.metadata.version, p.id, i, p.type, p.description ?? null);
    p.components.forEach((c, j) =>
      sql.insertComponent.run(
        d.id,
        d.metadata.version,
        p.id,
        j,
        c.name,
        c.properties.repository ?? null,
        c.properties.revision ?? null,
        c.properties.packageLocation ?? null,
      ),
    );
  });
  for (const r of pkg.resources)
    sql.insertResource.run(
      d.id,
      d.metadata.version,
      r.path,
      r.kind ?? null,
      r.mediaType,
      r.digest,
      r.size,
    );
}

/**
 * Points each application at its highest version and indexes that version for search (an
 * application without versions goes). One whose latest version is already the indexed one
 * is left as it is.
 */
export function refreshLatest(db: Database.Database, ...appIds: string[]): void {
  const sql = SQL(db);
  const entries: SearchEntry[] = [];
  for (const appId of new Set(appIds)) {
    const versions = sql.versions.pluck().all(appId) as string[];
    if (versions.length === 0) {
      unindexApplication(db, appId);
      sql.deleteApplication.run(appId);
      continue;
    }
    const latest = versions.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
    sql.setLatest.run(latest, appId);
    if (indexedVersion(db, appId) === latest) continue;
    unindexApplication(db, appId);
    const row = sql.searchRow.get(appId, latest) as {
      name: string;
      tagline: string | null;
      description: string | null;
      search_text: string | null;
      tags: string;
      profile_types: string;
      organization: string;
    };
    entries.push({
      appId,
      version: latest,
      tagsJson: row.tags,
      profilesJson: row.profile_types,
      name: row.name,
      tagline: row.tagline ?? '',
      description: [row.description ?? '', row.search_text ?? ''].join('\n'),
      tags: (JSON.parse(row.tags) as string[]).join(' '),
      organization: row.organization,
    });
  }
  indexApplications(db, entries);
}
