import type { DeviceDetailView } from '../../../shared/contract/devices';
import type { FoundOnDevice } from '../deployments/deployment-target';
import { targetForDevice } from '../deployments/deployment-targets';
import { toContractError } from '../errors/to-contract-error';
import { findDeployment, deploymentOf } from '../store/deployment-journal';
import { getDevice } from '../store/device-inventory';
import { installationOwner } from '../store/installation';
import type { Store } from '../store/store';
import { deviceView } from './list-devices';
import { noDevice } from './update-device';

/**
 * `devices show <name>` / `devices.show`: the device, its last probe, and the Commissioner
 * deployments it runs, ours or another installation's (asked now: a Docker device is probed
 * and its labels and records read; a Margo device is what its client reported). Our records
 * of deployments another installation deployed over since are marked taken over on the way.
 * A device that does not answer shows its last probe and says so (`unreadable`).
 */
export async function showDevice(store: Store, name: string): Promise<DeviceDetailView> {
  const device = getDevice(store, name);
  if (!device) throw noDevice(name);
  const installation = installationOwner(store);
  let unreadable: string | null = null;
  let found: FoundOnDevice[] = [];
  try {
    found = await targetForDevice(device).found(store, device);
  } catch (e) {
    unreadable = toContractError(e, `asking ${name}`).message;
  }
  return {
    device: deviceView(getDevice(store, name) ?? device),
    installation,
    deployments: found.map((f) => {
      const recorded = findDeployment(store, f.id) ?? deploymentOf(store, f.appId, name);
      return {
        ...f,
        ours: f.owner.installation === installation.installation,
        recorded: recorded?.device === name ? recorded.id : null,
      };
    }),
    unreadable,
  };
}
