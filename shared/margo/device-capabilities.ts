import { z } from 'zod';
import { CommunicationInterface, Peripheral } from './resources';
import { specObject } from './spec-object';

export const CapabilityArchitecture = z.enum(['amd64', 'arm64', 'arm']);

export const DeviceCpu = specObject('a CPU entry', {
  cores: z.number().positive(),
  architecture: CapabilityArchitecture.optional(),
});

/** Before rc.3 (PR #197): roles plus a `resources` block. */
export const LegacyRole = z.enum([
  'Standalone Cluster',
  'Cluster Leader',
  'Standalone Device',
  'Gateway',
]);
const LegacyResources = specObject('device resources', {
  cpu: specObject('device CPU resources', {
    cores: z.number().positive(),
    architectures: z.array(z.enum(['amd64', 'arm64', 'arm', 'riscv64', 'other'])).optional(),
    architecture: z.enum(['amd64', 'arm64', 'arm', 'riscv64', 'other']).optional(),
  }).optional(),
  memory: z.string().optional(),
  storage: z.string().optional(),
  peripherals: z.array(Peripheral).optional(),
  interfaces: z.array(CommunicationInterface).optional(),
});

export const DeviceProperties = specObject('device properties', {
  id: z.string().min(1),
  vendor: z.string(),
  modelNumber: z.string(),
  serialNumber: z.string(),
  cpus: z.array(DeviceCpu).optional(),
  memory: z.string().optional(),
  storage: z.string().optional(),
  peripherals: z.array(Peripheral).optional(),
  interfaces: z.array(CommunicationInterface).optional(),
  otelCollector: z.boolean().optional(),
  /** Unknown values are kept and read as `custom`, as the spec requires of a WFM. */
  supportedRuntimes: z.array(z.string()).min(1).optional(),
  supportedDeploymentTypes: z.array(z.string()).min(1).optional(),
  roles: z.array(LegacyRole).optional(),
  resources: LegacyResources.optional(),
});

export const LabelValue = z.union(
  [z.string(), z.number(), z.boolean(), z.array(z.string()), z.array(z.number())],
  { error: 'a label value must be text, a number, true/false, or a list of texts or of numbers' },
);

export const DeviceCapabilitiesManifest = specObject('a device capabilities manifest', {
  apiVersion: z.string().optional(),
  kind: z.literal('DeviceCapabilitiesManifest').optional(),
  properties: DeviceProperties,
  labels: z.record(z.string(), LabelValue).optional(),
});
export type DeviceCapabilitiesManifest = z.infer<typeof DeviceCapabilitiesManifest>;
