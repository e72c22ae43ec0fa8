import { dockerDevice } from '../../../shared/devices/docker-capabilities';
import type { DockerFacts, ProbeResult } from '../../../shared/devices/probe-result';
import { describeConnection } from '../../../shared/devices/device-connection';
import type { DeviceRecord } from '../store/device-inventory';
import { CLIENT_MAX_API_VERSION, dockerClient, lowerApiVersion } from './docker-client';
import { deviceTls } from './device-tls';
import { engineGet, pingDocker, type EngineTarget } from './engine-http';
import { ProbeFailure, classifyNetworkError } from './probe-failure';

export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

/** Every call gets a deadline: some Engine API streams never end (dockerode #553). */
function withDeadline<T>(promise: Promise<T>, ms: number, where: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ProbeFailure(
            'timeout',
            `no answer from ${where} within ${ms / 1000} s: the device is off or unreachable, or a firewall drops the traffic`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Probes one Docker device: `/_ping` (why it cannot be reached when it cannot, and the API
 * version it offers, negotiated down to ours), then `/info`, turned into rc.3 capabilities
 * plus the raw facts.
 */
export async function probeDockerDevice(
  device: DeviceRecord,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<ProbeResult> {
  const probedAt = new Date().toISOString();
  const c = device.connection;
  if (c.protocol === 'margo') {
    return {
      name: device.name,
      reachable: false,
      error: {
        kind: 'docker-error',
        message: `${device.name} is a Margo device: it reports its capabilities itself`,
      },
      capabilities: null,
      facts: null,
      probedAt,
    };
  }
  const where = describeConnection(c);
  const call = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await withDeadline(f(), timeoutMs, where);
    } catch (e) {
      if (e instanceof ProbeFailure) throw e;
      if (c.protocol === 'ssh' && !(e as { statusCode?: number }).statusCode) {
        throw new ProbeFailure('ssh', `SSH to ${where} failed: ${(e as Error).message}`);
      }
      throw classifyNetworkError(e, where);
    }
  };
  // The device's cached TLS context and keep-alive agent: on a 2-core laptop probing a whole
  // line, handshakes and key parsing, not API calls, are what costs.
  const tls = c.protocol === 'tcp' && c.tls ? deviceTls(c.tls) : undefined;
  const target: EngineTarget | undefined =
    c.protocol === 'tcp'
      ? { host: c.host, port: c.port, tls, agent: tls?.agent }
      : c.protocol === 'unix'
        ? { socketPath: c.socketPath }
        : undefined;
  try {
    let offered: string;
    let info: DockerInfo;
    if (target) {
      offered = await call(() => pingDocker(target, where, timeoutMs));
      const negotiated = lowerApiVersion(offered, CLIENT_MAX_API_VERSION);
      const answer = await call(() => engineGet(target, `/v${negotiated}/info`, timeoutMs));
      if (answer.status !== 200)
        throw new ProbeFailure(
          'docker-error',
          `${where} answered HTTP ${answer.status} for /info: ${answer.body.toString('utf8').slice(0, 200)}`,
        );
      info = JSON.parse(answer.body.toString('utf8')) as DockerInfo;
    } else {
      // SSH: dockerode carries the Engine API through an ssh2 tunnel.
      offered = await call(() =>
        dockerClient(c, { timeoutMs })
          .version()
          .then((v) => v.ApiVersion),
      );
      const negotiated = lowerApiVersion(offered, CLIENT_MAX_API_VERSION);
      info = await call(
        () => dockerClient(c, { timeoutMs, apiVersion: negotiated }).info() as Promise<DockerInfo>,
      );
    }
    const negotiated = lowerApiVersion(offered, CLIENT_MAX_API_VERSION);
    const facts: DockerFacts = {
      name: info.Name ?? '',
      engineId: info.ID ?? '',
      serverVersion: info.ServerVersion ?? '',
      apiVersion: offered,
      negotiatedApiVersion: negotiated,
      os: info.OperatingSystem ?? '',
      osType: info.OSType ?? '',
      kernelVersion: info.KernelVersion ?? '',
      architecture: info.Architecture ?? '',
      cpus: info.NCPU ?? 0,
      memoryBytes: info.MemTotal ?? 0,
      runtimes: Object.keys(info.Runtimes ?? {}).sort(),
      defaultRuntime: info.DefaultRuntime ?? '',
      storageDriver: info.Driver ?? '',
      dockerRootDir: info.DockerRootDir ?? '',
      labels: Object.fromEntries(
        (info.Labels ?? []).map((l) => [
          l.split('=')[0] ?? l,
          l.includes('=') ? l.slice(l.indexOf('=') + 1) : '',
        ]),
      ),
      containers: info.Containers ?? 0,
      images: info.Images ?? 0,
    };
    const capabilities = dockerDevice(
      device.name,
      facts,
      device.described,
      device.labels,
    ).capabilities;
    return { name: device.name, reachable: true, error: null, capabilities, facts, probedAt };
  } catch (e) {
    const failure = e instanceof ProbeFailure ? e : classifyNetworkError(e, where);
    return {
      name: device.name,
      reachable: false,
      error: { kind: failure.kind, message: failure.message },
      capabilities: null,
      facts: null,
      probedAt,
    };
  }
}

interface DockerInfo {
  ID?: string;
  Name?: string;
  NCPU?: number;
  MemTotal?: number;
  Runtimes?: Record<string, unknown>;
  DefaultRuntime?: string;
  Driver?: string;
  DockerRootDir?: string;
  Labels?: string[];
  OperatingSystem?: string;
  OSType?: string;
  Architecture?: string;
  KernelVersion?: string;
  ServerVersion?: string;
  Containers?: number;
  Images?: number;
}
