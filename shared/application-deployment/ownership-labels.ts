import { z } from 'zod';

/**
 * The labels Commissioner puts on every container and volume it creates on a Docker device,
 * so that any Commissioner (another laptop, a reinstalled one) can tell what runs there, which
 * deployment and revision it belongs to, and who put it there. The compose labels
 * (`com.docker.compose.*`) say which project; these say whose.
 */
export const OWNERSHIP_LABEL_PREFIX = 'org.margo-commissioner.';

export const OWNERSHIP_LABELS = {
  /** The ApplicationDeployment's id (`metadata.annotations.id`). */
  deployment: `${OWNERSHIP_LABEL_PREFIX}deployment`,
  /** The application id, so a device's deployments are found without reading any record. */
  app: `${OWNERSHIP_LABEL_PREFIX}app`,
  /** The application version deployed. */
  version: `${OWNERSHIP_LABEL_PREFIX}version`,
  /** The revision (as the deploying laptop numbers it) that made the container or volume. */
  revision: `${OWNERSHIP_LABEL_PREFIX}revision`,
  /** sha256 of the ApplicationDeployment bytes sent (secrets included; the digest only). */
  deploymentDigest: `${OWNERSHIP_LABEL_PREFIX}deployment-digest`,
  /** sha256 of the parameter values (name order), the part an engineer chose. */
  valuesDigest: `${OWNERSHIP_LABEL_PREFIX}values-digest`,
  /** The Commissioner installation (one per data home) that deployed it. */
  installation: `${OWNERSHIP_LABEL_PREFIX}installation`,
  engineer: `${OWNERSHIP_LABEL_PREFIX}engineer`,
  host: `${OWNERSHIP_LABEL_PREFIX}host`,
  /** When (ISO 8601, UTC). */
  deployedAt: `${OWNERSHIP_LABEL_PREFIX}deployed-at`,
  /** On the volume that keeps a deployment's record on the device: the record's format. */
  record: `${OWNERSHIP_LABEL_PREFIX}record`,
} as const;

/** Who deployed: the installation (its data home), the engineer and the laptop's host name. */
export const DeploymentOwner = z.strictObject({
  installation: z.string().min(1),
  engineer: z.string(),
  host: z.string(),
});
export type DeploymentOwner = z.infer<typeof DeploymentOwner>;

/** What one revision stamps on what it creates. */
export interface OwnershipStamp {
  deploymentId: string;
  appId: string;
  version: string;
  revision: number;
  deploymentDigest: string;
  valuesDigest: string;
  owner: DeploymentOwner;
  deployedAt: string;
}

export function ownershipLabels(stamp: OwnershipStamp): Record<string, string> {
  return {
    [OWNERSHIP_LABELS.deployment]: stamp.deploymentId,
    [OWNERSHIP_LABELS.app]: stamp.appId,
    [OWNERSHIP_LABELS.version]: stamp.version,
    [OWNERSHIP_LABELS.revision]: String(stamp.revision),
    [OWNERSHIP_LABELS.deploymentDigest]: stamp.deploymentDigest,
    [OWNERSHIP_LABELS.valuesDigest]: stamp.valuesDigest,
    [OWNERSHIP_LABELS.installation]: stamp.owner.installation,
    [OWNERSHIP_LABELS.engineer]: stamp.owner.engineer,
    [OWNERSHIP_LABELS.host]: stamp.owner.host,
    [OWNERSHIP_LABELS.deployedAt]: stamp.deployedAt,
  };
}

/** The stamp read back from a container's or volume's labels; undefined when it has none. */
export function readOwnershipLabels(
  labels: Record<string, string> | null | undefined,
): OwnershipStamp | undefined {
  const get = (key: string) => labels?.[key];
  const deploymentId = get(OWNERSHIP_LABELS.deployment);
  const appId = get(OWNERSHIP_LABELS.app);
  const installation = get(OWNERSHIP_LABELS.installation);
  const revision = Number(get(OWNERSHIP_LABELS.revision));
  if (!deploymentId || !appId || !installation || !Number.isInteger(revision)) return undefined;
  return {
    deploymentId,
    appId,
    version: get(OWNERSHIP_LABELS.version) ?? '',
    revision,
    deploymentDigest: get(OWNERSHIP_LABELS.deploymentDigest) ?? '',
    valuesDigest: get(OWNERSHIP_LABELS.valuesDigest) ?? '',
    owner: {
      installation,
      engineer: get(OWNERSHIP_LABELS.engineer) ?? '',
      host: get(OWNERSHIP_LABELS.host) ?? '',
    },
    deployedAt: get(OWNERSHIP_LABELS.deployedAt) ?? '',
  };
}

/** "Ana on LAPTOP-7", or what is known of it. */
export function ownerWords(owner: DeploymentOwner): string {
  const who = owner.engineer || 'someone';
  return owner.host
    ? `${who} on ${owner.host}`
    : `${who} (installation ${owner.installation.slice(0, 8)})`;
}

/**
 * A recorded time as people on different laptops read it alike: "2026-12-06 10:00 UTC" (the
 * laptops may sit in different time zones; the device's record is in UTC). Text that is not a
 * time is kept as it is.
 */
export function recordedTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match && !Number.isNaN(Date.parse(iso)) ? `${match[1]} ${match[2]} UTC` : iso;
}

/** "taken over by Ben on LAPTOP-9 at 2026-12-06 10:00 UTC (revision 4 there)" */
export function takenOverWords(taken: {
  owner: DeploymentOwner;
  deployedAt: string;
  revision: number;
}): string {
  return `taken over by ${ownerWords(taken.owner)}${taken.deployedAt ? ` at ${recordedTime(taken.deployedAt)}` : ''} (revision ${taken.revision} there)`;
}
