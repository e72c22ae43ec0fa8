import { audited } from '../audit/audited';
import type { AdoptedDeployments } from '../../../shared/contract/devices';
import { targetForDevice } from '../deployments/deployment-targets';
import { getDevice } from '../store/device-inventory';
import type { Store } from '../store/store';
import { noDevice } from './update-device';

/**
 * `deployments adopt <device> [<id>]` / `deployments.adopt`: takes a deployment found on a
 * device (or every one this laptop does not record) into this laptop's records, with the
 * revisions the device's record lists (secrets masked: they are given again on the next
 * deploy). Containers, volumes and the device's record stay as they are; who owns the
 * deployment on the device does not change (the next deploy over it is still a take-over).
 */
export async function adoptDeployments(
  store: Store,
  input: { device: string; id?: string },
): Promise<AdoptedDeployments> {
  return audited(
    store,
    {
      operation: 'deployments.adopt',
      target: input.device,
      inputs: { device: input.device, id: input.id ?? null },
    },
    () => {
      const device = getDevice(store, input.device);
      if (!device) throw noDevice(input.device);
      return targetForDevice(device).adopt(store, device, input.id);
    },
    (adopted) => ({ inputs: { adopted: adopted.map((a) => `${a.appId} (${a.id})`) } }),
  );
}
