import { z } from 'zod';
import { MargoState } from '../compose/margo-state';
import { DeploymentOwner } from '../application-deployment/ownership-labels';

/** What the device reported or we concluded went wrong: Margo's `error{code, message, source}`. */
export const StatusError = z.strictObject({
  code: z.string(),
  message: z.string(),
  source: z.string(),
  /**
   * What the device or the system said, as it said it (error codes included): kept apart from
   * the message, shown behind "Details" in the UI and with `--verbose` in the CLI.
   */
  detail: z.string().optional(),
});
export type StatusError = z.infer<typeof StatusError>;

/** One line of `deployments list --json`; its shape is relied on by scripts outside the repo. */
export const DeploymentSummary = z.strictObject({
  id: z.string(),
  appId: z.string(),
  version: z.string(),
  device: z.string(),
  profile: z.string(),
  state: MargoState,
  revision: z.number().int(),
  updatedAt: z.string(),
});
export type DeploymentSummary = z.infer<typeof DeploymentSummary>;

export const ComponentStatus = z.strictObject({
  name: z.string(),
  state: MargoState,
  error: StatusError.nullable(),
  updatedAt: z.string(),
});
export type ComponentStatus = z.infer<typeof ComponentStatus>;

export const DeploymentEvent = z.strictObject({
  at: z.string(),
  revision: z.number().int().nullable(),
  level: z.enum(['info', 'warning', 'error']),
  component: z.string().nullable(),
  code: z.string().nullable(),
  message: z.string(),
});
export type DeploymentEvent = z.infer<typeof DeploymentEvent>;

export const RevisionSummary = z.strictObject({
  revision: z.number().int(),
  /** A removal ends a history; a rollback never leaves the current one. */
  history: z.number().int(),
  version: z.string(),
  profile: z.string(),
  digest: z.string(),
  /** `removed`: the last revision before the deployment was removed from its device. */
  outcome: z.enum(['applying', 'installed', 'failed', 'rolled-back', 'superseded', 'removed']),
  error: StatusError.nullable(),
  createdAt: z.string(),
});
export type RevisionSummary = z.infer<typeof RevisionSummary>;

/**
 * Another Commissioner installation deployed over this deployment since (the device's record
 * says so): who, when, and the revision its laptop gave it.
 */
export const TakenOver = z.strictObject({
  owner: DeploymentOwner,
  deployedAt: z.string(),
  revision: z.number().int(),
});
export type TakenOver = z.infer<typeof TakenOver>;

/** `deployments show --json`: the summary, its status per component, revisions and timeline. */
export const DeploymentDetail = DeploymentSummary.extend({
  knownGood: z.number().int().nullable(),
  /** The current history (see RevisionSummary.history). */
  history: z.number().int(),
  /** The revision a rollback would restore now, as the core chooses it; null: none. */
  rollbackTo: z.number().int().nullable(),
  error: StatusError.nullable(),
  createdAt: z.string(),
  components: z.array(ComponentStatus),
  revisions: z.array(RevisionSummary),
  events: z.array(DeploymentEvent),
  /** The ApplicationDeployment of the current revision, secrets masked. */
  deployment: z.string(),
  takenOver: TakenOver.nullable().optional(),
});
export type DeploymentDetail = z.infer<typeof DeploymentDetail>;

/** One row of the Deployments screen: the summary with its components' states and error. */
export const DeploymentListEntry = DeploymentSummary.extend({
  appName: z.string().nullable(),
  error: StatusError.nullable(),
  components: z.array(z.strictObject({ name: z.string(), state: MargoState })),
  takenOver: TakenOver.nullable().optional(),
});
export type DeploymentListEntry = z.infer<typeof DeploymentListEntry>;

/** `deployments.list`: removed deployments only when asked for (`deployments list --all`). */
export const ListDeployments = z.strictObject({ includeRemoved: z.boolean().optional() });
export type ListDeployments = z.infer<typeof ListDeployments>;
