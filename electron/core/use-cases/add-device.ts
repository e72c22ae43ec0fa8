import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { DescribedCapabilities } from '../../../shared/devices/described-capabilities';
import {
  DeviceName,
  parseDockerHost,
  type DockerConnection,
} from '../../../shared/devices/device-connection';
import type { ProbeResult } from '../../../shared/devices/probe-result';
import { checkDescribed } from '../devices/described-check';
import { deviceAddress, refuseLocalTarget } from '../local-targets/refuse-local-target';
import {
  addDevice as recordDevice,
  deviceKeysDir,
  getDevice,
  keepTlsFiles,
  type DeviceRecord,
} from '../store/device-inventory';
import { probeDevices } from '../devices/probe-devices';
import type { Store } from '../store/store';

export interface AddDeviceInput {
  name: string;
  /** Only Docker devices are added by hand; Margo devices register themselves. */
  kind?: string;
  /** `tcp://host:2376`, `ssh://user@host`, `unix:///var/run/docker.sock`. */
  host: string;
  /** Absolute paths of the TLS files the engineer chose (copied into the data home). */
  tls?: { ca: string; cert: string; key: string };
  /** Docker over TCP without TLS: only when asked for. */
  plainTcp?: boolean;
  /** Absolute path of an SSH private key for ssh:// (copied into the data home). */
  identity?: string;
  labels?: Record<string, string>;
  described?: DescribedCapabilities;
  /** Refuse a device on the station itself (faces others can reach: the browser host). */
  refuseLocalTargets?: boolean;
}

const TLS_FILES = { ca: 'CA certificate', cert: 'client certificate', key: 'client key' } as const;

/**
 * Adds a Docker device: its name, address and key material checked first, the key material
 * copied into the data home (0600, so the stick it came from can be unplugged), then one
 * probe to tell what was found. A device that cannot be reached now is still added (the probe
 * says why). Nothing is recorded when the request is refused.
 */
export async function addDevice(
  store: Store,
  input: AddDeviceInput,
): Promise<{ device: DeviceRecord; probe: ProbeResult }> {
  if (input.kind !== undefined && input.kind !== 'docker') {
    throw invalid(
      `unknown device kind "${input.kind}": only Docker devices are added by hand (Margo devices register themselves)`,
      'kind',
    );
  }
  const name = DeviceName.safeParse(input.name);
  if (!name.success) {
    throw invalid(
      `the device name "${input.name}" is not allowed: ${name.error.issues[0]?.message ?? 'invalid'}`,
      'name',
    );
  }
  const host = parseDockerHost(input.host);
  if (!host.ok) throw invalid(`the address is not valid: ${host.message}`, 'host');
  await refuseLocalTarget(
    deviceAddress(host.connection, input.host.trim()),
    input.refuseLocalTargets === true,
  );
  const described = checkDescribed(input.described ?? {});
  if (getDevice(store, input.name)) {
    throw new CommissionerError(
      'already-exists',
      `a device named ${input.name} already exists: remove it first or choose another name`,
      { thing: 'device', name: input.name },
    );
  }
  const h = host.connection;
  let connection: DockerConnection;
  if (h.protocol === 'tcp') {
    if (input.plainTcp) {
      if (input.tls) throw invalid('plain TCP and TLS files exclude each other', 'tls');
      connection = { ...h, tls: null };
    } else {
      if (!input.tls) {
        throw invalid(
          'a tcp:// device needs its TLS files (the CA that signed the device, the laptop’s certificate and key): Docker over TCP without TLS gives root to anyone on the network; plain TCP must be asked for explicitly',
          'tls',
        );
      }
      for (const which of ['ca', 'cert', 'key'] as const) readable(input.tls[which], which);
      connection = { ...h, tls: keepTlsFiles(store, input.name, input.tls) };
    }
  } else if (h.protocol === 'ssh') {
    connection = input.identity
      ? { ...h, identityFile: keepIdentity(store, input.name, input.identity) }
      : h;
  } else {
    connection = h;
  }
  recordDevice(store, {
    name: input.name,
    kind: 'docker',
    connection,
    labels: input.labels ?? {},
    described,
  });
  const { results } = await probeDevices(store, [input.name]);
  return { device: getDevice(store, input.name) as DeviceRecord, probe: results[0] as ProbeResult };
}

function invalid(message: string, field: string): CommissionerError<'invalid-input'> {
  return new CommissionerError('invalid-input', message, { field });
}

function readable(path: string, which: keyof typeof TLS_FILES): void {
  try {
    readFileSync(path);
  } catch {
    throw invalid(
      `the ${TLS_FILES[which]} file ${path} cannot be read: check that it exists and that you may read it`,
      `tls.${which}`,
    );
  }
}

/** An SSH key, kept beside the device's other key material (0600). */
function keepIdentity(store: Store, name: string, path: string): string {
  try {
    readFileSync(path);
  } catch {
    throw invalid(
      `the SSH key file ${path} cannot be read: check that it exists and that you may read it`,
      'identity',
    );
  }
  const dir = deviceKeysDir(store, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const kept = join(dir, 'identity');
  copyFileSync(path, kept);
  chmodSync(kept, 0o600);
  return kept;
}
