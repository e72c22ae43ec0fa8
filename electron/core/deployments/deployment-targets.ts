import type { Store } from '../store/store';
import type { DeviceRecord } from '../store/device-inventory';
import type { DeploymentRecord } from '../store/deployment-journal';
import type { DeploymentTarget } from './deployment-target';
import { dockerTarget } from './docker/docker-target';
import { isMargoDeployment } from './margo/margo-placement';
import { margoTarget } from './margo/margo-target';

/** The one place that tells Docker devices from Margo devices, for a device of the inventory. */
export function targetForDevice(device: DeviceRecord): DeploymentTarget {
  return device.kind === 'margo' ? margoTarget : dockerTarget;
}

/**
 * …and for a recorded deployment: its revisions record where it was placed (the device may
 * have left the inventory since).
 */
export function targetOfDeployment(store: Store, deployment: DeploymentRecord): DeploymentTarget {
  return isMargoDeployment(store, deployment) ? margoTarget : dockerTarget;
}
