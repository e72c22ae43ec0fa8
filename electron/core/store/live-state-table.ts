import { z } from 'zod';
import type { DeviceCheck } from '../../../shared/contract/deployments';
import { namedStatements } from './statements';
import type { Store } from './store';

const SQL = namedStatements({
  containers:
    'SELECT component, service, container_id, snapshot FROM deployment_containers WHERE deployment_id = ?',
  clearContainers: 'DELETE FROM deployment_containers WHERE deployment_id = ?',
  putContainer: `INSERT INTO deployment_containers (deployment_id, component, service, container_id, snapshot, recorded_at)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (deployment_id, component, service) DO UPDATE SET
                   container_id = excluded.container_id, snapshot = excluded.snapshot, recorded_at = excluded.recorded_at`,
  checks: 'SELECT device, checked_at, via, error FROM device_checks ORDER BY device',
  check: 'SELECT device, checked_at, via, error FROM device_checks WHERE device = ?',
  putCheck: `INSERT INTO device_checks (device, checked_at, via, error) VALUES (?, ?, ?, ?)
             ON CONFLICT (device) DO UPDATE SET checked_at = excluded.checked_at, via = excluded.via, error = excluded.error`,
});

/**
 * What a container looked like when Commissioner made it: the parts of `inspect` a change
 * outside Commissioner shows in. Environment values may be secrets: kept in the owner-only
 * database, never shown.
 */
export const ContainerSnapshot = z.strictObject({
  name: z.string(),
  imageId: z.string(),
  env: z.array(z.string()),
  labels: z.record(z.string(), z.string()),
  /** `<container port>/<proto>` → `<host ip>:<host port>` entries, sorted. */
  ports: z.record(z.string(), z.array(z.string())),
  /** `<destination>` → `<type> <source>[ (read-only)]`. */
  mounts: z.record(z.string(), z.string()),
});
export type ContainerSnapshot = z.infer<typeof ContainerSnapshot>;

export interface RecordedContainer {
  component: string;
  service: string;
  containerId: string;
  snapshot: ContainerSnapshot;
}

/** The containers recorded for a deployment's current revision (its drift baseline). */
export function recordedContainers(store: Store, deploymentId: string): RecordedContainer[] {
  return (
    SQL(store.db).containers.all(deploymentId) as {
      component: string;
      service: string;
      container_id: string;
      snapshot: string;
    }[]
  ).map((r) => ({
    component: r.component,
    service: r.service,
    containerId: r.container_id,
    snapshot: ContainerSnapshot.parse(JSON.parse(r.snapshot)),
  }));
}

/**
 * Records the containers a deployment runs now as its baseline. `replace` drops the others
 * (after Commissioner applied a revision); without it, only missing baselines are added.
 */
export function recordContainers(
  store: Store,
  deploymentId: string,
  containers: readonly RecordedContainer[],
  options: { replace: boolean },
): void {
  const sql = SQL(store.db);
  const now = new Date().toISOString();
  store.db.transaction(() => {
    if (options.replace) sql.clearContainers.run(deploymentId);
    for (const c of containers) {
      sql.putContainer.run(
        deploymentId,
        c.component,
        c.service,
        c.containerId,
        JSON.stringify(c.snapshot),
        now,
      );
    }
  })();
}

interface CheckRow {
  device: string;
  checked_at: string;
  via: DeviceCheck['via'];
  error: string | null;
}

function toCheck(row: CheckRow): DeviceCheck {
  return { device: row.device, checkedAt: row.checked_at, via: row.via, error: row.error };
}

export function deviceChecks(store: Store): DeviceCheck[] {
  return (SQL(store.db).checks.all() as CheckRow[]).map(toCheck);
}

export function deviceCheck(store: Store, device: string): DeviceCheck | undefined {
  const row = SQL(store.db).check.get(device) as CheckRow | undefined;
  return row ? toCheck(row) : undefined;
}

/** Records that a device was asked (and whether it answered); open views show the time. */
export function recordDeviceCheck(store: Store, check: DeviceCheck): void {
  SQL(store.db).putCheck.run(check.device, check.checkedAt, check.via, check.error);
  store.changes.announce('deployments');
}
