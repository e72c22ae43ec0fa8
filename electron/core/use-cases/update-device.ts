import { audited } from '../audit/audited';
import { notFound } from '../../../shared/contract/contract-error';
import type { DescribedCapabilities } from '../../../shared/devices/described-capabilities';
import { checkDescribed } from '../devices/described-check';
import {
  getDevice,
  updateDescribed,
  updateHostAccess,
  updateLabels,
  type DeviceRecord,
  type HostAccessPolicy,
} from '../store/device-inventory';
import type { Store } from '../store/store';

export interface UpdateDeviceInput {
  name: string;
  /** The complete set of labels (those not named are removed). */
  labels?: Record<string, string>;
  /** Labels to set (`key=value`) and to remove (`key-`), as `kubectl label` does. */
  setLabels?: Record<string, string>;
  removeLabels?: string[];
  /**
   * What the engineer tells about the device; fields given replace the recorded ones (a list
   * given is complete), fields left out stay.
   */
  described?: DescribedCapabilities;
  /** `deny`: applications that need access to the device itself are incompatible with it. */
  hostAccess?: HostAccessPolicy;
}

/**
 * Changes what the engineer says about a device: labels, described capabilities, and whether
 * it lets applications reach into the device itself.
 */
function updateDeviceNow(store: Store, input: UpdateDeviceInput): DeviceRecord {
  const device = getDevice(store, input.name);
  if (!device) throw noDevice(input.name);
  const described =
    input.described !== undefined
      ? checkDescribed({ ...device.described, ...input.described })
      : undefined;
  const set = { ...(input.labels ?? {}), ...(input.setLabels ?? {}) };
  const remove = [
    ...(input.labels !== undefined
      ? Object.keys(device.labels).filter((k) => !(k in (input.labels ?? {})))
      : []),
    ...(input.removeLabels ?? []),
  ];
  if (Object.keys(set).length > 0 || remove.length > 0)
    updateLabels(store, input.name, set, remove);
  if (described !== undefined) updateDescribed(store, input.name, described);
  if (input.hostAccess !== undefined && input.hostAccess !== device.hostAccess)
    updateHostAccess(store, input.name, input.hostAccess);
  return getDevice(store, input.name) as DeviceRecord;
}

export function noDevice(name: string) {
  return notFound(
    'device',
    name,
    `no device named ${name} in the inventory: the Devices list shows the devices there are`,
  );
}

/** Changes a device's labels, described capabilities or host-access setting (audited). */
export function updateDevice(store: Store, input: UpdateDeviceInput): DeviceRecord {
  return audited(
    store,
    {
      operation: 'devices.update',
      target: input.name,
      inputs: {
        ...(input.labels ? { labels: labelTexts(input.labels) } : {}),
        ...(input.setLabels ? { setLabels: labelTexts(input.setLabels) } : {}),
        ...(input.removeLabels ? { removeLabels: input.removeLabels } : {}),
        ...(input.described ? { described: JSON.stringify(input.described) } : {}),
        ...(input.hostAccess !== undefined ? { hostAccess: input.hostAccess } : {}),
      },
    },
    () => updateDeviceNow(store, input),
  );
}

function labelTexts(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}
