import { z } from 'zod';
import { DescribedCapabilities } from '../devices/described-capabilities';
import { DeviceName, SshHostKey } from '../devices/device-connection';
import { ProbeResult } from '../devices/probe-result';
import { DeploymentOwner } from '../application-deployment/ownership-labels';

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

/** A Commissioner deployment found on a device (its labels and record), whoever made it. */
export const DeviceDeploymentView = z.strictObject({
  id: z.string(),
  appId: z.string(),
  version: z.string(),
  revision: z.number().int(),
  owner: DeploymentOwner,
  deployedAt: z.string(),
  /** The record's state when every container runs; `degraded`; `missing` (none left). */
  state: z.string(),
  /** Made (last deployed) by this installation. */
  ours: z.boolean(),
  /** In this laptop's records (its id), whoever made it; null when not (it can be adopted). */
  recorded: z.string().nullable(),
  /** The device keeps its record (revisions can be adopted), not only labels. */
  hasRecord: z.boolean(),
});
export type DeviceDeploymentView = z.infer<typeof DeviceDeploymentView>;

/** `devices show`: the device, its last probe, and the deployments found on it. */
export const DeviceDetailView = z.strictObject({
  device: DeviceView,
  /** The installation this laptop is (to tell its deployments from others'). */
  installation: DeploymentOwner,
  deployments: z.array(DeviceDeploymentView),
  /** Why the deployments could not be read now (the device did not answer); else null. */
  unreadable: z.string().nullable(),
});
export type DeviceDetailView = z.infer<typeof DeviceDetailView>;

/** `deployments adopt <device> [<id>]`: one deployment found there, or all not recorded. */
export const AdoptDeployments = z.strictObject({
  device: z.string().min(1),
  id: z.string().min(1).optional(),
});

export const AdoptedDeployments = z.array(
  z.strictObject({ id: z.string(), appId: z.string(), revisions: z.number().int() }),
);
export type AdoptedDeployments = z.infer<typeof AdoptedDeployments>;
