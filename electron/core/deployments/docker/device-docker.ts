import { CommissionerError, notFound } from '../../../../shared/contract/contract-error';
import type Docker from 'dockerode';
import type { DockerFacts } from '../../../../shared/devices/probe-result';
import { dockerClient } from '../../devices/docker-client';
import { getDevice, recordProbe, type DeviceRecord } from '../../store/device-inventory';
import { deviceTls } from '../../devices/device-tls';
import { probeDockerDevice } from '../../devices/probe-device';
import { devicePlatform, type Platform } from '../../images/select-platform';
import type { Store } from '../../store/store';

/**
 * Silence after which a call to a device is given up. Long enough for the daemon to unpack a
 * large image after the upload (it reports progress meanwhile) or stop a slow container.
 */
const DEVICE_CALL_TIMEOUT_MS = 120_000;

/**
 * A dockerode client for deploying to a device, speaking the API version its probe negotiated
 * and reusing the device's keep-alive TLS agent (a handshake costs more than most calls).
 */
export function deviceDocker(
  device: DeviceRecord,
  facts: DockerFacts,
  options: { timeoutMs?: number } = {},
): Docker {
  const c = device.connection;
  if (c.protocol === 'margo') {
    throw new DeviceUnavailableError(
      device.name,
      `${device.name} is a Margo device: deployments reach it through its client, not the Docker API`,
    );
  }
  const agent = c.protocol === 'tcp' && c.tls ? deviceTls(c.tls).agent : undefined;
  return dockerClient(c, {
    apiVersion: facts.negotiatedApiVersion,
    timeoutMs: options.timeoutMs ?? DEVICE_CALL_TIMEOUT_MS,
    ...(agent ? { agent } : {}),
  });
}

/** The device cannot be worked on now: it did not answer, or it is not a Docker device. */
export class DeviceUnavailableError extends CommissionerError<'device-unreachable'> {
  constructor(device: string, message: string) {
    super('device-unreachable', message, { device });
  }
}

/**
 * Probes a device of the inventory (recording the probe) and connects to it for an operation;
 * says why when it cannot.
 */
export async function connectDevice(
  store: Store,
  name: string,
  options: { timeoutMs?: number } = {},
): Promise<{ device: DeviceRecord; docker: Docker; platform: Platform }> {
  const device = getDevice(store, name);
  if (!device) {
    throw notFound(
      'device',
      name,
      `no device named ${name} in the inventory: the deployment's device was removed from it`,
    );
  }
  const probe = await probeDockerDevice(device);
  recordProbe(store, probe);
  if (!probe.reachable || !probe.facts) {
    throw new DeviceUnavailableError(
      name,
      `device ${name} cannot be reached: ${probe.error?.message ?? 'no answer'}`,
    );
  }
  return {
    device,
    docker: deviceDocker(device, probe.facts, options),
    platform: devicePlatform({
      osType: probe.facts.osType,
      architecture: probe.facts.architecture,
    }),
  };
}
