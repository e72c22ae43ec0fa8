import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DescribedCapabilities } from '../../../shared/devices/described-capabilities';
import { DeviceConnection, margoDeviceName } from '../../../shared/devices/device-connection';
import { DeviceCapabilitiesManifest } from '../../../shared/margo/device-capabilities';
import { ProbeResult } from '../../../shared/devices/probe-result';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { namedStatements } from './statements';
import type { Store } from './store';

export const HostAccessPolicy = z.enum(['allow', 'deny']);
export type HostAccessPolicy = z.infer<typeof HostAccessPolicy>;

export const DeviceRecord = z.strictObject({
  name: z.string(),
  kind: z.enum(['docker', 'margo']),
  connection: DeviceConnection,
  labels: z.record(z.string(), z.string()),
  /** What a Margo device's client reported (rc.3 capabilities); null for Docker devices. */
  reported: DeviceCapabilitiesManifest.nullable(),
  described: DescribedCapabilities,
  lastProbe: ProbeResult.nullable(),
  /** The last probe that reached the device (facts stay useful while it is away). */
  lastGood: ProbeResult.nullable(),
  addedAt: z.string(),
  /** Whether applications that reach into the device itself may run on it (engineer's choice). */
  hostAccess: HostAccessPolicy,
});
export type DeviceRecord = z.infer<typeof DeviceRecord>;

const SQL = namedStatements({
  list: 'SELECT * FROM devices ORDER BY name',
  get: 'SELECT * FROM devices WHERE name = ?',
  insert:
    'INSERT INTO devices (name, kind, connection, labels, described, added_at) VALUES (?, ?, ?, ?, ?, ?)',
  upsertMargo: `INSERT INTO devices (name, kind, connection, labels, described, reported, probe, last_good, probed_at, reachable, added_at)
                VALUES (?, 'margo', ?, '{}', '{}', ?, ?, ?, ?, 1, ?)
                ON CONFLICT (name) DO UPDATE SET connection = excluded.connection, reported = excluded.reported,
                  probe = excluded.probe, last_good = excluded.last_good, probed_at = excluded.probed_at, reachable = 1`,
  deleteMargo:
    "DELETE FROM devices WHERE kind = 'margo' AND (name = ? OR substr(name, 1, length(?) + 1) = ? || '/')",
  recordProbe:
    'UPDATE devices SET probe = ?, probed_at = ?, reachable = ?, last_good = CASE WHEN ? THEN ? ELSE last_good END WHERE name = ?',
  setLabels: 'UPDATE devices SET labels = ? WHERE name = ?',
  setDescribed: 'UPDATE devices SET described = ? WHERE name = ?',
  setHostAccess: 'UPDATE devices SET host_access = ? WHERE name = ?',
  delete: 'DELETE FROM devices WHERE name = ?',
  connections: "SELECT name, connection FROM devices WHERE kind = 'docker'",
  setConnection: 'UPDATE devices SET connection = ? WHERE name = ?',
});

interface Row {
  name: string;
  kind: 'docker' | 'margo';
  connection: string;
  labels: string;
  described: string;
  probe: string | null;
  last_good: string | null;
  reported: string | null;
  added_at: string;
  host_access: HostAccessPolicy;
}

function toRecord(row: Row): DeviceRecord {
  return {
    name: row.name,
    kind: row.kind,
    connection: DeviceConnection.parse(JSON.parse(row.connection)),
    labels: JSON.parse(row.labels) as Record<string, string>,
    described: DescribedCapabilities.parse(JSON.parse(row.described)),
    // Written by recordProbe from validated results: read back without validating again.
    lastProbe: row.probe ? (JSON.parse(row.probe) as ProbeResult) : null,
    lastGood: row.last_good ? (JSON.parse(row.last_good) as ProbeResult) : null,
    // Validated when the client reported it.
    reported: row.reported ? (JSON.parse(row.reported) as DeviceCapabilitiesManifest) : null,
    addedAt: row.added_at,
    hostAccess: row.host_access,
  };
}

/** Where a device's TLS files are kept: copies in keys/ (0700), so the stick can be unplugged. */
export function deviceKeysDir(store: Store, name: string): string {
  return join(store.paths.keys, 'devices', name);
}

/**
 * Copies the engineer's TLS files into keys/devices/<name>/ (files 0600) and returns the
 * connection pointing at the copies. Reading them here also proves they are readable now.
 */
export function keepTlsFiles(
  store: Store,
  name: string,
  files: { ca: string; cert: string; key: string },
): { ca: string; cert: string; key: string } {
  return {
    ca: keepKeyFile(store, name, 'ca.pem', readFileSync(files.ca)),
    cert: keepKeyFile(store, name, 'cert.pem', readFileSync(files.cert)),
    key: keepKeyFile(store, name, 'key.pem', readFileSync(files.key)),
  };
}

/**
 * Writes one file of a device's key material (the bytes that were checked, not the file read
 * again) into keys/devices/<name>/ (0700, the file 0600) and returns its path.
 */
export function keepKeyFile(store: Store, name: string, file: string, bytes: Buffer): string {
  const dir = deviceKeysDir(store, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(join(store.paths.keys, 'devices'), 0o700);
  const kept = join(dir, file);
  writeFileSync(kept, bytes, { mode: 0o600 });
  chmodSync(kept, 0o600);
  return kept;
}

/**
 * A restored backup's devices point at key files under the data home it was made of: moves
 * those paths to the new home's keys folder (where the restore put the same files). Paths
 * elsewhere (a key file the engineer keeps outside) are left as they are. Returns how many
 * devices changed.
 */
export function moveDeviceKeyPaths(store: Store, fromKeys: string, toKeys: string): number {
  if (fromKeys === toKeys) return 0;
  const moved = (path: string) =>
    path.startsWith(`${fromKeys}/`) || path.startsWith(`${fromKeys}\\`)
      ? join(toKeys, path.slice(fromKeys.length + 1))
      : path;
  const sql = SQL(store.db);
  let changed = 0;
  store.db.transaction(() => {
    for (const row of sql.connections.all() as { name: string; connection: string }[]) {
      const connection = DeviceConnection.parse(JSON.parse(row.connection));
      let next = connection;
      if (connection.protocol === 'tcp' && connection.tls) {
        next = {
          ...connection,
          tls: {
            ca: moved(connection.tls.ca),
            cert: moved(connection.tls.cert),
            key: moved(connection.tls.key),
          },
        };
      } else if (connection.protocol === 'ssh' && connection.identityFile !== undefined) {
        next = { ...connection, identityFile: moved(connection.identityFile) };
      }
      const text = JSON.stringify(next);
      if (text !== JSON.stringify(connection)) {
        sql.setConnection.run(text, row.name);
        changed++;
      }
    }
  })();
  if (changed > 0) store.changes.announce('devices');
  return changed;
}

/** Removes a device's key material (its folder under keys/devices/). */
export function forgetDeviceKeys(store: Store, name: string): void {
  rmSync(deviceKeysDir(store, name), { recursive: true, force: true });
}

export function addDevice(
  store: Store,
  device: Omit<DeviceRecord, 'lastProbe' | 'lastGood' | 'addedAt' | 'reported' | 'hostAccess'>,
): DeviceRecord {
  const addedAt = new Date().toISOString();
  try {
    SQL(store.db).insert.run(
      device.name,
      device.kind,
      JSON.stringify(device.connection),
      JSON.stringify(device.labels),
      JSON.stringify(device.described),
      addedAt,
    );
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new CommissionerError(
        'already-exists',
        `a device named ${device.name} already exists: remove it first or choose another name`,
        { thing: 'device', name: device.name },
      );
    }
    throw e;
  }
  store.changes.announce('devices');
  return {
    ...device,
    lastProbe: null,
    lastGood: null,
    reported: null,
    addedAt,
    hostAccess: 'allow',
  };
}

/**
 * A Margo device as its client reported it: added to the inventory on its first report
 * (`<client-id>/<device-id>`, the id of the report's path), its capabilities replaced on every
 * report. Engineer labels and descriptions of the device stay. A report whose `properties.id`
 * names another id than the path keeps that id beside the connection, to be shown.
 */
export function recordMargoDevice(
  store: Store,
  clientId: string,
  deviceId: string,
  capabilities: DeviceCapabilitiesManifest,
): DeviceRecord {
  const name = margoDeviceName(clientId, deviceId);
  const reportedId = capabilities.properties.id;
  const connection: DeviceConnection = {
    protocol: 'margo',
    clientId,
    deviceId,
    ...(reportedId !== deviceId ? { reportedId } : {}),
  };
  const now = new Date().toISOString();
  // A report is the device's own "probe": it reached the laptop just now.
  const heard: ProbeResult = {
    name,
    reachable: true,
    error: null,
    capabilities,
    facts: null,
    probedAt: now,
  };
  SQL(store.db).upsertMargo.run(
    name,
    JSON.stringify(connection),
    JSON.stringify(capabilities),
    JSON.stringify(heard),
    JSON.stringify(heard),
    now,
    now,
  );
  store.changes.announce('devices');
  return getDevice(store, name) as DeviceRecord;
}

/** A Margo device (and its children) unregistered by its client leave the inventory. */
export function forgetMargoDevice(store: Store, clientId: string, deviceId: string): number {
  const name = margoDeviceName(clientId, deviceId);
  const removed = SQL(store.db).deleteMargo.run(name, name, name).changes;
  if (removed > 0) store.changes.announce('devices');
  return removed;
}

export function listDevices(store: Store): DeviceRecord[] {
  return (SQL(store.db).list.all() as Row[]).map(toRecord);
}

export function getDevice(store: Store, name: string): DeviceRecord | undefined {
  const row = SQL(store.db).get.get(name) as Row | undefined;
  return row ? toRecord(row) : undefined;
}

export function recordProbe(store: Store, result: ProbeResult): void {
  const json = JSON.stringify(result);
  SQL(store.db).recordProbe.run(
    json,
    result.probedAt,
    result.reachable ? 1 : 0,
    result.reachable ? 1 : 0,
    json,
    result.name,
  );
  store.changes.announce('devices');
}

/** Sets labels (`key=value`) and removes them (`key-`), as `kubectl label` does. */
export function updateLabels(
  store: Store,
  name: string,
  set: Record<string, string>,
  remove: string[],
): DeviceRecord | undefined {
  const device = getDevice(store, name);
  if (!device) return undefined;
  const labels = { ...device.labels, ...set };
  for (const key of remove) delete labels[key];
  SQL(store.db).setLabels.run(JSON.stringify(labels), name);
  store.changes.announce('devices');
  return { ...device, labels };
}

export function updateDescribed(
  store: Store,
  name: string,
  described: DescribedCapabilities,
): void {
  SQL(store.db).setDescribed.run(JSON.stringify(described), name);
  store.changes.announce('devices');
}

export function updateHostAccess(store: Store, name: string, policy: HostAccessPolicy): void {
  SQL(store.db).setHostAccess.run(policy, name);
  store.changes.announce('devices');
}

export function removeDevice(store: Store, name: string): boolean {
  const removed = SQL(store.db).delete.run(name).changes > 0;
  if (removed) {
    forgetDeviceKeys(store, name);
    store.changes.announce('devices');
  }
  return removed;
}
