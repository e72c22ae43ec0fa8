import type { MargoClientView } from '../../../shared/contract/margo';
import type { MargoClient } from '../identity/margo-clients';
import { listDevices } from '../store/device-inventory';
import type { Store } from '../store/store';
import { expiringCertificates, listMargoClients } from './margo-clients';

/** Clients whose newest accepted certificate runs out within 30 days (the CLI's rule). */
function expiringClients(store: Store): Set<string> {
  return new Set(
    expiringCertificates(store)
      .filter((c) => c.certificate === 'client' && c.clientId !== undefined)
      .map((c) => c.clientId as string),
  );
}

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

function clientView(
  client: MargoClient,
  devices: ClientDevices,
  expiring: ReadonlySet<string>,
): MargoClientView {
  return {
    clientId: client.clientId,
    spiffeId: client.spiffeId,
    state: client.state,
    createdAt: client.createdAt,
    revokedAt: client.revokedAt,
    lastContact: client.lastSeen,
    manifestVersion: client.manifestVersion,
    devices: devices.get(client.clientId) ?? [],
    certificate: client.notAfter
      ? { notAfter: client.notAfter, expiresSoon: expiring.has(client.clientId) }
      : null,
  };
}

/** Settings → Margo devices: every client with the devices it reported and its last contact. */
export function margoClientViews(store: Store): MargoClientView[] {
  const devices = devicesByClient(store);
  const expiring = expiringClients(store);
  return listMargoClients(store).map((c) => clientView(c, devices, expiring));
}

/** One client as the list shows it (the answer to an add or a revoke). */
export function margoClientView(store: Store, client: MargoClient): MargoClientView {
  return clientView(client, devicesByClient(store), expiringClients(store));
}
