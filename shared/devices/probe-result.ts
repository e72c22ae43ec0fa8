import { z } from 'zod';
import { DeviceCapabilitiesManifest } from '../margo/device-capabilities';

export const ProbeErrorKind = z.enum([
  'refused',
  'timeout',
  'unreachable',
  'dns',
  'tls-untrusted-server',
  'tls-name-mismatch',
  'tls-client-rejected',
  'tls-not-spoken',
  'tls-required',
  'not-docker',
  'ssh',
  /** The device's SSH host key is not the one recorded when it was added (or none was). */
  'ssh-host-key',
  /** The device refused to log in with the SSH key (or agent) given for it. */
  'ssh-auth',
  /** This computer's copy of the device's key files is missing or damaged. */
  'key-files',
  'docker-error',
]);
export type ProbeErrorKind = z.infer<typeof ProbeErrorKind>;

export const ProbeError = z.strictObject({ kind: ProbeErrorKind, message: z.string() });
export type ProbeError = z.infer<typeof ProbeError>;

/** What `/version` and `/info` tell about a Docker Engine. */
export const DockerFacts = z.strictObject({
  name: z.string(),
  engineId: z.string(),
  serverVersion: z.string(),
  apiVersion: z.string(),
  negotiatedApiVersion: z.string(),
  os: z.string(),
  osType: z.string(),
  kernelVersion: z.string(),
  architecture: z.string(),
  cpus: z.number(),
  memoryBytes: z.number(),
  runtimes: z.array(z.string()),
  defaultRuntime: z.string(),
  storageDriver: z.string(),
  dockerRootDir: z.string(),
  labels: z.record(z.string(), z.string()),
  containers: z.number(),
  images: z.number(),
});
export type DockerFacts = z.infer<typeof DockerFacts>;

/** One element of `devices probe --json`; the shape is relied on by scripts. */
export const ProbeResult = z.strictObject({
  name: z.string(),
  reachable: z.boolean(),
  error: ProbeError.nullable(),
  capabilities: DeviceCapabilitiesManifest.nullable(),
  facts: DockerFacts.nullable(),
  probedAt: z.string(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;
