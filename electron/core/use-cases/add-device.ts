import { audited } from '../audit/audited';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { DescribedCapabilities } from '../../../shared/devices/described-capabilities';
import {
  DeviceName,
  describeConnection,
  normalizeSshFingerprint,
  parseDockerHost,
  type DockerConnection,
} from '../../../shared/devices/device-connection';
import type { ProbeResult } from '../../../shared/devices/probe-result';
import { checkDescribed } from '../devices/described-check';
import { checkSshIdentity, checkTlsFiles } from '../devices/device-key-files';
import { firstSshHostKey } from '../devices/first-ssh-host-key';
import { DEFAULT_PROBE_TIMEOUT_MS } from '../devices/probe-device';
import { deviceAddress, refuseLocalTarget } from '../local-targets/refuse-local-target';
import {
  addDevice as recordDevice,
  forgetDeviceKeys,
  getDevice,
  keepKeyFile,
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
  /** ssh://: the fingerprint of the device's host key, from the device (`SHA256:…`). */
  sshHostKeyFingerprint?: string;
  /** ssh://: this computer's SSH agent may log in to the device (never unless asked). */
  sshAgent?: boolean;
  labels?: Record<string, string>;
  described?: DescribedCapabilities;
  /** Refuse a device on the station itself (faces others can reach: the browser host). */
  refuseLocalTargets?: boolean;
}

export interface AddedDevice {
  device: DeviceRecord;
  probe: ProbeResult;
  /** What may keep the device from working, though it was added (an expired certificate …). */
  warnings: string[];
}

/**
 * Adds a Docker device: its name, address and key material checked first (TLS files parsed
 * and matched, an SSH key parsed, the SSH host key read from the device and matched against
 * a pinned fingerprint), the checked key material written into the data home (0600, so the
 * stick it came from can be unplugged), then one probe to tell what was found. A device that
 * cannot be reached now is still added (the probe says why), except over SSH without a
 * pinned fingerprint: its host key must be seen once. Nothing is recorded when the request is
 * refused: no row, no key folder.
 */
export function addDevice(store: Store, input: AddDeviceInput): Promise<AddedDevice> {
  return audited(
    store,
    {
      operation: 'devices.add',
      target: input.name,
      // Key material by presence only: which files were chosen is the engineer's business.
      inputs: {
        kind: input.kind ?? 'docker',
        host: input.host,
        tls: input.tls !== undefined,
        plainTcp: input.plainTcp === true,
        sshIdentity: input.identity !== undefined,
        sshHostKeyFingerprint: input.sshHostKeyFingerprint ?? null,
        sshAgent: input.sshAgent === true,
        labels: Object.entries(input.labels ?? {}).map(([k, v]) => `${k}=${v}`),
      },
    },
    () => addDeviceNow(store, input),
  );
}

async function addDeviceNow(store: Store, input: AddDeviceInput): Promise<AddedDevice> {
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
  if (getDevice(store, input.name)) throw nameTaken(input.name);
  const h = host.connection;
  if (h.protocol !== 'ssh' && (input.sshHostKeyFingerprint !== undefined || input.sshAgent)) {
    throw invalid(
      'an SSH host key fingerprint and the SSH agent are for ssh:// devices only',
      input.sshHostKeyFingerprint !== undefined ? 'sshHostKeyFingerprint' : 'sshAgent',
    );
  }
  const warnings: string[] = [];
  // Everything is checked (and read) before anything is written.
  let keep: (kept: KeyKeeper) => DockerConnection;
  if (h.protocol === 'tcp') {
    if (input.plainTcp) {
      if (input.tls) throw invalid('plain TCP and TLS files exclude each other', 'tls');
      keep = () => ({ ...h, tls: null });
    } else {
      if (!input.tls) {
        throw invalid(
          'a tcp:// device needs its TLS files (the CA that signed the device, the laptop’s certificate and key): Docker over TCP without TLS gives root to anyone on the network; plain TCP must be asked for explicitly',
          'tls',
        );
      }
      const checked = checkTlsFiles(input.tls);
      warnings.push(...checked.warnings);
      keep = (kept) => ({
        ...h,
        tls: {
          ca: kept('ca.pem', checked.bytes.ca),
          cert: kept('cert.pem', checked.bytes.cert),
          key: kept('key.pem', checked.bytes.key),
        },
      });
    }
  } else if (h.protocol === 'ssh') {
    keep = await sshConnection(input, h, warnings);
  } else {
    keep = () => h;
  }

  // Reading the SSH host key took a while: the name may have been taken meanwhile, and its
  // key folder must not be written over.
  if (getDevice(store, input.name)) throw nameTaken(input.name);
  try {
    recordDevice(store, {
      name: input.name,
      kind: 'docker',
      connection: keep((file, bytes) => keepKeyFile(store, input.name, file, bytes)),
      labels: input.labels ?? {},
      described,
    });
  } catch (e) {
    // The disk is full, say. A folder no recorded device owns is nobody's (unless another
    // process added the same name meanwhile: then the folder is its).
    if (!getDevice(store, input.name)) forgetDeviceKeys(store, input.name);
    throw e;
  }
  const { results } = await probeDevices(store, [input.name]);
  return {
    device: getDevice(store, input.name) as DeviceRecord,
    probe: results[0] as ProbeResult,
    warnings,
  };
}

/** Writes one checked file into the device's key folder and says where. */
type KeyKeeper = (file: string, bytes: Buffer) => string;

/**
 * An ssh:// device: what it logs in with (its key file, and the station's SSH agent only when
 * asked), and its host key, read from the device now.
 */
async function sshConnection(
  input: AddDeviceInput,
  h: { protocol: 'ssh'; host: string; port: number; username: string },
  warnings: string[],
): Promise<(kept: KeyKeeper) => DockerConnection> {
  let pinned: string | undefined;
  if (input.sshHostKeyFingerprint !== undefined) {
    pinned = normalizeSshFingerprint(input.sshHostKeyFingerprint);
    if (!pinned) {
      throw invalid(
        `"${input.sshHostKeyFingerprint}" is not an SSH host key fingerprint: it looks like SHA256:… (43 letters, digits, + or /), as ssh-keygen -l prints it`,
        'sshHostKeyFingerprint',
      );
    }
  }
  if (!input.identity && !input.sshAgent) {
    throw invalid(
      'an ssh:// device needs a key to log in with: its SSH key file, or permission to use this computer’s SSH agent',
      'identity',
    );
  }
  const identity = input.identity ? checkSshIdentity(input.identity) : undefined;
  if (input.sshAgent && !process.env.SSH_AUTH_SOCK) {
    warnings.push(
      'no SSH agent is running for this session now: the device can be reached only where an agent holding its key runs',
    );
  }
  const where = describeConnection(h);
  const first = await firstSshHostKey(
    { host: h.host, port: h.port, username: h.username, where },
    input.name,
    pinned,
    DEFAULT_PROBE_TIMEOUT_MS,
  );
  warnings.push(...first.warnings);
  return (kept) => ({
    ...h,
    ...(identity ? { identityFile: kept('identity', identity) } : {}),
    hostKey: first.hostKey,
    ...(input.sshAgent ? { agent: true } : {}),
  });
}

function nameTaken(name: string): CommissionerError<'already-exists'> {
  return new CommissionerError(
    'already-exists',
    `a device named ${name} already exists: remove it first or choose another name`,
    { thing: 'device', name },
  );
}

function invalid(message: string, field: string): CommissionerError<'invalid-input'> {
  return new CommissionerError('invalid-input', message, { field });
}
