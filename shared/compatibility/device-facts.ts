import type { CommunicationInterface, Peripheral } from '../margo/resources';
import { formatBytes, parseQuantity } from '../units/quantity';
import type { CompatibilityDevice } from './compatibility-device';
import { packedList } from './packed-list';
import { readOnce } from './read-once';
import type { SelectorContext } from './selectors';

const DEPLOYMENT_TYPES = ['helm', 'compose', 'custom'];

/** An amount a device has, in bytes and as people read it. */
export interface Amount {
  bytes: number;
  said: string;
}

/**
 * What a device offers, from an rc.3 or a pre-rc.3 (roles/resources) manifest, read once per
 * device: the units parsed, the lists lower-cased for comparing, the words of the "actual"
 * column written. Every profile of every application is then compared with it.
 */
export interface DeviceFacts {
  cpus: readonly { cores: number; architecture?: string | undefined }[] | undefined;
  /** "4 cores amd64, 2 cores" */
  cpusSaid: string;
  /** "amd64, unknown" */
  architecturesSaid: string;
  memory: Amount | undefined;
  storage: Amount | undefined;
  memoryUnknown: boolean;
  storageUnknown: boolean;
  /** Lower-cased, to compare with a profile's lower-cased requirements. */
  peripherals: readonly { type?: string; manufacturer?: string; model?: string }[];
  /** "gpu NVIDIA T4, camera", or "none described" */
  peripheralsSaid: string;
  /** Absent, or among what the probe could not learn: a missing peripheral is not a failure. */
  peripheralsNotKnown: boolean;
  /** Lower-cased. */
  interfaceTypes: readonly (string | undefined)[];
  interfacesSaid: string;
  interfacesNotKnown: boolean;
  deploymentTypes: readonly string[] | undefined;
  /** "compose, helm" */
  deploymentTypesSaid: string;
  /** "compose and helm" */
  deploymentTypesAnd: string;
  /** What eligibility rules read: properties, labels, what the probe could not learn. */
  selectors: SelectorContext;
}

const lower = (s: string | undefined) => s?.toLowerCase();

function amount(text: string | undefined): Amount | undefined {
  const bytes = text === undefined ? undefined : parseQuantity(text);
  return bytes === undefined ? undefined : { bytes, said: formatBytes(bytes) };
}

function readFacts(device: CompatibilityDevice): DeviceFacts {
  const p = device.capabilities.properties;
  const legacy = p.resources;
  const legacyCpu = legacy?.cpu;
  const cpus =
    p.cpus ??
    (legacyCpu
      ? (
          legacyCpu.architectures ??
          (legacyCpu.architecture ? [legacyCpu.architecture] : [undefined])
        ).map((architecture) => ({
          cores: legacyCpu.cores,
          architecture,
        }))
      : undefined);
  const types = p.supportedDeploymentTypes ?? (p.roles ? legacyRoleTypes(p.roles) : undefined);
  const deploymentTypes = types?.map((t) => (DEPLOYMENT_TYPES.includes(t) ? t : 'custom'));
  const unknown = new Set(device.unknown);
  const peripherals: readonly Peripheral[] | undefined = p.peripherals ?? legacy?.peripherals;
  const interfaces: readonly CommunicationInterface[] | undefined =
    p.interfaces ?? legacy?.interfaces;
  const peripheralList = peripherals ?? [];
  const interfaceList = interfaces ?? [];
  return {
    cpus,
    cpusSaid: (cpus ?? [])
      .map((c) => `${c.cores} cores${c.architecture ? ` ${c.architecture}` : ''}`)
      .join(', '),
    architecturesSaid: (cpus ?? []).map((c) => c.architecture ?? 'unknown').join(', '),
    memory: amount(p.memory ?? legacy?.memory),
    storage: amount(p.storage ?? legacy?.storage),
    memoryUnknown: unknown.has('memory'),
    storageUnknown: unknown.has('storage'),
    peripherals: packedList(peripheralList, (x) => ({
      type: lower(x.type),
      manufacturer: lower(x.manufacturer),
      model: lower(x.model),
    })),
    peripheralsSaid: peripheralList.length
      ? peripheralList
          .map((x) => [x.type, x.manufacturer, x.model].filter(Boolean).join(' '))
          .join(', ')
      : 'none described',
    peripheralsNotKnown: peripherals === undefined || unknown.has('peripherals'),
    interfaceTypes: packedList(interfaceList, (x) => lower(x.type)),
    interfacesSaid: interfaceList.length
      ? interfaceList.map((x) => x.type).join(', ')
      : 'none described',
    interfacesNotKnown: interfaces === undefined || unknown.has('interfaces'),
    deploymentTypes,
    deploymentTypesSaid: deploymentTypes?.join(', ') ?? '',
    deploymentTypesAnd: deploymentTypes?.join(' and ') ?? '',
    selectors: {
      properties: p as Record<string, unknown>,
      labels: device.capabilities.labels ?? {},
      unknown,
    },
  };
}

/** Pre-rc.3 roles: a cluster runs Helm, a standalone device runs Compose. */
function legacyRoleTypes(roles: readonly string[]): string[] {
  const types = new Set<string>();
  for (const role of roles) {
    if (role === 'Standalone Cluster' || role === 'Cluster Leader') types.add('helm');
    if (role === 'Standalone Device') types.add('compose');
  }
  return [...types];
}

/** The facts of a device, read on first use and kept while the object lives. */
export const deviceFacts = readOnce(readFacts);
