import type { DeviceOutcomeView, StartDeploy } from '../../../shared/contract/deploy';
import { toContractError } from '../errors/to-contract-error';
import type { Store } from '../store/store';
import { wasAudited } from '../audit/audited';
import { recordRefusedRequest } from '../audit/refused-request';
import { applyDeploy } from '../use-cases/apply-deploy';
import { planDeploy, type DeployInput } from '../use-cases/plan-deploy';
import { removeDeployment } from '../use-cases/remove-deployment';
import { rollbackDeployment } from '../use-cases/rollback-deployment';
import { recordedDeployment } from '../use-cases/show-deployment';
import { describedApplication } from '../use-cases/show-application';
import { showApplication } from '../store/catalog-reader';
import type { JobBoard } from './job-board';

/** The wizard's request as the deploy use cases take it. */
export function deployInput(
  request: Omit<StartDeploy, 'reviewed' | 'autoRollback' | 'hostAccessAllowed' | 'takeOver'>,
): DeployInput {
  return {
    app: { id: request.id, version: request.version },
    devices: request.devices,
    profile: request.profile,
    values: { typed: request.values },
    ...(request.overrides ? { overrides: request.overrides } : {}),
  };
}

/**
 * Deploys what the engineer reviewed, as a job: every device is planned again and applied only
 * where its plan still has the digest that was reviewed. Items: one per device (its state in
 * words), one per image to side-load (bytes). The outcomes per device are the job's result;
 * the deployments' own states and timelines follow live.
 */
export function startDeployJob(store: Store, board: JobBoard, request: StartDeploy): string {
  const { description } = describedApplication(store, { id: request.id, version: request.version });
  const job = board.start(
    'deploy',
    `Deploy ${description.metadata.name} ${description.metadata.version} to ${request.devices.length === 1 ? request.devices[0] : `${request.devices.length} devices`}`,
    request.devices.map((device) => ({
      label: device,
      state: 'waiting',
      done: 0,
      total: 0,
      unit: 'items',
      message: 'planning',
    })),
  );
  void (async () => {
    try {
      const planning = await planDeploy(store, deployInput(request));
      const images = new Map<string, number>();
      for (const { device, view } of planning.devices) {
        if (!view.ok || view.upToDate || request.reviewed[device] !== view.digest) continue;
        if (view.hostAccessDigest !== null) {
          if (request.hostAccessAllowed?.[device] !== view.hostAccessDigest) continue;
        }
        if (view.takeOver && request.takeOver?.[device] !== view.takeOver.owner.installation) {
          continue;
        }
        for (const image of view.images) {
          images.set(
            `${device}\n${image.name}`,
            board.addItem(job.id, {
              label: `${device}: ${image.name}`,
              state: 'waiting',
              done: 0,
              total: image.bytes ?? 0,
              unit: 'bytes',
            }),
          );
        }
      }
      const outcomes = await applyDeploy(planning, {
        reviewed: request.reviewed,
        ...(request.hostAccessAllowed ? { hostAccessAllowed: request.hostAccessAllowed } : {}),
        ...(request.takeOver ? { takeOver: request.takeOver } : {}),
        autoRollback: request.autoRollback !== false,
        onProgress: (device, progress) => {
          const index = request.devices.indexOf(device);
          if (progress.kind === 'image') {
            const item = images.get(`${device}\n${progress.image}`);
            if (item === undefined) return;
            board.update(job.id, item, {
              state: progress.bytesSent >= progress.totalBytes ? 'succeeded' : 'running',
              done: progress.bytesSent,
              total: progress.totalBytes,
            });
          } else if (progress.kind === 'state') {
            board.update(job.id, index, { state: progress.state, message: progress.message });
          } else {
            board.update(job.id, index, { message: progress.message });
          }
        },
      });
      // Images the devices turned out to have are not sent: their lines end here.
      for (const item of images.values()) board.settle(job.id, item);
      board.finish(job.id, { outcomes });
    } catch (e) {
      const error = toContractError(e, 'deploying');
      // Refused while planning (values, profile, the catalog): no device entry was made.
      if (!wasAudited(e)) {
        for (const device of request.devices) {
          recordRefusedRequest(store, 'deploy', { device, id: request.id }, error);
        }
      }
      board.finish(job.id, { error });
    }
  })();
  return job.id;
}

/** A rollback or a removal of one deployment, as a job with one line for its device. */
export function startDeploymentJob(
  store: Store,
  board: JobBoard,
  kind: 'rollback' | 'remove',
  id: string,
  options: { volumes?: boolean; takeOver?: boolean } = {},
): string {
  const deployment = recordedDeployment(store, id);
  // People know an app by its name (the id stays in the deployment's detail); an app removed
  // from the catalog since has only its id left.
  const app =
    showApplication(store.db, deployment.appId, deployment.version)?.name ?? deployment.appId;
  const title =
    kind === 'rollback'
      ? `Roll back ${app} on ${deployment.device}`
      : `Remove ${app} from ${deployment.device}${options.volumes ? ' (and its data volumes)' : ''}`;
  const job = board.start(kind, title, [
    { label: deployment.device, state: 'running', done: 0, total: 0, unit: 'items' },
  ]);
  void (async () => {
    let outcome: DeviceOutcomeView;
    try {
      if (kind === 'rollback') {
        outcome = (
          await rollbackDeployment(
            store,
            deployment.id,
            (p) => {
              if (p.kind === 'message') board.update(job.id, 0, { message: p.message });
            },
            { takeOver: options.takeOver === true },
          )
        ).outcome;
      } else {
        const { removal } = await removeDeployment(store, deployment.id, {
          purgeVolumes: options.volumes === true,
          takeOver: options.takeOver === true,
        });
        const kept = removal.projects.flatMap((r) => r.keptVolumes);
        outcome = {
          device: deployment.device,
          deploymentId: deployment.id,
          revision: deployment.revision,
          state: removal.placed ? 'placed' : 'removed',
          rolledBackTo: null,
          error: null,
        };
        board.update(job.id, 0, {
          message: removal.placed
            ? 'desired state changed: the device reports what it does'
            : kept.length > 0
              ? `data volumes kept: ${kept.join(', ')}`
              : 'removed',
        });
      }
      board.update(job.id, 0, {
        state: outcome.state === 'failed' ? 'failed' : 'succeeded',
        ...(outcome.error ? { message: outcome.error.message } : {}),
        ...(outcome.state === 'placed' && kind === 'rollback'
          ? { message: 'desired state changed: the device reports what it does' }
          : {}),
      });
    } catch (e) {
      const error = toContractError(e, kind === 'rollback' ? 'rolling back' : 'removing');
      board.update(job.id, 0, { state: 'failed', message: error.message });
      outcome = {
        device: deployment.device,
        deploymentId: deployment.id,
        revision: deployment.revision,
        state: error.name === 'device-busy' ? 'refused' : 'failed',
        rolledBackTo: null,
        error: { code: error.name, message: error.message, source: deployment.device },
      };
    }
    board.finish(job.id, { outcomes: [outcome] });
  })();
  return job.id;
}
