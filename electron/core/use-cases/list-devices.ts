import type { DeviceView } from '../../../shared/contract/devices';
import { describeConnection } from '../../../shared/devices/device-connection';
import { listDevices as listInventory, type DeviceRecord } from '../store/device-inventory';
import type { Store } from '../store/store';

/** The inventory, by name. */
export function listDevices(store: Store): DeviceRecord[] {
  return listInventory(store);
}

/** A device as the UI shows it (key files stay in the core: the UI sees where, not which). */
export function deviceView(device: DeviceRecord): DeviceView {
  const c = device.connection;
  return {
    name: device.name,
    kind: device.kind,
    connection: {
      protocol: c.protocol,
      address: describeConnection(c),
      secure: c.protocol !== 'tcp' || c.tls !== null,
      ...(c.protocol === 'ssh'
        ? { ...(c.hostKey ? { sshHostKey: c.hostKey } : {}), sshAgent: c.agent === true }
        : {}),
    },
    labels: device.labels,
    described: device.described,
    lastProbe: device.lastProbe,
    lastSeen: device.lastGood?.probedAt ?? null,
    addedAt: device.addedAt,
    hostAccess: device.hostAccess,
  };
}

/** One line of `devices list --json`; its shape is relied on by scripts outside the repo. */
export function deviceListEntry(d: DeviceRecord) {
  return {
    name: d.name,
    kind: d.kind,
    connection: describeConnection(d.connection),
    labels: d.labels,
    described: d.described,
    reachable: d.lastProbe?.reachable ?? null,
    probedAt: d.lastProbe?.probedAt ?? null,
    error: d.lastProbe?.error ?? null,
    capabilities: d.lastGood?.capabilities ?? null,
    hostAccess: d.hostAccess,
  };
}
