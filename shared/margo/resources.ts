import { z } from 'zod';
import { specObject } from './spec-object';

/** CPU architectures a deployment profile may require (rc.3 adds riscv64 and other). */
export const RequiredArchitecture = z.enum(['amd64', 'arm64', 'arm', 'riscv64', 'other']);
export type RequiredArchitecture = z.infer<typeof RequiredArchitecture>;

export const PeripheralType = z.enum([
  'gpu',
  'display',
  'camera',
  'microphone',
  'speaker',
  'other',
]);
export const InterfaceType = z.enum([
  'ethernet',
  'wifi',
  'cellular',
  'bluetooth',
  'usb',
  'canbus',
  'rs232',
  'other',
]);

export const CpuRequirement = specObject('a CPU requirement', {
  cores: z.number().positive(),
  architectures: z.array(RequiredArchitecture).optional(),
});

export const Peripheral = specObject('a peripheral', {
  type: PeripheralType,
  manufacturer: z.string().optional(),
  model: z.string().optional(),
});
export type Peripheral = z.infer<typeof Peripheral>;

export const CommunicationInterface = specObject('a communication interface', {
  type: InterfaceType,
});
export type CommunicationInterface = z.infer<typeof CommunicationInterface>;

/** Pre-rc.3 requirement model, still in most packages; superseded by deviceConstraints. */
export const RequiredResources = specObject('requiredResources', {
  cpu: CpuRequirement.optional(),
  memory: z.string().optional(),
  storage: z.string().optional(),
  peripherals: z.array(Peripheral).optional(),
  interfaces: z.array(CommunicationInterface).optional(),
});
export type RequiredResources = z.infer<typeof RequiredResources>;
