import { z } from 'zod';
import { DescribedCapabilities } from '../devices/described-capabilities';
import { DeviceName, SshHostKey } from '../devices/device-connection';
import { ProbeResult } from '../devices/probe-result';

/** A device as the UI shows it (key files stay in the core; the UI sees where, not which). */
export const DeviceView = z.strictObject({
  name: z.string(),
  kind: z.enum(['docker', 'margo']),
  connection: z.strictObject({
    protocol: z.enum(['tcp', 'ssh', 'unix', 'margo']),
    /** `tcp://10.0.7.42:2376`, `ssh://admin@press-42`, `unix:///var/run/docker.sock`. */
    address: z.string(),
    /** TLS with client certificates (tcp), or the channel's own security (ssh, socket). */
    secure: z.boolean(),
    /** ssh: the device's host key as recorded when it was added (what every connection checks). */
    sshHostKey: SshHostKey.optional(),
    /** ssh: whether this computer's SSH agent may log in to it. */
    sshAgent: z.boolean().optional(),
  }),
  labels: z.record(z.string(), z.string()),
  described: DescribedCapabilities,
  lastProbe: ProbeResult.nullable(),
  /** When it last answered; null when never. */
  lastSeen: z.string().nullable(),
  addedAt: z.string(),
  /** `deny`: apps that need access to the device itself (host access) are incompatible. */
  hostAccess: z.enum(['allow', 'deny']),
});
export type DeviceView = z.infer<typeof DeviceView>;

/** Adding a device: where it is and how to reach it, files as picked tokens. */
export const AddDevice = z.strictObject({
  name: DeviceName,
  /** `tcp://host:2376`, `ssh://user@host`, `unix:///var/run/docker.sock`. */
  host: z.string().min(1),
  tls: z.strictObject({ ca: z.string(), cert: z.string(), key: z.string() }).optional(),
  plainTcp: z.boolean().optional(),
  identity: z.string().optional(),
  /** ssh: the fingerprint of the device's host key (`SHA256:…`); without it, accepted on first use. */
  sshHostKeyFingerprint: z.string().optional(),
  /** ssh: let this computer's SSH agent log in to the device. */
  sshAgent: z.boolean().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  described: DescribedCapabilities.optional(),
});
export type AddDevice = z.infer<typeof AddDevice>;

/** The device just added, with what may keep it from working (an expired certificate …). */
export const AddedDevice = DeviceView.extend({ warnings: z.array(z.string()) });
export type AddedDevice = z.infer<typeof AddedDevice>;

export const UpdateDevice = z.strictObject({
  name: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
  described: DescribedCapabilities.optional(),
  hostAccess: z.enum(['allow', 'deny']).optional(),
});
export type UpdateDevice = z.infer<typeof UpdateDevice>;

export const DeviceNames = z.strictObject({ names: z.array(z.string()).optional() });
