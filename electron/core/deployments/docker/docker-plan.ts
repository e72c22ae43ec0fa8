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

  const existing = deploymentOf(store, description.id, device.name);
  const current = existing ? storedRevision(store, existing.id, existing.revision) : undefined;
  const installed = current ? readInstalled(current.deployment) : undefined;

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

  const installedRendered = current ? RenderedRevision.parse(current.rendered) : undefined;
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
    journal.event(
      'info',
      `revision ${revision}: ${plan.description.id} ${plan.description.metadata.version}, profile ${plan.profile}, ${plan.digest}`,
      { revision },
    );
    journal.setComponents(
      plan.rendered.components.map((c) => ({ name: c.name, state: 'installing' })),
    );
    const outcome = await applyRevision({
      store,
      docker: plan.docker,
      platform: plan.platform,
      deploymentId: id,
      revision,
      rendered: plan.rendered,
      previous: plan.installed?.rendered,
      files: plan.files,
      journal,
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
      operation.finish('succeeded');
      return { ...base, state: 'installed', components: outcome.components };
    }
    const failure = outcome.failure as NonNullable<typeof outcome.failure>;
    const error: StatusError = {
      code: failure.diagnosis.code,
      message: failure.diagnosis.message,
      source: failure.component,
    };
    journal.event('error', `revision ${revision} failed: ${error.message}`, {
      revision,
      component: failure.component,
      code: error.code,
    });
    journal.setRevisionOutcome(revision, 'failed', error);
    const componentRows = outcome.components.map((c) => ({
      name: c.name,
      state: c.state,
      error: c.error ? { code: c.error.code, message: c.error.message, source: c.name } : null,
    }));
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
      const message = `revision ${revision} failed (${error.message}); the rollback to revision ${knownGood} failed too: ${restored.message}`;
      journal.setComponents(componentRows);
      journal.setState('failed', { code: error.code, message, source });
      operation.finish('failed', message);
      return {
        ...base,
        state: 'failed',
        components: outcome.components,
        error: { ...error, message },
      };
    }
    journal.setComponents(componentRows);
    journal.setState('failed', { ...error, source });
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
): Promise<{ ok: true; components: ComponentResult[] } | { ok: false; message: string }> {
  const stored = storedRevision(store, plan.deployment.id, target);
  if (!stored) return { ok: false, message: `revision ${target} is not recorded` };
  journal.event('warning', `rolling back to revision ${target}`, { revision: target });
  options.onProgress?.(`rolling back to revision ${target}`);
  const outcome = await applyRevision({
    store,
    docker: plan.docker,
    platform: plan.platform,
    deploymentId: plan.deployment.id,
    revision: target,
    rendered: RenderedRevision.parse(stored.rendered),
    previous: plan.rendered,
    journal,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (!outcome.ok)
    return { ok: false, message: outcome.failure?.diagnosis.message ?? 'unknown failure' };
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

/** The installed ApplicationDeployment, read back from the bytes recorded with its revision. */
function readInstalled(yaml: string): ApplicationDeployment | undefined {
  const checked = validateDocumentText(yaml, { file: 'installed deployment' });
  return checked.kind === 'ApplicationDeployment' && checked.shapeValid
    ? (checked.value as ApplicationDeployment)
    : undefined;
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
