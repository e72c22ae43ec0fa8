import type { DeploymentStatusManifest } from '../../../shared/margo/deployment-status';
import { namedStatements } from './statements';
import type { Store } from './store';

/** The status each Margo client last reported per deployment, as it sent it. */
const SQL = namedStatements({
  reported: 'SELECT 1 FROM margo_status WHERE client_id = ? AND deployment_id = ?',
  record: `INSERT INTO margo_status (client_id, deployment_id, device_id, status, adopted_manifest_version, reported_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (client_id, deployment_id) DO UPDATE SET device_id = excluded.device_id, status = excluded.status,
             adopted_manifest_version = excluded.adopted_manifest_version, reported_at = excluded.reported_at`,
});

/** Whether this client has reported a status for this deployment before. */
export function hasReportedStatus(store: Store, clientId: string, deploymentId: string): boolean {
  return SQL(store.db).reported.get(clientId, deploymentId) !== undefined;
}

/** Keeps a client's status report for a deployment (replacing its previous one). */
export function recordStatusReport(
  store: Store,
  clientId: string,
  deploymentId: string,
  report: {
    deviceId: string | null;
    status: DeploymentStatusManifest;
    /** Null when the client did not say which manifest version it reconciles. */
    adoptedManifestVersion: number | null;
  },
): void {
  SQL(store.db).record.run(
    clientId,
    deploymentId,
    report.deviceId,
    JSON.stringify(report.status),
    // The column predates reports without a version: 0 stands for "not reported" (manifest
    // versions start at 1, so no real version reads as it).
    report.adoptedManifestVersion ?? 0,
    new Date().toISOString(),
  );
}
