import type { MargoClientView } from '../../../shared/contract/margo';
import type { MargoClient } from '../identity/margo-clients';
import { listDevices } from '../store/device-inventory';
import type { Store } from '../store/store';
import { listMargoClients } from './margo-clients';

type ClientDevices = Map<string, MargoClientView['devices']>;

/** The inventory's Margo devices by the client that reported them. */
function devicesByClient(store: Store): ClientDevices {
  const byClient: ClientDevices = new Map();
  for (const device of listDevices(store)) {
    const c = device.connection;
    if (c.protocol !== 'margo') continue;
    const list = byClient.get(c.clientId) ?? [];
    list.push({
      name: device.name,
      deviceId: c.deviceId,
      lastReport: device.lastGood?.probedAt ?? null,
    });
    byClient.set(c.clientId, list);
  }
  return byClient;
}

function clientView(client: MargoClient, devices: ClientDevices): MargoClientView {
  return {
    clientId: client.clientId,
    spiffeId: client.spiffeId,
    state: client.state,
    createdAt: client.createdAt,
    revokedAt: client.revokedAt,
    lastContact: client.lastSeen,
    manifestVersion: client.manifestVersion,
    devices: devices.get(client.clientId) ?? [],
    // The store keeps no certificate expiry yet (it comes with renewal, issue 17 items 1–2).
    certificate: null,
  };
}

/** Settings → Margo devices: every client with the devices it reported and its last contact. */
export function margoClientViews(store: Store): MargoClientView[] {
  const devices = devicesByClient(store);
  return listMargoClients(store).map((c) => clientView(c, devices));
}

/** One client as the list shows it (the answer to an add or a revoke). */
export function margoClientView(store: Store, client: MargoClient): MargoClientView {
  return clientView(client, devicesByClient(store));
}
