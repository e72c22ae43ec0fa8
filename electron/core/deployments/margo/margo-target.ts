import { CommissionerError } from '../../../../shared/contract/contract-error';
import type { DeploymentTarget } from '../deployment-target';
import { forbiddenMessage, hostAccessDigest } from '../../host-access/acknowledgement';
import { deploymentHostAccess } from '../../host-access/component-review';
import {
  maskedMargoDeployment,
  placeMargoPlan,
  planMargoDeployment,
  removeMargoDeployment,
  rollbackMargoDeployment,
} from './margo-placement';
import { listDeployments } from '../../store/deployment-journal';
import { installationOwner } from '../../store/installation';

/**
 * Margo devices: nothing is driven from here. A deployment is placed in the desired state of
 * the device's client, which pulls it (images and archives from this laptop's registry) and
 * reports its progress; those reports set the states.
 */
export const margoTarget: DeploymentTarget = {
  profileTypes: (device) => device.reported?.properties.supportedDeploymentTypes ?? [],

  async plan(store, request) {
    const result = planMargoDeployment(store, request);
    if (!result.ok) return result;
    const plan = result.plan;
    // The device reads the same compose files: what they may do to it is reviewed here too.
    const review = await deploymentHostAccess(store, plan.deployment);
    const warnings = [
      ...plan.warnings,
      ...review.unreviewed.map((w) => `device ${plan.device.name}: ${w}`),
    ];
    if (review.findings.length > 0 && plan.device.hostAccess === 'deny') {
      return {
        ok: false,
        refusal: {
          code: 'incompatible',
          message: forbiddenMessage(plan.device.name, plan.profile.id, review.findings),
        },
        warnings,
      };
    }
    return {
      ok: true,
      view: {
        ok: true,
        device: plan.device.name,
        appId: plan.description.id,
        version: plan.description.metadata.version,
        profile: plan.profile.id,
        deploymentId: plan.deployment.id,
        update: plan.installed?.revision ?? null,
        upToDate: plan.upToDate,
        items: plan.items,
        // The device pulls its images from the laptop's registry itself: nothing is side-loaded.
        images: [],
        yaml: maskedMargoDeployment(plan),
        digest: plan.digest,
        hostAccess: review.findings,
        hostAccessDigest: hostAccessDigest(plan.digest, review.findings),
        warnings,
      },
      deploys: { profile: plan.profile, deployment: plan.deployment, secrets: plan.secrets },
      apply: async (options) => {
        const placed = placeMargoPlan(store, plan);
        options.onProgress?.({
          kind: 'message',
          message: `placed as revision ${placed.revision} in the desired state of client ${plan.clientId}; the device pulls it and reports back`,
        });
        return {
          device: plan.device.name,
          deploymentId: placed.deploymentId,
          revision: placed.revision,
          state: 'placed',
          rolledBackTo: null,
          error: null,
        };
      },
    };
  },

  async rollback(store, deployment, target) {
    rollbackMargoDeployment(store, deployment, target);
    return {
      device: deployment.device,
      deploymentId: deployment.id,
      revision: target,
      state: 'placed',
      rolledBackTo: target,
      error: null,
    };
  },

  async remove(store, deployment) {
    removeMargoDeployment(store, deployment);
    return { projects: [], placed: true };
  },

  // A Margo device's state is what its client last reported: there is nothing to ask.
  async refresh() {},

  // A Margo device runs what this laptop's Workload Management API places in its client's
  // desired state: that server is the owner, and what the device runs is what it reported.
  found: async (store, device) =>
    listDeployments(store)
      .filter((d) => d.device === device.name)
      .map((d) => ({
        id: d.id,
        appId: d.appId,
        version: d.version,
        revision: d.revision,
        owner: installationOwner(store),
        deployedAt: d.updatedAt,
        state: d.state,
        hasRecord: false,
      })),

  adopt: (_store, device) => {
    throw new CommissionerError(
      'refused',
      `${device.name} is a Margo device: it runs what this laptop's Workload Management API places, so there is nothing on it to adopt`,
      { reasons: ['margo device'] },
    );
  },

  async logs(_store, deployment) {
    throw noLogs(deployment.device);
  },

  async followLogs(_store, deployment) {
    throw noLogs(deployment.device);
  },

  async saveLogs(_store, deployment) {
    throw noLogs(deployment.device);
  },
};

function noLogs(device: string): CommissionerError {
  return new CommissionerError(
    'not-supported',
    `${device} is a Margo device: its client reports states, not container logs (read them on the device)`,
    {},
  );
}
