import type Database from 'better-sqlite3';
import { ArtifactTrust, type TrustedArtifactKind } from '../../../shared/contract/trust';
import { namedStatements } from './statements';
import type { Store } from './store';

/** Where an artifact's verdict was judged: the application (and version) whose policy applied. */
export interface TrustContext {
  /** '' when no package came with the artifact. */
  appId: string;
  appVersion: string;
  organization: string | null;
  /** `registry/repository` of the artifact's reference, when it has one. */
  repository: string | null;
}

/** One stored verdict, with what it was judged under. */
export interface TrustRecord extends TrustContext {
  digest: string;
  kind: TrustedArtifactKind;
  name: string;
  result: ArtifactTrust;
  trustVersion: string;
  evaluatedAt: string;
}

interface TrustRow {
  digest: string;
  app_id: string;
  app_version: string;
  kind: TrustedArtifactKind;
  name: string;
  organization: string | null;
  repository: string | null;
  result: string;
  trust_version: string;
  evaluated_at: string;
}

const SQL = namedStatements({
  insertSignature: 'INSERT OR IGNORE INTO signatures (subject, manifest_digest) VALUES (?, ?)',
  signaturesOf: 'SELECT manifest_digest FROM signatures WHERE subject = ? ORDER BY manifest_digest',
  upsertTrust: `INSERT INTO artifact_trust (digest, app_id, app_version, kind, name, organization, repository, verdict, result, trust_version, evaluated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (digest, app_id, app_version) DO UPDATE SET
                  kind = excluded.kind, name = excluded.name, organization = excluded.organization,
                  repository = excluded.repository, verdict = excluded.verdict, result = excluded.result,
                  trust_version = excluded.trust_version, evaluated_at = excluded.evaluated_at`,
  trustOf: 'SELECT * FROM artifact_trust WHERE digest = ? AND app_id = ? AND app_version = ?',
  trustOfApp: `SELECT * FROM artifact_trust WHERE app_id = ? AND app_version = ?
                ORDER BY CASE kind WHEN 'package' THEN 0 WHEN 'component' THEN 1 ELSE 2 END, name`,
  forgetApp: 'DELETE FROM artifact_trust WHERE app_id = ? AND app_version = ?',
  packageVerdicts: `SELECT j.key AS position, pv.manifest_digest AS digest, t.verdict,
                      t.trust_version AS trustVersion, t.evaluated_at AS evaluatedAt
                    FROM json_each(?) j
                    JOIN package_versions pv ON pv.app_id = j.value ->> 0 AND pv.version = j.value ->> 1
                    LEFT JOIN artifact_trust t ON t.digest = pv.manifest_digest
                      AND t.app_id = pv.app_id AND t.app_version = pv.version`,
  subject: `SELECT m.media_type AS mediaType, b.size FROM manifests m JOIN blobs b ON b.digest = m.digest
             WHERE m.digest = ?`,
});

/** Records which stored signature manifests sign which stored artifact (inside a commit). */
export function recordSignatures(
  db: Database.Database,
  rows: readonly { subject: string; manifestDigest: string }[],
): void {
  const { insertSignature } = SQL(db);
  for (const row of rows) insertSignature.run(row.subject, row.manifestDigest);
}

/** Stores verdicts (inside a commit, or alone after they were computed again). */
export function recordTrust(db: Database.Database, records: readonly TrustRecord[]): void {
  const { upsertTrust } = SQL(db);
  for (const r of records) {
    upsertTrust.run(
      r.digest,
      r.appId,
      r.appVersion,
      r.kind,
      r.name,
      r.organization,
      r.repository,
      r.result.verdict,
      JSON.stringify(r.result),
      r.trustVersion,
      r.evaluatedAt,
    );
  }
}

/**
 * Stores verdicts computed again (the trust store or policy changed, or they aged); announces
 * `catalog` when any verdict changed, so the views that show badges refresh.
 */
export function saveReevaluated(
  store: Store,
  records: readonly { record: TrustRecord; previousVerdict: string | undefined }[],
): void {
  if (records.length === 0) return;
  store.db
    .transaction(() =>
      recordTrust(
        store.db,
        records.map((r) => r.record),
      ),
    )
    .immediate();
  if (records.some((r) => r.record.result.verdict !== r.previousVerdict))
    store.changes.announce('catalog');
}

/** Drops the verdicts judged for an application version (inside its removal). */
export function forgetTrustOfApp(db: Database.Database, appId: string, appVersion: string): void {
  SQL(db).forgetApp.run(appId, appVersion);
}

/** The signature manifests stored for an artifact. */
export function signatureManifestsOf(store: Pick<Store, 'db'>, subject: string): string[] {
  return SQL(store.db).signaturesOf.pluck().all(subject) as string[];
}

/** A stored manifest's media type and size, as a signature's target descriptor needs them. */
export function storedSubject(
  store: Pick<Store, 'db'>,
  digest: string,
): { mediaType: string; size: number } | undefined {
  return SQL(store.db).subject.get(digest) as { mediaType: string; size: number } | undefined;
}

export function storedTrust(
  store: Pick<Store, 'db'>,
  digest: string,
  appId: string,
  appVersion: string,
): TrustRecord | undefined {
  const row = SQL(store.db).trustOf.get(digest, appId, appVersion) as TrustRow | undefined;
  return row ? toRecord(row) : undefined;
}

/** The stored verdict on an application version's package, with what it was judged under. */
export interface StoredPackageVerdict {
  /** The package's manifest digest. */
  digest: string;
  /** Absent when the package was never judged. */
  stored?: { verdict: ArtifactTrust['verdict']; trustVersion: string; evaluatedAt: string };
}

/**
 * The stored package verdicts of many application versions in one query (a page of the
 * catalog): only the verdict, not the whole result, which a badge does not need. An entry is
 * undefined where the catalog does not have that version.
 */
export function storedPackageVerdicts(
  store: Pick<Store, 'db'>,
  apps: readonly { id: string; version: string }[],
): (StoredPackageVerdict | undefined)[] {
  const found: (StoredPackageVerdict | undefined)[] = apps.map(() => undefined);
  if (apps.length === 0) return found;
  const rows = SQL(store.db).packageVerdicts.all(
    JSON.stringify(apps.map((a) => [a.id, a.version])),
  ) as {
    position: number;
    digest: string;
    verdict: ArtifactTrust['verdict'] | null;
    trustVersion: string | null;
    evaluatedAt: string | null;
  }[];
  for (const row of rows) {
    found[row.position] = {
      digest: row.digest,
      ...(row.verdict !== null && row.trustVersion !== null && row.evaluatedAt !== null
        ? {
            stored: {
              verdict: row.verdict,
              trustVersion: row.trustVersion,
              evaluatedAt: row.evaluatedAt,
            },
          }
        : {}),
    };
  }
  return found;
}

/** Every verdict stored for one application version: its package, components and images. */
export function storedTrustOfApp(
  store: Pick<Store, 'db'>,
  appId: string,
  appVersion: string,
): TrustRecord[] {
  return (SQL(store.db).trustOfApp.all(appId, appVersion) as TrustRow[]).map(toRecord);
}

function toRecord(row: TrustRow): TrustRecord {
  return {
    digest: row.digest,
    appId: row.app_id,
    appVersion: row.app_version,
    kind: row.kind,
    name: row.name,
    organization: row.organization,
    repository: row.repository,
    result: ArtifactTrust.parse(JSON.parse(row.result)),
    trustVersion: row.trust_version,
    evaluatedAt: row.evaluated_at,
  };
}
