import { addDevice, keepTlsFiles } from '../../electron/core/store/device-inventory';
import type { Store } from '../../electron/core/store/store';
import type { FleetDaemon } from './docker-fleet';

/** Adds fleet daemons to a store's inventory as TLS Docker devices, named in order. */
export function addFleetDevices(
  store: Store,
  daemons: readonly FleetDaemon[],
  names: readonly string[],
): void {
  daemons.forEach((d, i) => {
    const name = names[i] ?? `dev${i + 1}`;
    addDevice(store, {
      name,
      kind: 'docker',
      connection: {
        protocol: 'tcp',
        host: d.host,
        port: d.port,
        tls: keepTlsFiles(store, name, {
          ca: d.tls.caPath,
          cert: d.tls.certPath,
          key: d.tls.keyPath,
        }),
      },
      labels: {},
      described: {},
    });
  });
}
