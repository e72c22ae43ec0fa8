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

/** What kind of change was made on the device outside Commissioner. */
export const DriftKind = z.enum([
  'stopped',
  'removed',
  'recreated',
  'image',
  'environment',
  'ports',
  'mounts',
  'labels',
]);
export type DriftKind = z.infer<typeof DriftKind>;

/**
 * One difference between what a device runs and what Commissioner deployed there, in words
 * ("container board was stopped outside Commissioner"); secret values are never in `message`.
 */
export const DriftFinding = z.strictObject({
  component: z.string(),
  service: z.string(),
  kind: DriftKind,
  message: z.string(),
});
export type DriftFinding = z.infer<typeof DriftFinding>;

export const ComponentStatus = z.strictObject({
  name: z.string(),
  state: MargoState,
  error: StatusError.nullable(),
  updatedAt: z.string(),
  /**
   * Changes made on the device outside Commissioner (empty: none seen). The Margo `state` stays
   * what the device shows; a component with findings is drifted.
   */
  drift: z.array(DriftFinding).optional(),
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

/**
 * One thing that differs between two revisions: the app version, the profile, a parameter's
 * value (a secret's is never given: `from` and `to` are null and the words say "changed"), a
 * component's revision, a service's image, the ApplicationDeployment's digest.
 */
export const RevisionChange = z.strictObject({
  kind: z.enum(['version', 'profile', 'value', 'component', 'image', 'digest']),
  /** The parameter, the component, or `component/service` of an image; null otherwise. */
  subject: z.string().nullable(),
  /** Null: not there (or a secret). */
  from: z.string().nullable(),
  to: z.string().nullable(),
  words: z.string(),
});
export type RevisionChange = z.infer<typeof RevisionChange>;

/** What going from revision `from` to revision `to` changes, item by item and in one line. */
export const RevisionDifference = z.strictObject({
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(RevisionChange),
  /** "LINE_NAME: Press Hall A → Press Hall B; version 1.2.0 → 1.3.0; image of …" */
  words: z.string(),
});
export type RevisionDifference = z.infer<typeof RevisionDifference>;

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
  /** What differs from the revision before it (null: the first one). */
  changes: RevisionDifference.nullable().optional(),
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
  /** What that rollback changes back: from the current revision to `rollbackTo`. */
  rollbackChanges: RevisionDifference.nullable().optional(),
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

/** When a device was last asked what it runs, and whether it answered. */
export const DeviceCheck = z.strictObject({
  device: z.string(),
  checkedAt: z.string(),
  /** events: a container event on the device; poll: the watch interval; refresh: asked for. */
  via: z.enum(['events', 'poll', 'refresh']),
  /** Why the device did not answer then (plain words); null when it answered. */
  error: z.string().nullable(),
});
export type DeviceCheck = z.infer<typeof DeviceCheck>;

/** One row of the Deployments screen: the summary with its components' states and error. */
export const DeploymentListEntry = DeploymentSummary.extend({
  appName: z.string().nullable(),
  error: StatusError.nullable(),
  components: z.array(
    z.strictObject({
      name: z.string(),
      state: MargoState,
      drift: z.array(DriftFinding).optional(),
    }),
  ),
  takenOver: TakenOver.nullable().optional(),
  /** The last time the deployment's device was asked (null: not since live state began). */
  check: DeviceCheck.nullable().optional(),
});
export type DeploymentListEntry = z.infer<typeof DeploymentListEntry>;

/** `deployments.list`: removed deployments only when asked for (`deployments list --all`). */
export const ListDeployments = z.strictObject({ includeRemoved: z.boolean().optional() });
export type ListDeployments = z.infer<typeof ListDeployments>;

/** `deployments.refreshAll`: every device with deployments asked now; those that did not answer. */
export const RefreshAllResult = z.strictObject({
  checked: z.array(DeviceCheck),
});
export type RefreshAllResult = z.infer<typeof RefreshAllResult>;
