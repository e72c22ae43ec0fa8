import type { DeploymentProfile } from '../margo/application-description';
import type { CommunicationInterface, Peripheral } from '../margo/resources';
import { formatBytes, parseQuantity } from '../units/quantity';
import { packedList } from './packed-list';
import { readOnce } from './read-once';
import { compileRules, type CompiledRules } from './selectors';

export interface CpuRequirement {
  cores: number;
  /** "4 cores" */
  coresSaid: string;
  /** Undefined when any architecture will do. */
  architectures: readonly string[] | undefined;
  /** "amd64 or arm64" */
  architecturesSaid: string;
}

export interface AmountRequirement {
  what: 'memory' | 'storage';
  /** As written ("512Mi"). */
  required: string;
  /** Undefined when the text is not a binary quantity. */
  bytes: number | undefined;
  /** "512 MiB" */
  said: string;
  /** "at least 512 MiB" */
  atLeast: string;
}

export interface PeripheralRequirement {
  /** "peripheral gpu NVIDIA" */
  name: string;
  /** Lower-cased, to compare with a device's lower-cased list; undefined when not asked. */
  type: string | undefined;
  manufacturer: string | undefined;
  model: string | undefined;
  /** "gpu from NVIDIA", as a failure says it. */
  missing: string;
}

export interface InterfaceRequirement {
  name: string;
  /** As written. */
  type: string;
  /** Lower-cased. */
  lowered: string | undefined;
}

/**
 * What a deployment profile asks of any device, read once per profile: the units parsed, the
 * rules compiled and described. Comparing it with a device's facts is then the only work per
 * device.
 */
export interface ProfileRequirements {
  type: string;
  /** "runs compose deployments" */
  typeSaid: string;
  /** "the device runs compose" */
  typeRuns: string;
  legacy:
    | {
        cpu: CpuRequirement | undefined;
        memory: AmountRequirement | undefined;
        storage: AmountRequirement | undefined;
        peripherals: PeripheralRequirement[];
        interfaces: InterfaceRequirement[];
      }
    | undefined;
  constraints:
    | {
        cpu: CpuRequirement | undefined;
        memory: AmountRequirement | undefined;
        storage: AmountRequirement | undefined;
        /** Undefined when there are none: no eligibility check. */
        rules: CompiledRules | undefined;
      }
    | undefined;
}

function cpuRequirement(
  req: { cores: number; architectures?: string[] | undefined } | undefined,
): CpuRequirement | undefined {
  if (!req) return undefined;
  const named = req.architectures && req.architectures.length > 0 ? req.architectures : undefined;
  return {
    cores: req.cores,
    coresSaid: `${req.cores} cores`,
    architectures: named,
    architecturesSaid: named?.join(' or ') ?? '',
  };
}

function amountRequirement(
  what: 'memory' | 'storage',
  required: string | undefined,
): AmountRequirement | undefined {
  if (!required) return undefined;
  const bytes = parseQuantity(required);
  const said = bytes === undefined ? '' : formatBytes(bytes);
  return { what, required, bytes, said, atLeast: `at least ${said}` };
}

const lower = (s: string | undefined) => s?.toLowerCase();

function peripheralRequirement(req: Peripheral): PeripheralRequirement {
  return {
    name: `peripheral ${req.type}${req.manufacturer ? ` ${req.manufacturer}` : ''}${req.model ? ` ${req.model}` : ''}`,
    type: lower(req.type),
    // Not asked for (absent or ""): any will do.
    manufacturer: req.manufacturer ? lower(req.manufacturer) : undefined,
    model: req.model ? lower(req.model) : undefined,
    missing: `${req.type}${req.manufacturer ? ` from ${req.manufacturer}` : ''}`,
  };
}

function interfaceRequirement(req: CommunicationInterface): InterfaceRequirement {
  return { name: `interface ${req.type}`, type: req.type, lowered: lower(req.type) };
}

function readRequirements(profile: DeploymentProfile): ProfileRequirements {
  const rr = profile.requiredResources;
  const dc = profile.deviceConstraints;
  const cr = dc?.capacityRequirements;
  const rules = dc?.eligibilityRules ?? [];
  return {
    type: profile.type,
    typeSaid: `runs ${profile.type} deployments`,
    typeRuns: `the device runs ${profile.type}`,
    legacy: rr && {
      cpu: cpuRequirement(rr.cpu),
      memory: amountRequirement('memory', rr.memory),
      storage: amountRequirement('storage', rr.storage),
      peripherals: packedList(rr.peripherals ?? [], peripheralRequirement),
      interfaces: packedList(rr.interfaces ?? [], interfaceRequirement),
    },
    constraints: dc && {
      cpu: cpuRequirement(cr?.cpu),
      memory: amountRequirement('memory', cr?.memory),
      storage: amountRequirement('storage', cr?.storage),
      rules: rules.length > 0 ? compileRules(rules) : undefined,
    },
  };
}

/** What a profile asks, read on first use and kept while the object lives. */
export const profileRequirements = readOnce(readRequirements);
