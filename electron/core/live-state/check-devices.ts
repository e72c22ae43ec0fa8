import type { DeviceCheck } from '../../../shared/contract/deployments';
import { targetOfDeployment } from '../deployments/deployment-targets';
import { inParallel } from '../deployments/in-parallel';
import { toContractError } from '../errors/to-contract-error';
import {
  findDeployment,
  listDeployments,
  type DeploymentRecord,
} from '../store/deployment-journal';
import { deviceBusy } from '../store/device-locks';
import { isSettled } from '../deployments/settled-deployment';
import { recordDeviceCheck } from '../store/live-state-table';
import type { Store } from '../store/store';

/** Deployments whose live state is watched: settled ones (an operation owns the others). */
export function watchedDeployments(store: Store): DeploymentRecord[] {
  return listDeployments(store)
    .map((d) => findDeployment(store, d.id))
    .filter((d): d is DeploymentRecord => d !== undefined && isSettled(store, d));
}

/** The devices that have watched deployments, by name. */
export function watchedDevices(store: Store): string[] {
  return [...new Set(watchedDeployments(store).map((d) => d.device))].sort();
}

/**
 * Asks one device what it runs now and records it for each of its deployments (states and
 * drift), then when it was asked and whether it answered. A device being deployed to is left
 * to that operation (its state is the operation's to write).
 */
export function checkDevice(
  store: Store,
  device: string,
  via: DeviceCheck['via'],
): Promise<DeviceCheck | undefined> {
  // One check of a device at a time in this process (the watcher and Refresh all meet here):
  // two at once would record the same drift twice.
  const before = inFlight.get(device) ?? Promise.resolve(undefined);
  const next = before.catch(() => undefined).then(() => askDevice(store, device, via));
  inFlight.set(device, next);
  void next
    .catch(() => undefined)
    .finally(() => {
      if (inFlight.get(device) === next) inFlight.delete(device);
    });
  return next;
}

const inFlight = new Map<string, Promise<DeviceCheck | undefined>>();

async function askDevice(
  store: Store,
  device: string,
  via: DeviceCheck['via'],
): Promise<DeviceCheck | undefined> {
  if (deviceBusy(store, device)) return undefined;
  const deployments = watchedDeployments(store).filter((d) => d.device === device);
  if (deployments.length === 0) return undefined;
  const checkedAt = new Date().toISOString();
  let error: string | null = null;
  try {
    for (const deployment of deployments) {
      await targetOfDeployment(store, deployment).refresh(store, deployment);
    }
  } catch (e) {
    error = toContractError(e, `asking ${device}`).message;
  }
  const check: DeviceCheck = { device, checkedAt, via, error };
  recordDeviceCheck(store, check);
  return check;
}

/** Asks every device with deployments (`deployments list --refresh`, Refresh all). */
export async function checkAllDevices(
  store: Store,
  via: DeviceCheck['via'] = 'refresh',
): Promise<DeviceCheck[]> {
  const checks = await inParallel(watchedDevices(store), (d) => checkDevice(store, d, via));
  return checks.filter((c): c is DeviceCheck => c !== undefined);
}
