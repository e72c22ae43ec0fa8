import type { CompatibilityDevice } from '../compatibility/compatibility-device';
import type { DeviceCapabilitiesManifest } from '../margo/device-capabilities';
import type { Peripheral } from '../margo/resources';
import type { DescribedCapabilities } from './described-capabilities';
import type { DockerFacts } from './probe-result';

const ARCHITECTURE: Record<string, string> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv7l: 'arm',
  armv6l: 'arm',
  armhf: 'arm',
  riscv64: 'riscv64',
};

/** `x86_64` → amd64, as Margo and Docker images name architectures. */
export function margoArchitecture(dockerArchitecture: string): string {
  return ARCHITECTURE[dockerArchitecture] ?? dockerArchitecture;
}

/**
 * The rc.3 capabilities of a Docker device: what the probe learned (CPUs, memory, runtimes →
 * an NVIDIA GPU when the nvidia runtime is installed), what the engineer described, and the
 * labels of both. `unknown` names what neither could tell, so the evaluator says "unknown"
 * instead of guessing.
 */
export function dockerDevice(
  name: string,
  facts: DockerFacts,
  described: DescribedCapabilities,
  labels: Record<string, string>,
): CompatibilityDevice {
  const inferred: Peripheral[] = facts.runtimes.includes('nvidia')
    ? [{ type: 'gpu', manufacturer: 'NVIDIA' }]
    : [];
  const peripherals = described.peripherals ?? (inferred.length ? inferred : undefined);
  const properties: DeviceCapabilitiesManifest['properties'] = {
    id: name,
    vendor: described.vendor ?? '',
    modelNumber: described.modelNumber ?? '',
    serialNumber: described.serialNumber ?? '',
    cpus: [{ cores: facts.cpus, architecture: margoArchitecture(facts.architecture) as 'amd64' }],
    memory: `${Math.floor(facts.memoryBytes / 1024)}Ki`,
    ...(described.storage ? { storage: described.storage } : {}),
    ...(peripherals ? { peripherals } : {}),
    ...(described.interfaces ? { interfaces: described.interfaces } : {}),
    supportedRuntimes: ['oci'],
    supportedDeploymentTypes: ['compose'],
  };
  const unknown = [
    ...(described.vendor === undefined ? ['vendor'] : []),
    ...(described.modelNumber === undefined ? ['modelNumber'] : []),
    ...(described.serialNumber === undefined ? ['serialNumber'] : []),
    ...(described.storage === undefined ? ['storage'] : []),
    ...(described.peripherals === undefined ? ['peripherals'] : []),
    ...(described.interfaces === undefined ? ['interfaces'] : []),
  ];
  // vendor, modelNumber and serialNumber are required strings in rc.3: an undescribed device
  // carries "" there, and `unknown` tells the evaluator that "" means "not known".
  return {
    name,
    source: 'docker-probe',
    capabilities: { properties, labels: { ...facts.labels, ...labels } },
    unknown,
  };
}
