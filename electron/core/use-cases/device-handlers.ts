import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix, MatrixCell } from '../../../shared/contract/compatibility';
import { verdictOf, type Verdict } from '../../../shared/compatibility/verdict';
import type { AddDevice, DeviceView, UpdateDevice } from '../../../shared/contract/devices';
import {
  describeConnection,
  parseDockerHost,
  type DockerConnection,
} from '../../../shared/devices/device-connection';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { compatibilityMatrix } from '../devices/device-compatibility';
import {
  addDevice,
  deviceKeysDir,
  getDevice,
  keepTlsFiles,
  listDevices,
  removeDevice,
  updateDescribed,
  updateLabels,
  type DeviceRecord,
} from '../devices/device-inventory';
import { probeDevices } from '../devices/probe-devices';
import { listCatalog, showApplication } from '../store/catalog-reader';
import type { Store } from '../store/store';
import type { PickedFiles } from '../contract-handlers/picked-files';

/** A request the engineer can fix (a missing file, a bad address): said in plain words. */
export class DeviceInputError extends Error {
  override name = 'DeviceInputError';
}

export function deviceView(device: DeviceRecord): DeviceView {
  const c = device.connection;
  return {
    name: device.name,
    kind: device.kind,
    connection: {
      protocol: c.protocol,
      address: describeConnection(c),
      secure: c.protocol !== 'tcp' || c.tls !== null,
    },
    labels: device.labels,
    described: device.described,
    lastProbe: device.lastProbe,
    lastSeen: device.lastGood?.probedAt ?? null,
    addedAt: device.addedAt,
  };
}

/**
 * Adds a device from the UI: the address parsed as the CLI parses it, TLS files and SSH keys
 * taken from what the engineer picked and kept in keys/ (0600), then a first probe. A device
 * that cannot be reached now is still added (the probe says why).
 */
export async function addDeviceFromUi(
  store: Store,
  files: PickedFiles,
  request: AddDevice,
): Promise<DeviceView> {
  const host = parseDockerHost(request.host);
  if (!host.ok) throw new DeviceInputError(`address: ${host.message}`);
  if (getDevice(store, request.name)) {
    throw new DeviceInputError(
      `a device named ${request.name} already exists: remove it first or choose another name`,
    );
  }
  const h = host.connection;
  let connection: DockerConnection;
  if (h.protocol === 'tcp') {
    if (request.plainTcp) {
      if (request.tls) throw new DeviceInputError('plain TCP and TLS files exclude each other');
      connection = { ...h, tls: null };
    } else {
      if (!request.tls) {
        throw new DeviceInputError(
          'a tcp:// device needs its TLS files (the CA that signed it, the laptop’s certificate and key): Docker over TCP without TLS gives root to anyone on the network',
        );
      }
      connection = {
        ...h,
        tls: keepTlsFiles(store, request.name, {
          ca: files.resolve(request.tls.ca, 'file').path,
          cert: files.resolve(request.tls.cert, 'file').path,
          key: files.resolve(request.tls.key, 'file').path,
        }),
      };
    }
  } else if (h.protocol === 'ssh') {
    connection = request.identity
      ? {
          ...h,
          identityFile: keepIdentity(
            store,
            request.name,
            files.resolve(request.identity, 'file').path,
          ),
        }
      : h;
  } else {
    connection = h;
  }
  addDevice(store, {
    name: request.name,
    kind: 'docker',
    connection,
    labels: request.labels ?? {},
    described: request.described ?? {},
  });
  await probeDevices(store, [request.name]);
  return deviceView(getDevice(store, request.name) as DeviceRecord);
}

/** An uploaded or picked SSH key, kept beside the device's other key material (0600). */
function keepIdentity(store: Store, name: string, path: string): string {
  const dir = deviceKeysDir(store, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const kept = join(dir, 'identity');
  copyFileSync(path, kept);
  chmodSync(kept, 0o600);
  return kept;
}

export function updateDeviceFromUi(store: Store, request: UpdateDevice): DeviceView {
  const device = getDevice(store, request.name);
  if (!device) throw new DeviceInputError(`no device named ${request.name}`);
  if (request.labels !== undefined) {
    const removed = Object.keys(device.labels).filter((k) => !(k in (request.labels ?? {})));
    updateLabels(store, request.name, request.labels, removed);
  }
  if (request.described !== undefined) updateDescribed(store, request.name, request.described);
  return deviceView(getDevice(store, request.name) as DeviceRecord);
}

export function removeDeviceFromUi(store: Store, name: string): void {
  if (!removeDevice(store, name)) throw new DeviceInputError(`no device named ${name}`);
}

const RANK: Record<Verdict, number> = { compatible: 0, unknown: 1, incompatible: 2 };

/** Apps (latest versions) × devices, each cell the best of the app's profiles. */
export function matrix(store: Store, appIds?: string[], deviceNames?: string[]): Matrix {
  const devices = listDevices(store).filter((d) => !deviceNames || deviceNames.includes(d.name));
  const entries = listCatalog(store.db).filter((e) => !appIds || appIds.includes(e.id));
  const cells: MatrixCell[] = [];
  for (const entry of entries) {
    const detail = showApplication(store.db, entry.id, entry.version);
    if (!detail) continue;
    const rows = compatibilityMatrix(detail.document as ApplicationDescription, devices);
    for (const device of devices) {
      const profiles = rows
        .filter((r) => r.device === device.name)
        .map((r) => ({ profile: r.profile, verdict: verdictOf(r.checks), checks: r.checks }));
      const verdict = profiles.reduce<Verdict>(
        (best, p) => (RANK[p.verdict] < RANK[best] ? p.verdict : best),
        'incompatible',
      );
      cells.push({ appId: entry.id, device: device.name, verdict, profiles });
    }
  }
  return {
    apps: entries.map((e) => ({ id: e.id, name: e.name, version: e.version })),
    devices: devices.map((d) => d.name),
    cells,
  };
}
