import type Docker from 'dockerode';
import { compatibilityRows } from '../../../../shared/compatibility/evaluate';
import { verdictOf, type Check } from '../../../../shared/compatibility/verdict';
import { chooseProfile, ProfileChoiceError } from '../../../../shared/configuration/form-model';
import { DeploymentRequestError } from '../../../../shared/application-deployment/build-deployment';
import { maskSecrets } from '../../../../shared/application-deployment/mask-secrets';
import { deploymentYaml } from '../../../../shared/application-deployment/deployment-yaml';
import type { ApplicationDeployment } from '../../../../shared/margo/application-deployment';
import type {
  ApplicationDescription,
  DeploymentProfile,
} from '../../../../shared/margo/application-description';
import { validateDocumentText } from '../../../../shared/validation/validate-document';
import { reviewHostAccess, type HostAccessFinding } from '../../../../shared/compose/host-access';
import { forbiddenMessage } from '../../host-access/acknowledgement';
import { renderDeployment } from '../render-deployment';
import { compatibilityDevice } from '../../devices/device-compatibility';
import { getDevice, recordProbe, type DeviceRecord } from '../../store/device-inventory';
import { probeDockerDevice } from '../../devices/probe-device';
import { devicePlatform, type Platform } from '../../images/select-platform';
import type { SideLoadProgress, SideLoadResult } from '../../images/side-load';
import type { Store } from '../../store/store';
import { applyRevision, type ComponentResult, type RevisionFiles } from './apply-revision';
import { beginDeviceOperation } from '../../store/device-locks';
import { deviceDocker } from './device-docker';
import {
  addRevision,
  deploymentOf,
  DeploymentJournal,
  storedRevision,
  type StatusError,
} from '../../store/deployment-journal';
import { pruneFilesVolumes } from './prune-files-volumes';
import { containerNameClashes, planComponent, type ComponentPlan } from './plan-component';
import { deploymentDrift, driftByService } from './component-drift';
import type { DriftFinding } from '../../../../shared/contract/deployments';
import { prepareRevision, type PreparedComponent } from './prepare-revision';
import { RenderedRevision } from './rendered-revision';
import type { Refusal, TargetPlanRequest } from '../deployment-target';
import { ownershipLabels } from '../../../../shared/application-deployment/ownership-labels';
import { MASK } from '../../../../shared/configuration/secret-heuristic';
import { setTakenOver } from '../../store/deployment-journal';
import {
  installedByWords,
  isForeign,
  noteOwnership,
  recordOnDevice,
  takenOverOf,
} from './device-ownership';
import { adoptRecord } from './adopt-record';
import type { FoundRecord } from './device-record-volume';
import { nextRecord, recordImage, stampFor, storeRecord } from './device-record-update';
import type { RecordedRevision } from '../../../../shared/application-deployment/device-record';
import type { TakenOver } from '../../../../shared/contract/deployments';

/** What deploying would do on one device: computed without changing anything. */
export interface DevicePlan {
  device: DeviceRecord;
  description: ApplicationDescription;
  profile: string;
  deployment: ApplicationDeployment;
  /** The deployment bytes that go to the device, and their digest. */
  yaml: string;
  digest: string;
  secrets: string[];
  rendered: RenderedRevision;
  files: RevisionFiles;
  plans: ComponentPlan[];
  /** Images the device lacks, to side-load from the store. */
  images: string[];
  /** What the revision may do to the device itself, read from its compose models. */
  hostAccess: HostAccessFinding[];
  /** The device's own record of this application (any installation's), as read now. */
  onDevice?: FoundRecord;
  /** Set when another installation deployed it: applying takes it over (asked for explicitly). */
  takeOver?: TakenOver & { message: string };
  /** The revision installed now (the update's base), if any. */
  installed?: { revision: number; rendered: RenderedRevision };
  warnings: string[];
  docker: Docker;
  platform: Platform;
}

export type PlanResult =
  { ok: true; plan: DevicePlan } | { ok: false; refusal: Refusal; warnings: string[] };

/**
 * Everything before the first change on a device: probe it (and record the probe), check the
 * profile against it with the compatibility report (incompatible refuses; unknown warns),
 * render the ApplicationDeployment (an update keeps the installed id and values), resolve the
 * compose archives and images from the store, refuse container names other projects hold, and
 * plan each component. `--dry-run` stops here.
 */
export async function planDeviceDeployment(
  store: Store,
  request: TargetPlanRequest,
): Promise<PlanResult> {
  const warnings: string[] = [];
  const refuse = (refusal: Refusal): PlanResult => ({ ok: false, refusal, warnings });
  const probe = await probeDockerDevice(request.device);
  recordProbe(store, probe);
  if (!probe.reachable || !probe.facts) {
    return refuse({
      code: 'unreachable',
      message: `device ${request.device.name} cannot be reached: ${probe.error?.message ?? 'no answer'}`,
    });
  }
  const device = getDevice(store, request.device.name) ?? request.device;
  const facts = probe.facts;
  const docker = deviceDocker(device, facts);
  const platform = devicePlatform({ osType: facts.osType, architecture: facts.architecture });
  const { description } = request;

  let onDevice: FoundRecord | undefined;
  try {
    onDevice = await recordOnDevice(docker, description.id);
  } catch (e) {
    return refuse({
      code: 'unreachable',
      message: `device ${device.name} did not say what runs on it: ${(e as Error).message}`,
    });
  }
  let existing = deploymentOf(store, description.id, device.name);
  if (existing && noteOwnership(store, existing, onDevice)) {
    existing = deploymentOf(store, description.id, device.name);
  }
  const foreign = onDevice && isForeign(store, onDevice) ? onDevice : undefined;
  const takeOver = foreign
    ? {
        ...takenOverOf(foreign),
        message: `${description.id} on ${device.name} was ${installedByWords(foreign)}: deploying takes it over`,
      }
    : undefined;
  const current = existing ? storedRevision(store, existing.id, existing.revision) : undefined;
  const installed = current
    ? readInstalled(
        current.deployment,
        // Adopted from another laptop, which may name the device differently.
        current.rendered === null ? device.name : undefined,
      )
    : undefined;

  let profile: DeploymentProfile;
  try {
    profile = chooseComposeProfile(description, request.profileId ?? current?.profileId);
  } catch (e) {
    return refuse({ code: 'profile', message: (e as Error).message });
  }
  const view = compatibilityDevice(device);
  if (view) {
    const row = compatibilityRows(description, view).find((r) => r.profile === profile.id);
    const checks = row?.checks ?? [];
    if (verdictOf(checks) === 'incompatible') {
      return refuse({
        code: 'incompatible',
        message: `device ${device.name} cannot run profile ${profile.id}:\n${describeChecks(checks.filter((c) => c.status === 'failed'))}`,
      });
    }
    const unknown = checks.filter((c) => c.status === 'unknown');
    if (unknown.length > 0) {
      warnings.push(
        `device ${device.name}: ${unknown.length} compatibility check${unknown.length === 1 ? ' is' : 's are'} unknown (deploying anyway):\n${describeChecks(unknown)}`,
      );
    }
  }

  let rendered;
  try {
    rendered = renderDeployment({
      description,
      profileId: profile.id,
      deviceId: device.name,
      values: request.values,
      ...(installed ? { installed } : {}),
      // The workload keeps its identity whoever deploys it next.
      ...(!installed && onDevice ? { id: onDevice.stamp.deploymentId } : {}),
    });
  } catch (e) {
    if (e instanceof DeploymentRequestError || e instanceof ProfileChoiceError) {
      return refuse({ code: 'request', message: e.message });
    }
    throw e;
  }
  warnings.push(...rendered.warnings.map((w) => `device ${device.name}: ${w}`));
  if (!rendered.ok) {
    return refuse({
      code: 'values',
      message: `${description.id} ${description.metadata.version} cannot be deployed with these values`,
      errors: rendered.errors,
    });
  }

  const prepared = await prepareRevision(store, docker, rendered.deployment, platform);
  warnings.push(...prepared.warnings);
  if (!prepared.ok) return refuse({ code: 'sources', message: prepared.problems.join('\n') });
  const hostAccess = prepared.rendered.components.flatMap((c) => reviewHostAccess(c.model, c.name));
  if (hostAccess.length > 0 && device.hostAccess === 'deny') {
    return refuse({
      code: 'incompatible',
      message: forbiddenMessage(device.name, profile.id, hostAccess),
    });
  }

  const clashes = await containerNameClashes(docker, prepared.rendered.components);
  if (clashes.length > 0) return refuse({ code: 'name-clash', message: clashes.join('\n') });

  // Revisions adopted from a device's record have no rendered models on this laptop.
  const installedRendered =
    current && current.rendered !== null ? RenderedRevision.parse(current.rendered) : undefined;
  // An update: what was changed on the device outside Commissioner since, said per action.
  const drift =
    existing && current && installedRendered && existing.state !== 'removed'
      ? await deploymentDrift(store, docker, existing, {
          deployment: current.deployment,
          rendered: installedRendered,
        })
      : new Map<string, DriftFinding[]>();
  const plans: ComponentPlan[] = [];
  for (const component of prepared.rendered.components) {
    const before = installedRendered?.components.find((c) => c.name === component.name);
    plans.push(
      await planComponent(
        docker,
        component,
        before,
        driftByService(drift.get(component.name) ?? []),
      ),
    );
  }
  return {
    ok: true,
    plan: {
      device,
      description,
      profile: profile.id,
      deployment: rendered.deployment,
      yaml: rendered.yaml,
      digest: rendered.digest,
      secrets: rendered.secrets,
      rendered: prepared.rendered,
      files: filesByComponent(prepared.components),
      plans,
      images: await imagesToLoad(docker, prepared.rendered),
      hostAccess,
      ...(onDevice ? { onDevice } : {}),
      ...(takeOver ? { takeOver } : {}),
      ...(current && installedRendered
        ? { installed: { revision: current.revision, rendered: installedRendered } }
        : {}),
      warnings,
      docker,
      platform,
    },
  };
}

export interface DeviceOutcome {
  device: string;
  deploymentId: string;
  revision: number;
  /** The deployment's state once done: installed (also after a rollback), or failed. */
  state: 'installed' | 'failed';
  components: ComponentResult[];
  plans: ComponentPlan[];
  sideLoaded: SideLoadResult[];
  error?: StatusError;
  /** Set when the new revision failed and the previous one was restored. */
  rolledBackTo?: number;
}

/**
 * Applies a plan: takes the device (one operation at a time per device, across processes),
 * records the new revision, side-loads, applies; when the revision does not become installed
 * within its timeout and a known-good revision exists, restores that one (unless
 * `autoRollback` is off). Everything that happens goes to the deployment's timeline.
 */
export async function applyDevicePlan(
  store: Store,
  plan: DevicePlan,
  options: {
    autoRollback: boolean;
    onProgress?: (message: string) => void;
    onImageProgress?: (progress: SideLoadProgress) => void;
  },
): Promise<DeviceOutcome> {
  const id = plan.deployment.id;
  const operation = beginDeviceOperation(store, plan.device.name, 'deploy', id);
  const heartbeat = setInterval(() => operation.heartbeat(), 5000);
  heartbeat.unref();
  try {
    if (plan.takeOver && plan.onDevice?.record) {
      // Numbers continue the device's history: "revision 4" means the same on both laptops.
      adoptRecord(store, plan.device.name, plan.onDevice.record, id);
    }
    const revision = addRevision(store, {
      id,
      appId: plan.description.id,
      device: plan.device.name,
      profileId: plan.profile,
      version: plan.description.metadata.version,
      deployment: plan.yaml,
      digest: plan.digest,
      rendered: plan.rendered,
    });
    const journal = new DeploymentJournal(store, id);
    if (plan.takeOver) {
      journal.event('warning', `taken over: ${plan.takeOver.message}`, { revision });
    }
    journal.event(
      'info',
      `revision ${revision}: ${plan.description.id} ${plan.description.metadata.version}, profile ${plan.profile}, ${plan.digest}`,
      { revision },
    );
    const stamp = stampFor(store, {
      deploymentId: id,
      appId: plan.description.id,
      version: plan.description.metadata.version,
      revision,
      digest: plan.digest,
      deployment: plan.deployment,
    });
    const record = async (
      state: 'installed' | 'failed',
      current: number,
      outcomes: Record<number, RecordedRevision['outcome']>,
    ) => {
      // After an automatic rollback the current revision is the earlier one.
      const now = current === revision ? undefined : storedRevision(store, id, current);
      const version = now?.version ?? plan.description.metadata.version;
      const next = nextRecord(plan.onDevice?.record, {
        stamp: { ...stamp, revision: current, version },
        device: plan.device.name,
        version,
        profile: now?.profileId ?? plan.profile,
        state,
        added: {
          revision,
          version: plan.description.metadata.version,
          profile: plan.profile,
          outcome: outcomes[revision] ?? 'failed',
          deployment: maskedDeployment(plan),
        },
        outcomes,
      });
      const problem = await storeRecord(
        plan.docker,
        next,
        { ...stamp, revision: current, version },
        recordImage(plan.rendered),
      );
      if (problem) {
        journal.event(
          'warning',
          `the deployment's record could not be kept on the device: ${problem}`,
          {
            revision,
          },
        );
      } else {
        setTakenOver(store, id, null);
      }
    };
    journal.setComponents(
      plan.rendered.components.map((c) => ({ name: c.name, state: 'installing' })),
    );
    const outcome = await applyRevision({
      store,
      docker: plan.docker,
      device: plan.device.name,
      platform: plan.platform,
      deploymentId: id,
      revision,
      rendered: plan.rendered,
      previous: plan.installed?.rendered,
      files: plan.files,
      journal,
      ownership: ownershipLabels(stamp),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onImageProgress ? { onImageProgress: options.onImageProgress } : {}),
    });
    const base = {
      device: plan.device.name,
      deploymentId: id,
      revision,
      plans: outcome.plans,
      sideLoaded: outcome.sideLoaded,
    };
    const source = plan.deployment.metadata.name;
    if (outcome.ok) {
      journal.markInstalled(revision, plan.description.metadata.version, plan.profile);
      journal.setComponents(outcome.components.map((c) => ({ name: c.name, state: 'installed' })));
      journal.setState('installed');
      journal.event('info', `revision ${revision} installed`, { revision });
      await pruneFilesVolumes(plan.docker, plan.rendered).catch(() => undefined);
      await record('installed', revision, {
        [revision]: 'installed',
        ...supersededBefore(plan.onDevice, revision),
      });
      operation.finish('succeeded');
      return { ...base, state: 'installed', components: outcome.components };
    }
    const failure = outcome.failure as NonNullable<typeof outcome.failure>;
    const error: StatusError = {
      code: failure.diagnosis.code,
      message: failure.diagnosis.message,
      source: failure.component,
      ...(failure.diagnosis.detail !== undefined ? { detail: failure.diagnosis.detail } : {}),
    };
    // The reason is the revision's and the component's own: the timeline does not repeat it.
    journal.event('error', `revision ${revision} failed`, {
      revision,
      component: failure.component,
      code: error.code,
    });
    journal.setRevisionOutcome(revision, 'failed', error);
    const componentRows = outcome.components.map((c) => ({
      name: c.name,
      state: c.state,
      error: c.error ? { ...c.error, source: c.name } : null,
    }));
    // A removal clears the known-good revision: what ran before it is never restored.
    const knownGood = deploymentOf(store, plan.description.id, plan.device.name)?.knownGood ?? null;
    if (options.autoRollback && knownGood !== null && knownGood !== revision) {
      const restored = await rollbackTo(store, plan, journal, knownGood, revision, options);
      if (restored.ok) {
        journal.setRevisionOutcome(revision, 'rolled-back', error);
        const message = `revision ${revision} failed (${error.message}); rolled back to revision ${knownGood}, which runs again`;
        journal.setState('installed', { code: 'rolled-back', message, source });
        journal.setComponents(
          restored.components.map((c) => ({ name: c.name, state: 'installed' })),
        );
        await record('installed', knownGood, {
          [revision]: 'rolled-back',
          [knownGood]: 'installed',
        });
        operation.finish('failed', message);
        return {
          ...base,
          state: 'installed',
          components: componentRows.map((c) => ({
            name: c.name,
            state: c.state,
            ...(c.error ? { error: { code: c.error.code, message: c.error.message } } : {}),
          })),
          error: { code: 'rolled-back', message, source },
          rolledBackTo: knownGood,
        };
      }
      // Said once when both failed for the same reason (a device that stopped answering).
      const message =
        restored.code === error.code && error.code === 'device-unreachable'
          ? `Revision ${revision} failed, and the rollback to revision ${knownGood} could not run either: ${error.message}`
          : `revision ${revision} failed (${error.message}); the rollback to revision ${knownGood} failed too: ${restored.message}`;
      const detail = [error.detail, restored.detail].filter((d) => d !== undefined).join('\n');
      const failedError: StatusError = {
        code: error.code,
        message,
        source,
        ...(detail ? { detail } : {}),
      };
      journal.setComponents(componentRows);
      journal.setState('failed', failedError);
      await record('failed', revision, { [revision]: 'failed' });
      operation.finish('failed', message);
      return {
        ...base,
        state: 'failed',
        components: outcome.components,
        error: failedError,
      };
    }
    journal.setComponents(componentRows);
    journal.setState('failed', { ...error, source });
    await record('failed', revision, { [revision]: 'failed' });
    operation.finish('failed', error.message);
    return { ...base, state: 'failed', components: outcome.components, error };
  } catch (e) {
    operation.finish('failed', (e as Error).message);
    throw e;
  } finally {
    clearInterval(heartbeat);
  }
}

/** Applies an earlier revision again (auto-rollback), and points the deployment back at it. */
async function rollbackTo(
  store: Store,
  plan: DevicePlan,
  journal: DeploymentJournal,
  target: number,
  failed: number,
  options: { onProgress?: (message: string) => void },
): Promise<
  | { ok: true; components: ComponentResult[] }
  | { ok: false; code?: string; message: string; detail?: string }
> {
  const stored = storedRevision(store, plan.deployment.id, target);
  if (!stored) return { ok: false, message: `revision ${target} is not recorded` };
  const history = storedRevision(store, plan.deployment.id, failed)?.history;
  if (stored.history !== history) {
    return { ok: false, message: `revision ${target} ran before the deployment was removed` };
  }
  if (stored.rendered === null) {
    return {
      ok: false,
      message: `revision ${target} was taken from the device's record, which does not hold its compose files`,
    };
  }
  journal.event('warning', `rolling back to revision ${target}`, { revision: target });
  options.onProgress?.(`rolling back to revision ${target}`);
  const outcome = await applyRevision({
    store,
    docker: plan.docker,
    device: plan.device.name,
    platform: plan.platform,
    deploymentId: plan.deployment.id,
    revision: target,
    rendered: RenderedRevision.parse(stored.rendered),
    previous: plan.rendered,
    journal,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (!outcome.ok) {
    const diagnosis = outcome.failure?.diagnosis;
    return {
      ok: false,
      message: diagnosis?.message ?? 'unknown failure',
      ...(diagnosis ? { code: diagnosis.code } : {}),
      ...(diagnosis?.detail !== undefined ? { detail: diagnosis.detail } : {}),
    };
  }
  journal.setCurrent(target, stored.version, stored.profileId);
  journal.event('info', `rolled back from revision ${failed} to revision ${target}`, {
    revision: target,
  });
  return { ok: true, components: outcome.components };
}

/** The profile to deploy to a Docker device: a compose one — named, or the only one. */
function chooseComposeProfile(
  description: ApplicationDescription,
  profileId?: string,
): DeploymentProfile {
  if (profileId !== undefined) {
    const found = chooseProfile(description, profileId);
    if (found.type !== 'compose') {
      throw new ProfileChoiceError(
        `profile ${found.id} is a ${found.type} profile: Docker devices run compose profiles`,
        description,
      );
    }
    return found;
  }
  const compose = description.deploymentProfiles.filter((p) => p.type === 'compose');
  if (compose.length === 1) return compose[0] as DeploymentProfile;
  const all = description.deploymentProfiles.map((p) => `${p.id} (${p.type})`).join(', ');
  throw new ProfileChoiceError(
    compose.length === 0
      ? `${description.id} has no compose profile (it has ${all}): Docker devices run compose profiles`
      : `${description.id} has ${compose.length} compose profiles: choose one (${compose.map((p) => p.id).join(', ')})`,
    description,
  );
}

function describeChecks(checks: readonly Check[]): string {
  return checks
    .map(
      (c) =>
        `  ${c.status.toUpperCase()} ${c.name}: ${c.reason} (needs ${c.expected}; has ${c.actual})`,
    )
    .join('\n');
}

/**
 * The installed ApplicationDeployment, read back from the bytes recorded with its revision. A
 * revision adopted from a device's record has its secrets masked: those values are not kept
 * (they must be given again), never sent as the mask; and it names the device as the laptop
 * that wrote it did (`deviceName`: as this laptop does).
 */
function readInstalled(yaml: string, deviceName?: string): ApplicationDeployment | undefined {
  const checked = validateDocumentText(yaml, { file: 'installed deployment' });
  if (checked.kind !== 'ApplicationDeployment' || !checked.shapeValid) return undefined;
  let deployment = checked.value as ApplicationDeployment;
  if (deviceName !== undefined && deployment.metadata.deviceId !== undefined) {
    deployment = { ...deployment, metadata: { ...deployment.metadata, deviceId: deviceName } };
  }
  const parameters = deployment.spec.parameters;
  if (!parameters || !Object.values(parameters).some((p) => p.value === MASK)) return deployment;
  const kept = Object.fromEntries(Object.entries(parameters).filter(([, p]) => p.value !== MASK));
  return { ...deployment, spec: { ...deployment.spec, parameters: kept } };
}

/** The revisions the device's record lists as installed: superseded by the new one. */
function supersededBefore(
  onDevice: FoundRecord | undefined,
  revision: number,
): Record<number, RecordedRevision['outcome']> {
  return Object.fromEntries(
    (onDevice?.record?.revisions ?? [])
      .filter((r) => r.outcome === 'installed' && r.revision !== revision)
      .map((r) => [r.revision, 'superseded' as const]),
  );
}

/** The images of a revision the device does not have yet (by name and id): what will be side-loaded. */
async function imagesToLoad(docker: Docker, rendered: RenderedRevision): Promise<string[]> {
  const wanted = new Map<string, string>();
  for (const c of rendered.components) {
    for (const s of c.services) if (s.imageRef !== null) wanted.set(s.image, s.imageId);
  }
  const missing: string[] = [];
  for (const [image, id] of wanted) {
    const has = await docker
      .getImage(image.includes('@') ? id : image)
      .inspect()
      .then((i) => i.Id === id)
      .catch(() => false);
    if (!has) missing.push(image);
  }
  return missing;
}

function filesByComponent(components: readonly PreparedComponent[]): RevisionFiles {
  return new Map(components.map((c) => [c.rendered.name, c.files]));
}

/**
 * Nothing to do: the deployment bytes are those of the installed revision and every service
 * runs as it should. Deploying then records no revision and touches nothing.
 */
export function isUpToDate(store: Store, plan: DevicePlan): boolean {
  if (!plan.installed) return false;
  const existing = deploymentOf(store, plan.description.id, plan.device.name);
  if (!existing || existing.state !== 'installed') return false;
  const current = storedRevision(store, existing.id, existing.revision);
  return (
    current?.digest === plan.digest &&
    plan.plans.every((p) => p.items.every((i) => i.action === 'unchanged'))
  );
}

/** The deployment as it may be shown: secrets masked. */
export function maskedDeployment(plan: DevicePlan): string {
  return deploymentYaml(maskSecrets(plan.deployment, plan.secrets));
}
