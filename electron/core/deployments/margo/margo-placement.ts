import { parse } from 'yaml';
import { mostSevere, type MargoState } from '../../../../shared/compose/margo-state';
import { compatibilityRows } from '../../../../shared/compatibility/evaluate';
import { verdictOf } from '../../../../shared/compatibility/verdict';
import type { ConfigurationError } from '../../../../shared/configuration/validate-configuration';
import { DeploymentRequestError } from '../../../../shared/application-deployment/build-deployment';
import { deploymentYaml } from '../../../../shared/application-deployment/deployment-yaml';
import { maskSecrets } from '../../../../shared/application-deployment/mask-secrets';
import type { ApplicationDeployment } from '../../../../shared/margo/application-deployment';
import type {
  ApplicationDescription,
  DeploymentProfile,
} from '../../../../shared/margo/application-description';
import type { DeploymentStatusManifest } from '../../../../shared/margo/deployment-status';
import type { PlanItemView } from '../../../../shared/contract/deploy';
import type { Refusal } from '../deployment-target';
import { deploymentIdFor } from '../deployment-id';
import { renderDeployment } from '../render-deployment';
import { revisionNotRecorded } from '../rollback-target';
import { compatibilityDevice } from '../../devices/device-compatibility';
import type { DeviceRecord } from '../../store/device-inventory';
import { removeDesiredDeployment, setDesiredDeployment } from '../../store/margo-desired-state';
import type { Store } from '../../store/store';
import {
  addRevision,
  deploymentOf,
  DeploymentJournal,
  findDeployment,
  storedRevision,
  type DeploymentRecord,
} from '../../store/deployment-journal';

/** What a Margo revision records instead of a compose rendering: where it was placed. */
interface MargoRendered {
  margo: { clientId: string; deviceId: string; components: string[] };
}

export interface MargoPlan {
  device: DeviceRecord;
  clientId: string;
  deviceId: string;
  description: ApplicationDescription;
  profile: DeploymentProfile;
  deployment: ApplicationDeployment;
  yaml: string;
  digest: string;
  secrets: string[];
  /** The revision this updates and its digest, if the app is already placed there. */
  installed?: { revision: number; digest: string };
  upToDate: boolean;
  items: PlanItemView[];
  warnings: string[];
}

export type MargoPlanResult =
  { ok: true; plan: MargoPlan } | { ok: false; refusal: Refusal; warnings: string[] };

function margoOf(device: DeviceRecord): { clientId: string; deviceId: string } {
  const c = device.connection;
  if (c.protocol !== 'margo') throw new Error(`${device.name} is not a Margo device`);
  return { clientId: c.clientId, deviceId: c.deviceId };
}

function readDeployment(yaml: string): ApplicationDeployment {
  return parse(yaml) as ApplicationDeployment;
}

/**
 * Plans placing an application on a Margo device: it runs what its client reports it can
 * (profile types it supports, compose or Helm; capacity and eligibility as reported), with the
 * values checked as for any device; nothing is sent — the device pulls its desired state.
 */
export function planMargoDeployment(
  store: Store,
  request: {
    description: ApplicationDescription;
    device: DeviceRecord;
    profileId?: string;
    values: Record<string, unknown>;
  },
): MargoPlanResult {
  const warnings: string[] = [];
  const refuse = (code: Refusal['code'], message: string, errors?: ConfigurationError[]) =>
    ({ ok: false, refusal: { code, message, ...(errors ? { errors } : {}) }, warnings }) as const;
  const { description, device } = request;
  const { clientId, deviceId } = margoOf(device);
  const view = compatibilityDevice(device);
  if (!device.reported || !view) {
    return refuse('unreachable', `${device.name} has not reported its capabilities yet`);
  }
  const supported = device.reported.properties.supportedDeploymentTypes ?? [];
  const existing = deploymentOf(store, description.id, device.name);
  const current = existing ? storedRevision(store, existing.id, existing.revision) : undefined;
  const installed = current ? readDeployment(current.deployment) : undefined;
  const wanted = request.profileId ?? current?.profileId;
  const candidates = description.deploymentProfiles.filter((p) =>
    wanted !== undefined ? p.id === wanted : supported.includes(p.type),
  );
  const profile = candidates.length === 1 ? candidates[0] : undefined;
  if (!profile) {
    return refuse(
      'profile',
      wanted !== undefined
        ? `${description.id} has no profile "${wanted}"`
        : `${device.name} runs ${supported.join(', ') || 'no deployment type'}: ${candidates.length === 0 ? 'no profile of the app fits' : `choose one of ${candidates.map((p) => p.id).join(', ')}`}`,
    );
  }
  if (!supported.includes(profile.type)) {
    return refuse(
      'incompatible',
      `${device.name} runs ${supported.join(', ') || 'no deployment type'}, not ${profile.type} profiles`,
    );
  }
  const checks = compatibilityRows(description, view).find((r) => r.profile === profile.id)?.checks;
  if (checks && verdictOf(checks) === 'incompatible') {
    return refuse(
      'incompatible',
      `${device.name} cannot run profile ${profile.id}: ${checks
        .filter((c) => c.status === 'failed')
        .map((c) => c.reason)
        .join('; ')}`,
    );
  }
  let rendered;
  try {
    rendered = renderDeployment({
      // Device ids are scoped per client; the deployment id must be unique in the inventory.
      id: installed?.id ?? deploymentIdFor(description.id, device.name),
      description,
      profileId: profile.id,
      deviceId,
      values: request.values,
      ...(installed ? { installed } : {}),
    });
  } catch (e) {
    if (e instanceof DeploymentRequestError) return refuse('request', e.message);
    throw e;
  }
  warnings.push(...rendered.warnings.map((w) => `device ${device.name}: ${w}`));
  if (!rendered.ok) {
    return refuse(
      'values',
      `${description.id} ${description.metadata.version} cannot be deployed with these values`,
      rendered.errors,
    );
  }
  const upToDate =
    current?.digest === rendered.digest && existing !== undefined && existing.state === 'installed';
  const action: PlanItemView['action'] = !current
    ? 'place'
    : current.digest === rendered.digest
      ? 'unchanged'
      : 'update';
  return {
    ok: true,
    plan: {
      device,
      clientId,
      deviceId,
      description,
      profile,
      deployment: rendered.deployment,
      yaml: rendered.yaml,
      digest: rendered.digest,
      secrets: rendered.secrets,
      ...(current ? { installed: { revision: current.revision, digest: current.digest } } : {}),
      upToDate,
      items: profile.components.map((c) => ({
        component: c.name,
        service: c.name,
        action,
        reasons:
          action === 'place'
            ? [`placed in ${clientId}'s desired state; the device pulls it`]
            : action === 'update'
              ? ['a new ApplicationDeployment (values or version changed)']
              : [],
      })),
      warnings,
    },
  };
}

/** The deployment as it may be shown: secrets masked. */
export function maskedMargoDeployment(plan: MargoPlan): string {
  return deploymentYaml(maskSecrets(plan.deployment, plan.secrets));
}

/**
 * Places the revision in the client's desired state: the next state manifest carries it, and
 * the device's status reports drive the deployment's state from here (pending until then).
 */
export function placeMargoPlan(
  store: Store,
  plan: MargoPlan,
): { deploymentId: string; revision: number } {
  const id = plan.deployment.id;
  const rendered: MargoRendered = {
    margo: {
      clientId: plan.clientId,
      deviceId: plan.deviceId,
      components: plan.profile.components.map((c) => c.name),
    },
  };
  const revision = addRevision(store, {
    id,
    appId: plan.description.id,
    device: plan.device.name,
    profileId: plan.profile.id,
    version: plan.description.metadata.version,
    deployment: plan.yaml,
    digest: plan.digest,
    rendered,
  });
  setDesiredDeployment(store, plan.clientId, plan.deviceId, id, Buffer.from(plan.yaml));
  const journal = new DeploymentJournal(store, id);
  journal.setCurrent(revision, plan.description.metadata.version, plan.profile.id);
  journal.setState('pending');
  journal.setComponents(rendered.margo.components.map((name) => ({ name, state: 'pending' })));
  journal.event(
    'info',
    `revision ${revision} placed in the desired state of client ${plan.clientId} for device ${plan.deviceId} (${plan.digest}); waiting for the device to report`,
    { revision },
  );
  return { deploymentId: id, revision };
}

/** Whether a recorded deployment is on a Margo device (its revisions record where). */
export function isMargoDeployment(store: Store, deployment: DeploymentRecord): boolean {
  const current = storedRevision(store, deployment.id, deployment.revision);
  return (
    current !== undefined &&
    typeof current.rendered === 'object' &&
    current.rendered !== null &&
    'margo' in (current.rendered as object)
  );
}

function placement(store: Store, deployment: DeploymentRecord): MargoRendered['margo'] {
  const current = storedRevision(store, deployment.id, deployment.revision);
  return (current?.rendered as MargoRendered).margo;
}

/** Removal: taken out of the desired state; `removing` until the device reports `removed`. */
export function removeMargoDeployment(store: Store, deployment: DeploymentRecord): void {
  const { clientId } = placement(store, deployment);
  removeDesiredDeployment(store, clientId, deployment.id);
  const journal = new DeploymentJournal(store, deployment.id);
  journal.setState('removing');
  // Out of the desired state, the revision never comes back: its history ends now.
  journal.endHistory(deployment.revision);
  journal.event(
    'info',
    `taken out of the desired state of client ${clientId}; waiting for the device to report it removed`,
  );
}

/** Rollback: the earlier revision's bytes placed again, as a new desired state. */
export function rollbackMargoDeployment(
  store: Store,
  deployment: DeploymentRecord,
  target: number,
): void {
  const stored = storedRevision(store, deployment.id, target);
  if (!stored) throw revisionNotRecorded(deployment.id, target);
  const { clientId, deviceId } = placement(store, deployment);
  setDesiredDeployment(store, clientId, deviceId, deployment.id, Buffer.from(stored.deployment));
  const journal = new DeploymentJournal(store, deployment.id);
  journal.setRevisionOutcome(deployment.revision, 'rolled-back');
  journal.setCurrent(target, stored.version, stored.profileId);
  journal.setState('pending');
  // Asked for, not a failure: only a rollback after a failed revision is a warning.
  journal.event('info', `revision ${target} placed again (rollback, asked for)`, {
    revision: target,
  });
}

/**
 * A status a Margo client reported for a deployment of ours: the component states, the
 * overall state (the most severe component state, as the spec asks), errors, and the timeline
 * — the same records Docker deployments keep, so every view shows both alike.
 */
export function recordMargoStatus(
  store: Store,
  clientId: string,
  status: DeploymentStatusManifest,
): boolean {
  const deployment = findDeployment(store, status.deploymentId);
  if (!deployment || !isMargoDeployment(store, deployment)) return false;
  if (placement(store, deployment).clientId !== clientId) return false;
  const journal = new DeploymentJournal(store, deployment.id);
  // A report about a revision whose history a removal ended changes states, not outcomes.
  const ended =
    storedRevision(store, deployment.id, deployment.revision)?.history !== deployment.history;
  const components = status.components.map((c) => ({
    name: c.name,
    state: c.state as MargoState,
    error: c.error
      ? {
          code: c.error.code ?? '',
          message: c.error.message ?? '',
          source: c.error.source ?? c.name,
        }
      : null,
  }));
  const state = (mostSevere(components.map((c) => c.state)) ?? status.status.state) as MargoState;
  const before = deployment.state;
  journal.setComponents(components);
  const error = status.status.error
    ? {
        code: status.status.error.code ?? '',
        message: status.status.error.message ?? '',
        source: status.status.error.source ?? '',
      }
    : null;
  journal.setState(state, error);
  if (state !== before) {
    // Clients that send no adoptedManifestVersion (the reference device agent) are recorded too.
    const version =
      status.adoptedManifestVersion === undefined
        ? 'manifest version not reported'
        : `manifest ${status.adoptedManifestVersion}`;
    journal.event(
      state === 'failed' ? 'error' : 'info',
      `the device reports ${state}${error ? `: ${error.message}` : ''} (${version})`,
      { revision: deployment.revision, ...(error ? { code: error.code } : {}) },
    );
  }
  if (ended) return true;
  if (state === 'installed' && before !== 'installed') {
    journal.markInstalled(deployment.revision, deployment.version, deployment.profile);
  }

  if (state === 'failed') journal.setRevisionOutcome(deployment.revision, 'failed', error);
  return true;
}
