import type { ContractError } from '../../../shared/contract/contract-error';
import type { DeviceOutcomeView, StartDeploy } from '../../../shared/contract/deploy';
import { applyDevicePlan } from '../deployments/docker/docker-plan';
import { findDeployment, type DeploymentRecord } from '../deployments/deployment-records';
import { DeviceBusyError } from '../deployments/device-operation';
import { inParallel } from '../deployments/in-parallel';
import {
  isMargoDeployment,
  placeMargoPlan,
  removeMargoDeployment,
  rollbackMargoDeployment,
} from '../deployments/margo/margo-placement';
import { rollbackDeployment, rollbackTarget } from '../deployments/docker/docker-rollback';
import { recoverInterruptedOperations } from '../deployments/recover-operations';
import { removeDeployment } from '../deployments/docker/docker-remove';
import type { Store } from '../store/store';
import { describedApp, planRequest } from './deploy-handlers';
import type { JobBoard } from '../contract-handlers/job-board';

function refused(device: string, code: string, message: string): DeviceOutcomeView {
  return {
    device,
    deploymentId: null,
    revision: null,
    state: 'refused',
    rolledBackTo: null,
    error: { code, message, source: device },
  };
}

function asContractError(e: unknown): ContractError {
  return { name: (e as Error).name || 'Error', message: (e as Error).message || String(e) };
}

/**
 * Deploys what the engineer reviewed, as a job: every device is planned again and applied
 * only when its plan still has the digest that was reviewed (otherwise something changed —
 * the installed revision, the values, the store — and the engineer reviews again). Items: one
 * per device (its state in words), one per image to side-load (bytes). The outcomes per
 * device are the job's result; the deployments' own states and timelines follow live.
 */
export function startDeployJob(store: Store, board: JobBoard, request: StartDeploy): string {
  recoverInterruptedOperations(store);
  const { description } = describedApp(store, request.id, request.version);
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
      const planned = await planRequest(store, request);
      const outcomes = await inParallel(planned, async ({ device, plan, margo, view }) => {
        const index = request.devices.indexOf(device);
        const fail = (outcome: DeviceOutcomeView) => {
          board.update(job.id, index, { state: 'failed', message: outcome.error?.message ?? '' });
          return outcome;
        };
        if (margo && view.ok) {
          if (margo.digest !== request.reviewed[device]) {
            return fail(
              refused(
                device,
                'changed',
                `what would be placed for ${device} changed since the review: review again`,
              ),
            );
          }
          if (view.upToDate) {
            board.update(job.id, index, {
              state: 'succeeded',
              message: 'up to date: nothing to do',
            });
            return {
              device,
              deploymentId: margo.deployment.id,
              revision: margo.installed?.revision ?? null,
              state: 'unchanged' as const,
              rolledBackTo: null,
              error: null,
            };
          }
          const placed = placeMargoPlan(store, margo);
          board.update(job.id, index, {
            state: 'succeeded',
            message: `placed as revision ${placed.revision}: the device pulls it and reports back`,
          });
          return {
            device,
            deploymentId: placed.deploymentId,
            revision: placed.revision,
            state: 'placed' as const,
            rolledBackTo: null,
            error: null,
          };
        }
        if (!plan || !view.ok) {
          return fail(
            refused(device, view.ok ? 'request' : view.code, view.ok ? '' : view.message),
          );
        }
        if (plan.digest !== request.reviewed[device]) {
          return fail(
            refused(
              device,
              'changed',
              `what would be deployed to ${device} changed since the review (${plan.digest.slice(0, 19)}…): review again`,
            ),
          );
        }
        if (view.upToDate) {
          board.update(job.id, index, { state: 'succeeded', message: 'up to date: nothing to do' });
          return {
            device,
            deploymentId: plan.deployment.id,
            revision: plan.installed?.revision ?? null,
            state: 'unchanged' as const,
            rolledBackTo: null,
            error: null,
          };
        }
        const imageItems = new Map(
          view.images.map((image) => [
            image.name,
            board.addItem(job.id, {
              label: `${device}: ${image.name}`,
              state: 'waiting',
              done: 0,
              total: image.bytes ?? 0,
              unit: 'bytes',
            }),
          ]),
        );
        board.update(job.id, index, { state: 'running', message: 'applying' });
        try {
          const outcome = await applyDevicePlan(store, plan, {
            autoRollback: request.autoRollback !== false,
            onProgress: (message) => board.update(job.id, index, { message }),
            onImageProgress: (p) => {
              const item = imageItems.get(p.image);
              if (item === undefined) return;
              const done = p.bytesSent >= p.totalBytes;
              board.update(job.id, item, {
                state: done ? 'succeeded' : 'running',
                done: p.bytesSent,
                total: p.totalBytes,
              });
            },
          });
          // Images the device turned out to have are not sent: their lines end here.
          for (const item of imageItems.values()) board.settle(job.id, item);
          const state =
            outcome.rolledBackTo !== undefined ? ('rolled-back' as const) : outcome.state;
          board.update(job.id, index, {
            state: state === 'installed' ? 'succeeded' : 'failed',
            message:
              state === 'installed'
                ? `installed, revision ${outcome.revision}`
                : (outcome.error?.message ?? state),
          });
          return {
            device,
            deploymentId: outcome.deploymentId,
            revision: outcome.revision,
            state,
            rolledBackTo: outcome.rolledBackTo ?? null,
            error: outcome.error ?? null,
          };
        } catch (e) {
          for (const item of imageItems.values()) board.settle(job.id, item);
          if (e instanceof DeviceBusyError) return fail(refused(device, 'busy', e.message));
          return fail({
            ...refused(device, 'failed', (e as Error).message),
            state: 'failed',
            deploymentId: plan.deployment.id,
          });
        }
      });
      board.finish(job.id, { outcomes });
    } catch (e) {
      board.finish(job.id, { error: asContractError(e) });
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
  options: { volumes?: boolean } = {},
): string {
  recoverInterruptedOperations(store);
  const deployment = findDeployment(store, id);
  if (!deployment)
    throw new DeploymentNotFoundError(`no deployment ${id}: it may have been removed`);
  const title =
    kind === 'rollback'
      ? `Roll back ${deployment.appId} on ${deployment.device}`
      : `Remove ${deployment.appId} from ${deployment.device}${options.volumes ? ' (and its data volumes)' : ''}`;
  const job = board.start(kind, title, [
    { label: deployment.device, state: 'running', done: 0, total: 0, unit: 'items' },
  ]);
  const base = (d: DeploymentRecord) => ({
    device: d.device,
    deploymentId: d.id,
    rolledBackTo: null,
  });
  void (async () => {
    try {
      let outcome: DeviceOutcomeView;
      if (isMargoDeployment(store, deployment)) {
        // A Margo device is not driven: its desired state changes, and it reports back.
        if (kind === 'rollback') {
          const target = rollbackTarget(store, deployment);
          rollbackMargoDeployment(store, deployment, target);
          outcome = {
            ...base(deployment),
            revision: target,
            state: 'placed',
            rolledBackTo: target,
            error: null,
          };
        } else {
          removeMargoDeployment(store, deployment);
          outcome = {
            ...base(deployment),
            revision: deployment.revision,
            state: 'placed',
            error: null,
          };
        }
        board.update(job.id, 0, {
          state: 'succeeded',
          message: 'desired state changed: the device reports what it does',
        });
        board.finish(job.id, { outcomes: [outcome] });
        return;
      }
      if (kind === 'rollback') {
        const { target, outcome: applied } = await rollbackDeployment(store, deployment, {
          onProgress: (message) => board.update(job.id, 0, { message }),
        });
        outcome = {
          ...base(deployment),
          revision: target,
          state: applied.ok ? 'installed' : 'failed',
          rolledBackTo: target,
          error: applied.failure
            ? {
                code: applied.failure.diagnosis.code,
                message: applied.failure.diagnosis.message,
                source: applied.failure.component,
              }
            : null,
        };
      } else {
        const removed = await removeDeployment(store, deployment, {
          purgeVolumes: options.volumes === true,
        });
        const kept = removed.flatMap((r) => r.keptVolumes);
        board.update(job.id, 0, {
          message: kept.length > 0 ? `data volumes kept: ${kept.join(', ')}` : 'removed',
        });
        outcome = {
          ...base(deployment),
          revision: deployment.revision,
          state: 'removed',
          error: null,
        };
      }
      board.update(job.id, 0, {
        state: outcome.state === 'failed' ? 'failed' : 'succeeded',
        ...(outcome.error ? { message: outcome.error.message } : {}),
      });
      board.finish(job.id, { outcomes: [outcome] });
    } catch (e) {
      board.update(job.id, 0, { state: 'failed', message: (e as Error).message });
      board.finish(job.id, {
        outcomes: [
          {
            ...base(deployment),
            revision: deployment.revision,
            state: e instanceof DeviceBusyError ? 'refused' : 'failed',
            error: {
              code: (e as Error).name,
              message: (e as Error).message,
              source: deployment.device,
            },
          },
        ],
      });
    }
  })();
  return job.id;
}

export class DeploymentNotFoundError extends Error {
  override name = 'DeploymentNotFoundError';
}
