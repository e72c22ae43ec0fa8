import { sha256Digest } from './content-digest';
import { namedStatements } from './statements';
import type { Store } from './store';

const SQL = namedStatements({
  place: `INSERT INTO margo_desired (client_id, deployment_id, device_id, yaml, digest, updated_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (client_id, deployment_id) DO UPDATE SET device_id = excluded.device_id, yaml = excluded.yaml,
            digest = excluded.digest, updated_at = excluded.updated_at`,
  takeOut: 'DELETE FROM margo_desired WHERE client_id = ? AND deployment_id = ?',
  digests:
    'SELECT deployment_id, digest FROM margo_desired WHERE client_id = ? ORDER BY deployment_id',
  deployments:
    'SELECT deployment_id, yaml, digest FROM margo_desired WHERE client_id = ? ORDER BY deployment_id',
  deviceOf: 'SELECT device_id FROM margo_desired WHERE client_id = ? AND deployment_id = ?',
});

/**
 * What a Margo client's devices should run: the deploy engine places an ApplicationDeployment
 * (its exact bytes) for a device of a client, or takes it out. The next state manifest the
 * client fetches has a new manifestVersion.
 */
export function setDesiredDeployment(
  store: Store,
  clientId: string,
  deviceId: string,
  deploymentId: string,
  yaml: Buffer,
): string {
  const digest = sha256Digest(yaml);
  SQL(store.db).place.run(clientId, deploymentId, deviceId, yaml, digest, new Date().toISOString());
  store.changes.announce('deployments');
  return digest;
}

export function removeDesiredDeployment(
  store: Store,
  clientId: string,
  deploymentId: string,
): boolean {
  const removed = SQL(store.db).takeOut.run(clientId, deploymentId).changes > 0;
  if (removed) store.changes.announce('deployments');
  return removed;
}

/** A deployment a client should run, with its exact bytes. */
export interface DesiredDeployment {
  deploymentId: string;
  yaml: Buffer;
  digest: string;
}

/**
 * The ids and digests of what a client should run, by id: one small query (no YAML bytes),
 * enough to tell whether its state manifest changed. Clients poll it every second or so.
 */
export function desiredDigests(
  store: Store,
  clientId: string,
): { deploymentId: string; digest: string }[] {
  return (SQL(store.db).digests.all(clientId) as { deployment_id: string; digest: string }[]).map(
    (d) => ({ deploymentId: d.deployment_id, digest: d.digest }),
  );
}

/** What a client should run, bytes included, by id. */
export function desiredDeployments(store: Store, clientId: string): DesiredDeployment[] {
  return (
    SQL(store.db).deployments.all(clientId) as {
      deployment_id: string;
      yaml: Buffer;
      digest: string;
    }[]
  ).map((d) => ({ deploymentId: d.deployment_id, yaml: d.yaml, digest: d.digest }));
}

/** The device of a client a deployment is placed on; undefined when it is not placed. */
export function desiredDevice(
  store: Store,
  clientId: string,
  deploymentId: string,
): string | undefined {
  return SQL(store.db).deviceOf.pluck().get(clientId, deploymentId) as string | undefined;
}
