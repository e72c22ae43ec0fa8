import type { DeploymentRecord } from '../store/deployment-journal';
import { deviceBusy } from '../store/device-locks';
import type { Store } from '../store/store';

/**
 * Whether what the device shows may be recorded for a deployment: installed or failed, or
 * installing with no operation on its device (a health check still starting when the last
 * check looked). While a deploy, rollback or removal holds the device, its state is the
 * operation's to write. Without the last case a deployment read as installing once would never
 * be asked again.
 */
export function isSettled(store: Store, deployment: DeploymentRecord): boolean {
  if (deployment.state === 'installed' || deployment.state === 'failed') return true;
  return deployment.state === 'installing' && !deviceBusy(store, deployment.device);
}
