import { z } from 'zod';
import { DeploymentOwner } from './ownership-labels';

/** Format of the record file; a reader refuses a format it does not know rather than guess. */
export const DEVICE_RECORD_FORMAT = 1;
/** Revisions a record keeps (the newest): a device is no archive. */
export const RECORDED_REVISIONS = 30;

export const RecordedRevision = z.object({
  revision: z.number().int().positive(),
  version: z.string(),
  profile: z.string(),
  /** sha256 of the ApplicationDeployment bytes sent (secrets included when sent). */
  digest: z.string(),
  valuesDigest: z.string(),
  outcome: z.enum(['applying', 'installed', 'failed', 'rolled-back', 'superseded']),
  createdAt: z.string(),
  owner: DeploymentOwner,
  /** The ApplicationDeployment as YAML with every secret value masked. */
  deployment: z.string(),
});
export type RecordedRevision = z.infer<typeof RecordedRevision>;

/**
 * What a Docker device keeps about one deployment (one per application), so that any
 * Commissioner can read back what runs, since when, and who put it there: the current
 * revision and the earlier ones, newest last, secrets left out.
 */
export const DeviceDeploymentRecord = z.object({
  format: z.literal(DEVICE_RECORD_FORMAT),
  deploymentId: z.string().min(1),
  appId: z.string().min(1),
  version: z.string(),
  profile: z.string(),
  /** The device's name in the inventory of the laptop that wrote the record. */
  device: z.string(),
  revision: z.number().int().positive(),
  state: z.string(),
  owner: DeploymentOwner,
  deployedAt: z.string(),
  revisions: z.array(RecordedRevision).max(RECORDED_REVISIONS),
});
export type DeviceDeploymentRecord = z.infer<typeof DeviceDeploymentRecord>;
