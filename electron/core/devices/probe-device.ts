import { dockerDevice } from '../../../shared/devices/docker-capabilities';
import { ProbeResult, type DockerFacts } from '../../../shared/devices/probe-result';
import { describeConnection } from '../../../shared/devices/device-connection';
import type { DeviceRecord } from '../store/device-inventory';
import { CLIENT_MAX_API_VERSION, lowerApiVersion } from './docker-client';
import { deviceTls } from './device-tls';
import { engineGet, pingDocker, type EngineTarget } from './engine-http';
import { ProbeFailure, classifyNetworkError } from './probe-failure';
import { sshEngineAgent } from './ssh-engine-agent';

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
      if (c.protocol === 'ssh') {
        throw new ProbeFailure(
          'ssh',
          `the connection to ${where} over SSH broke before the Docker Engine answered: ${(e as Error).message}`,
        );
      }
      throw classifyNetworkError(e, where);
    }
  };
  try {
    // The device's cached TLS context and keep-alive agent: on a 2-core laptop probing a
    // whole line, handshakes and key parsing, not API calls, are what costs. Its files may
    // be damaged or gone since the device was added: that ends this device's probe only.
    const tls = c.protocol === 'tcp' && c.tls ? deviceTls(c.tls) : undefined;
    const target: EngineTarget =
      c.protocol === 'tcp'
        ? { host: c.host, port: c.port, tls, agent: tls?.agent }
        : c.protocol === 'unix'
          ? { socketPath: c.socketPath }
          : { tunnel: sshEngineAgent(c) };
    const offered = await call(() => pingDocker(target, where, timeoutMs));
    const negotiated = lowerApiVersion(offered, CLIENT_MAX_API_VERSION);
    const answer = await call(() => engineGet(target, `/v${negotiated}/info`, timeoutMs));
    if (answer.status !== 200)
      throw new ProbeFailure(
        'docker-error',
        `${where} answered HTTP ${answer.status} for /info: ${answer.body.toString('utf8').slice(0, 200)}`,
      );
    const facts = dockerFacts(readInfo(answer.body, where), offered, negotiated);
    const capabilities = dockerDevice(
      device.name,
      facts,
      device.described,
      device.labels,
    ).capabilities;
    const result: ProbeResult = {
      name: device.name,
      reachable: true,
      error: null,
      capabilities,
      facts,
      probedAt,
    };
    // What a device says is checked like any input: an answer the contract could not carry
    // would fail the whole "probe all", not just this device.
    if (!ProbeResult.safeParse(result).success) {
      throw new ProbeFailure(
        'not-docker',
        `${where} answered /info with facts that cannot be read: it is not a Docker Engine this program understands`,
      );
    }
    return result;
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

/** `/info` as JSON, or a plain reason why it is not. */
function readInfo(body: Buffer, where: string): DockerInfo {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as DockerInfo;
  } catch {
    // Said below.
  }
  throw new ProbeFailure(
    'not-docker',
    `${where} answered /info with something that is not a JSON object: it is not a Docker Engine`,
  );
}

/** The facts of `/info`, each field taken only when it has the type Docker gives it. */
function dockerFacts(info: DockerInfo, offered: string, negotiated: string): DockerFacts {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const labels = Array.isArray(info.Labels)
    ? info.Labels.filter((l): l is string => typeof l === 'string')
    : [];
  const runtimes =
    info.Runtimes && typeof info.Runtimes === 'object' && !Array.isArray(info.Runtimes)
      ? Object.keys(info.Runtimes).sort()
      : [];
  return {
    name: text(info.Name),
    engineId: text(info.ID),
    serverVersion: text(info.ServerVersion),
    apiVersion: offered,
    negotiatedApiVersion: negotiated,
    os: text(info.OperatingSystem),
    osType: text(info.OSType),
    kernelVersion: text(info.KernelVersion),
    architecture: text(info.Architecture),
    cpus: count(info.NCPU),
    memoryBytes: count(info.MemTotal),
    runtimes,
    defaultRuntime: text(info.DefaultRuntime),
    storageDriver: text(info.Driver),
    dockerRootDir: text(info.DockerRootDir),
    labels: Object.fromEntries(
      labels.map((l) => [l.split('=')[0] ?? l, l.includes('=') ? l.slice(l.indexOf('=') + 1) : '']),
    ),
    containers: count(info.Containers),
    images: count(info.Images),
  };
}

/** `/info` as a device sends it: nothing in it is trusted to have its documented type. */
type DockerInfo = Partial<
  Record<
    | 'ID'
    | 'Name'
    | 'NCPU'
    | 'MemTotal'
    | 'Runtimes'
    | 'DefaultRuntime'
    | 'Driver'
    | 'DockerRootDir'
    | 'Labels'
    | 'OperatingSystem'
    | 'OSType'
    | 'Architecture'
    | 'KernelVersion'
    | 'ServerVersion'
    | 'Containers'
    | 'Images',
    unknown
  >
>;
