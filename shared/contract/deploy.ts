import { z } from 'zod';
import { HostAccessFinding } from '../compose/host-access';
import { MargoState } from '../compose/margo-state';
import { PlanAction } from '../compose/plan';
import { Check, Verdict } from '../compatibility/verdict';
import { DeploymentProfile } from '../margo/application-description';
import { ParameterValue } from '../margo/components';
import { DataType, SchemaRule, Setting } from '../margo/configuration';
import { ValueProblem } from './contract-error';
import { StatusError, TakenOver } from './deployments';
import { ArtifactTrust } from './trust';
import { DownloadTicket } from './margo';

/** Parameter values as the form holds them (a secret the engineer did not touch is the mask). */
export const Values = z.record(z.string(), z.unknown());
export type Values = z.infer<typeof Values>;

export const ValueTarget = z.strictObject({
  component: z.string(),
  kind: z.enum(['environment variable', 'Helm value', 'custom']),
  pointer: z.string(),
});

/** shared/configuration's FormModel as it crosses the contract (rjsf + the Margo validator). */
export const FormModelView = z.strictObject({
  profile: DeploymentProfile,
  fields: z.array(
    z.strictObject({
      parameter: z.string(),
      section: z.string(),
      setting: Setting,
      rule: SchemaRule.and(z.object({ dataType: DataType })),
      default: ParameterValue.optional(),
      secret: z.boolean(),
      locked: z.boolean(),
      targets: z.array(ValueTarget),
    }),
  ),
  hidden: z.array(
    z.strictObject({
      parameter: z.string(),
      value: ParameterValue.optional(),
      secret: z.boolean(),
    }),
  ),
  notApplicable: z.array(z.string()),
  schema: z.record(z.string(), z.unknown()),
  uiSchema: z.record(z.string(), z.unknown()),
});

/** What the wizard asks for: an app version, a profile, devices. */
export const DeployFormQuery = z.strictObject({
  id: z.string().min(1),
  version: z.string().optional(),
  profile: z.string().optional(),
  /** The devices chosen so far (their installed values fill the form on an update). */
  devices: z.array(z.string()).max(100).optional(),
});
export type DeployFormQuery = z.infer<typeof DeployFormQuery>;

/** One device as the wizard's first step shows it. */
export const DeployDeviceChoice = z.strictObject({
  name: z.string(),
  /** The best verdict over the app's compose profiles (the ones Commissioner deploys). */
  verdict: Verdict,
  /** Per profile, the checks that did not pass. */
  profiles: z.array(
    z.strictObject({ profile: z.string(), verdict: Verdict, checks: z.array(Check) }),
  ),
  /** Why it cannot be chosen, in plain words (null: it can). */
  disabledReason: z.string().nullable(),
  /** The app already on this device (an update keeps its id, profile and values). */
  installed: z
    .strictObject({
      deploymentId: z.string(),
      version: z.string(),
      profile: z.string(),
      revision: z.number().int(),
      state: MargoState,
    })
    .nullable(),
});
export type DeployDeviceChoice = z.infer<typeof DeployDeviceChoice>;

export const DeployForm = z.strictObject({
  app: z.strictObject({ id: z.string(), version: z.string(), name: z.string() }),
  profiles: z.array(
    z.strictObject({
      id: z.string(),
      type: z.string(),
      description: z.string().nullable(),
      /** Commissioner deploys compose profiles; others say why not. */
      deployable: z.boolean(),
    }),
  ),
  /** The profile asked for, the installed one, or the only one that fits; null: choose. */
  profile: z.string().nullable(),
  devices: z.array(DeployDeviceChoice),
  /** The form of the chosen profile (null until a profile is chosen). */
  form: FormModelView.nullable(),
  /** Installed values per chosen device, secrets masked (the starting point of an update). */
  installedValues: z.record(z.string(), Values),
});
export type DeployForm = z.infer<typeof DeployForm>;

/** The request to plan and to deploy: the same values for all, overrides per device. */
export const DeployRequest = z.strictObject({
  id: z.string().min(1),
  version: z.string().min(1),
  profile: z.string().min(1),
  devices: z.array(z.string().min(1)).min(1).max(100),
  values: Values,
  overrides: z.record(z.string(), Values).optional(),
});
export type DeployRequest = z.infer<typeof DeployRequest>;

/**
 * What a plan does to a service: the compose actions on Docker devices; on a Margo device the
 * deployment is `place`d in (or `update`d in) its client's desired state.
 */
export const PlanItemAction = z.enum([...PlanAction.options, 'place', 'update']);
export type PlanItemAction = z.infer<typeof PlanItemAction>;

export const PlanItemView = z.strictObject({
  component: z.string(),
  service: z.string(),
  action: PlanItemAction,
  reasons: z.array(z.string()),
});
export type PlanItemView = z.infer<typeof PlanItemView>;

/**
 * Why a device does not get the deployment. Planning: `unreachable`, `incompatible` (by the
 * compatibility report), `profile` (none or several fit), `values`, `sources` (archives or
 * images missing from the store), `name-clash` (containers of other projects), `request`.
 * Applying: `changed` (the plan differs from the one reviewed), `busy` (another operation),
 * `host-access` (the plan needs access to the device itself and that was not acknowledged).
 * Both: `signature` (a trust policy that refuses unsigned or invalid artifacts covers one of
 * what would be sent, and its signature is not verified).
 */
export const DevicePlanCode = z.enum([
  'unreachable',
  'incompatible',
  'profile',
  'values',
  'sources',
  'name-clash',
  'request',
  'changed',
  'busy',
  'host-access',
  'signature',
]);
export type DevicePlanCode = z.infer<typeof DevicePlanCode>;

/**
 * One parameter as a device gets it in a plan: the value (a secret's is the mask; null when
 * empty, so left out and the component's own default applies), where it goes, whether it was
 * given for this device alone, and whether it is not the same on every device planned.
 */
export const PlanValueView = z.strictObject({
  parameter: z.string(),
  /** The setting's label; null for a parameter without a setting (deployed with its default). */
  setting: z.string().nullable(),
  value: z.string().nullable(),
  secret: z.boolean(),
  targets: z.array(ValueTarget),
  own: z.boolean(),
  differs: z.boolean(),
});
export type PlanValueView = z.infer<typeof PlanValueView>;

export const DevicePlanView = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    device: z.string(),
    appId: z.string(),
    version: z.string(),
    profile: z.string(),
    deploymentId: z.string(),
    /** The installed revision this updates, or null for a new deployment. */
    update: z.number().int().nullable(),
    upToDate: z.boolean(),
    items: z.array(PlanItemView),
    /** Images the device lacks, side-loaded from the store. */
    images: z.array(z.strictObject({ name: z.string(), bytes: z.number().nullable() })),
    /** The ApplicationDeployment, secrets masked, and the digest of the bytes sent. */
    yaml: z.string(),
    digest: z.string(),
    /**
     * What the application may do to the device itself (privileged, the Docker socket, binds
     * of the device's folders…), critical first. Applying needs them acknowledged.
     */
    hostAccess: z.array(HostAccessFinding),
    /** What acknowledging them means: these findings for this digest (null: none to allow). */
    hostAccessDigest: z.string().nullable(),
    warnings: z.array(z.string()),
    /**
     * Another Commissioner installation deployed the application there (the device's record
     * says so): who, when, which revision, in words. Applying needs the take-over confirmed.
     */
    takeOver: TakenOver.extend({ message: z.string() }).nullable().optional(),
    /** Each parameter's value and where it goes (set by the planning use case). */
    values: z.array(PlanValueView).optional(),
  }),
  z.strictObject({
    ok: z.literal(false),
    device: z.string(),
    code: DevicePlanCode,
    message: z.string(),
    errors: z.array(ValueProblem),
    warnings: z.array(z.string()),
  }),
]);
export type DevicePlanView = z.infer<typeof DevicePlanView>;

export const DeployPlan = z.strictObject({
  devices: z.array(DevicePlanView),
  /**
   * The signature verdicts of everything the deployment would send (the package version, its
   * compose components, their images), each with the trust policy that applies. One of them
   * under a `strict` policy and not verified refuses every device (`signature`).
   */
  signatures: z.array(ArtifactTrust),
});
export type DeployPlan = z.infer<typeof DeployPlan>;

/**
 * Deploy what was reviewed: the request again with each device's reviewed digest. A device
 * whose plan no longer has that digest (something changed since the review) is not touched.
 */
export const StartDeploy = DeployRequest.extend({
  reviewed: z.record(z.string(), z.string()),
  /**
   * Per device, the `hostAccessDigest` of the plan whose host access the engineer allowed. A
   * device whose plan needs host access is applied only when this matches its plan.
   */
  hostAccessAllowed: z.record(z.string(), z.string()).optional(),
  /** Roll back automatically when the new revision fails (default true). */
  autoRollback: z.boolean().optional(),
  /**
   * Per device, the installation whose deployment the engineer confirmed taking over (the
   * plan's `takeOver.owner.installation`). A plan over another installation's deployment is
   * applied only when this matches.
   */
  takeOver: z.record(z.string(), z.string()).optional(),
});
export type StartDeploy = z.infer<typeof StartDeploy>;

/** How a device ended in a deploy, rollback or removal job. */
export const DeviceOutcomeView = z.strictObject({
  device: z.string(),
  deploymentId: z.string().nullable(),
  revision: z.number().int().nullable(),
  /** `placed`: in a Margo device's desired state; the device pulls it and reports progress. */
  state: z.enum([
    'installed',
    'failed',
    'rolled-back',
    'removed',
    'refused',
    'unchanged',
    'placed',
  ]),
  rolledBackTo: z.number().int().nullable(),
  error: StatusError.nullable(),
  /** Docker devices: each component's state once done. */
  components: z
    .array(z.strictObject({ name: z.string(), state: MargoState, error: StatusError.nullable() }))
    .optional(),
  /** Docker devices: each image, sent (`loaded`) or already there (`present`). */
  sideLoaded: z
    .array(
      z.strictObject({
        image: z.string(),
        imageId: z.string(),
        action: z.enum(['present', 'loaded']),
        bytesSent: z.number().int().nonnegative(),
      }),
    )
    .optional(),
});
export type DeviceOutcomeView = z.infer<typeof DeviceOutcomeView>;

export const DeploymentRef = z.strictObject({ id: z.string().min(1) });

export const RemoveDeployment = z.strictObject({
  id: z.string().min(1),
  /** Also delete the app's named volumes on the device (its data); kept unless asked. */
  volumes: z.boolean(),
  /** Also when another Commissioner installation deployed it since (confirmed by the engineer). */
  takeOver: z.boolean().optional(),
});

export const RollbackDeployment = z.strictObject({
  id: z.string().min(1),
  /** Also when another Commissioner installation deployed it since (confirmed by the engineer). */
  takeOver: z.boolean().optional(),
});

export const LogsQuery = z.strictObject({
  id: z.string().min(1),
  tail: z.number().int().positive().max(5000).optional(),
});

export const ServiceLogsView = z.array(
  z.strictObject({
    component: z.string(),
    service: z.string(),
    container: z.string(),
    text: z.string(),
    /** Why there is no output, in words (set when `text` is empty). */
    quiet: z.string().optional(),
  }),
);
export type ServiceLogsView = z.infer<typeof ServiceLogsView>;

/**
 * Follow a deployment's logs: the lines printed from now on come as `logs.text` events of the
 * stream answered, until `deployments.stopLogs`, the containers' end (`logs.ended`), or the
 * stream lapses — a follow not renewed (`renew`: the stream) within a minute is stopped, so
 * a window closed without saying so leaves nothing running.
 */
export const FollowLogs = z.strictObject({
  id: z.string().min(1),
  /** Lines from before now to start with (default none: the pane has them already). */
  tail: z.number().int().nonnegative().max(5000).optional(),
  renew: z.string().min(1).optional(),
});
export const LogStream = z.strictObject({ stream: z.string() });

/** Every line each container of a deployment printed, as a file: saved (desktop) or downloaded. */
export const SaveLogs = z.strictObject({
  id: z.string().min(1),
  to: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('file'), file: z.string().min(1) }),
    z.strictObject({ kind: z.literal('download') }),
  ]),
});
export type SaveLogs = z.infer<typeof SaveLogs>;

export const SavedLogsView = z.strictObject({
  containers: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** The file written (its name), or null for a download. */
  file: z.string().nullable(),
  download: DownloadTicket.nullable(),
});
export type SavedLogsView = z.infer<typeof SavedLogsView>;

/** New output of a followed container (`deployments.followLogs`). */
export const LogsText = z.strictObject({
  stream: z.string(),
  component: z.string(),
  service: z.string(),
  container: z.string(),
  text: z.string(),
});
export type LogsText = z.infer<typeof LogsText>;

/** A follow ended by itself: why, in words. */
export const LogsEnded = z.strictObject({ stream: z.string(), reason: z.string() });
