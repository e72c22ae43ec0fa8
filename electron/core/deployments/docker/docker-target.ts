import { chooseProfile } from '../../../../shared/configuration/form-model';
import { hostAccessDigest } from '../../host-access/acknowledgement';
import { readImageManifest } from '../../images/docker-save-stream';
import { imageForDevice } from '../../images/image-for-device';
import type { Store } from '../../store/store';
import type { DeploymentTarget, DeviceOutcome, TargetProgress } from '../deployment-target';
import type { DeploymentRecord } from '../../store/deployment-journal';
import type { ComponentResult } from './apply-revision';
import { watchContainerEvents } from './container-events';
import { deploymentLogs, followDeploymentLogs, saveDeploymentLogs } from './deployment-logs';
import {
  applyDevicePlan,
  isUpToDate,
  maskedDeployment,
  planDeviceDeployment,
  type DevicePlan,
} from './docker-plan';
import { removeDockerDeployment } from './docker-remove';
import { rollbackDockerDeployment } from './docker-rollback';
import { refreshStatus } from './refresh-status';
import { adoptFromDockerDevice, foundOnDockerDevice, foundView } from './device-found';
import { connectDevice } from './device-docker';
import { noteOwnership, recordOnDevice } from './device-ownership';
import { isSettled } from '../settled-deployment';

/** Docker devices: driven from this laptop over the Engine API (compose profiles). */
export const dockerTarget: DeploymentTarget = {
  profileTypes: () => ['compose'],

  async plan(store, request) {
    const result = await planDeviceDeployment(store, request);
    if (!result.ok) return result;
    const plan = result.plan;
    return {
      ok: true,
      view: {
        ok: true,
        device: plan.device.name,
        appId: plan.description.id,
        version: plan.description.metadata.version,
        profile: plan.profile,
        deploymentId: plan.deployment.id,
        update: plan.installed?.revision ?? null,
        upToDate: isUpToDate(store, plan),
        items: plan.plans.flatMap((p) =>
          p.items.map((i) => ({
            component: p.component,
            service: i.service,
            action: i.action,
            reasons: i.reasons,
          })),
        ),
        images: plan.images.map((name) => ({ name, bytes: imageBytes(store, plan, name) })),
        yaml: maskedDeployment(plan),
        digest: plan.digest,
        hostAccess: plan.hostAccess,
        hostAccessDigest: hostAccessDigest(plan.digest, plan.hostAccess),
        warnings: plan.warnings,
        takeOver: plan.takeOver ?? null,
      },
      deploys: {
        profile: chooseProfile(plan.description, plan.profile),
        deployment: plan.deployment,
        secrets: plan.secrets,
      },
      apply: (options) => applyPlan(store, plan, options),
    };
  },

  async rollback(store, deployment, target, onProgress, options) {
    const outcome = await rollbackDockerDeployment(store, deployment, target, {
      ...(onProgress ? { onProgress: (message) => onProgress({ kind: 'message', message }) } : {}),
      takeOver: options?.takeOver === true,
    });
    return {
      device: deployment.device,
      deploymentId: deployment.id,
      revision: target,
      state: outcome.ok ? 'installed' : 'failed',
      rolledBackTo: target,
      error: outcome.failure
        ? {
            code: outcome.failure.diagnosis.code,
            message: outcome.failure.diagnosis.message,
            source: outcome.failure.component,
            ...(outcome.failure.diagnosis.detail !== undefined
              ? { detail: outcome.failure.diagnosis.detail }
              : {}),
          }
        : null,
      components: outcome.components.map(componentView),
    };
  },

  async remove(store, deployment, options) {
    return { projects: await removeDockerDeployment(store, deployment, options), placed: false };
  },

  async refresh(store, deployment) {
    await refreshStatus(store, deployment);
    if (!isSettled(store, deployment)) return;
    // Whether another laptop deployed over it since is part of what the device says now.
    const { docker } = await connectDevice(store, deployment.device);
    noteOwnership(store, deployment, await recordOnDevice(docker, deployment.appId));
  },

  found: async (store, device) => (await foundOnDockerDevice(store, device)).map(foundView),

  adopt: (store, device, id) => adoptFromDockerDevice(store, device, id),

  logs: (store, deployment: DeploymentRecord, options) =>
    deploymentLogs(store, deployment, options),

  followLogs: (store, deployment, options, handlers) =>
    followDeploymentLogs(store, deployment, options, handlers),

  saveLogs: (store, deployment, file) => saveDeploymentLogs(store, deployment, file),

  watchChanges: (store, device, handlers) => watchContainerEvents(store, device, handlers),
};

async function applyPlan(
  store: Store,
  plan: DevicePlan,
  options: { autoRollback: boolean; onProgress?: (progress: TargetProgress) => void },
): Promise<DeviceOutcome> {
  const progress = options.onProgress;
  const outcome = await applyDevicePlan(store, plan, {
    autoRollback: options.autoRollback,
    ...(progress
      ? {
          onProgress: (message: string) => progress({ kind: 'message', message }),
          onImageProgress: (p) =>
            progress({
              kind: 'image',
              image: p.image,
              bytesSent: p.bytesSent,
              totalBytes: p.totalBytes,
            }),
        }
      : {}),
  });
  return {
    device: outcome.device,
    deploymentId: outcome.deploymentId,
    revision: outcome.revision,
    state: outcome.rolledBackTo !== undefined ? 'rolled-back' : outcome.state,
    rolledBackTo: outcome.rolledBackTo ?? null,
    error: outcome.error ?? null,
    components: outcome.components.map(componentView),
    sideLoaded: outcome.sideLoaded,
  };
}

function componentView(c: ComponentResult) {
  return {
    name: c.name,
    state: c.state,
    error: c.error ? { ...c.error, source: c.name } : null,
  };
}

/** What side-loading an image to this device sends: its layers and config, as stored. */
function imageBytes(store: Store, plan: DevicePlan, image: string): number | null {
  const service = plan.rendered.components
    .flatMap((c) => c.services)
    .find((s) => s.image === image && s.imageRef !== null);
  if (!service?.imageRef) return null;
  try {
    const chosen = imageForDevice(store, service.imageRef, image, plan.platform);
    const manifest = readImageManifest(store.blobs, chosen.manifestDigest);
    return manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
  } catch {
    return null;
  }
}
