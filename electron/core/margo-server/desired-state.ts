import type { Store } from '../store/store';
import { sha256 } from './state-manifest';

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
  const digest = sha256(yaml);
  store.db
    .prepare(
      `INSERT INTO margo_desired (client_id, deployment_id, device_id, yaml, digest, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (client_id, deployment_id) DO UPDATE SET device_id = excluded.device_id, yaml = excluded.yaml,
         digest = excluded.digest, updated_at = excluded.updated_at`,
    )
    .run(clientId, deploymentId, deviceId, yaml, digest, new Date().toISOString());
  return digest;
}

export function removeDesiredDeployment(
  store: Store,
  clientId: string,
  deploymentId: string,
): boolean {
  return (
    store.db
      .prepare('DELETE FROM margo_desired WHERE client_id = ? AND deployment_id = ?')
      .run(clientId, deploymentId).changes > 0
  );
}
