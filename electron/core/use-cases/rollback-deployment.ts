import { audited } from '../audit/audited';
import type { DeviceOutcome, TargetProgress } from '../deployments/deployment-target';
import { targetOfDeployment } from '../deployments/deployment-targets';
import { recoverInterruptedOperations } from '../deployments/recover-operations';
import { rollbackTarget } from '../deployments/rollback-target';
import type { Store } from '../store/store';
import { recordedDeployment } from './show-deployment';

/** Whom a rollback concerns, before anything changes (for a confirmation). */
export function rollbackPreview(store: Store, id: string) {
  const deployment = recordedDeployment(store, id);
  return { deployment, target: rollbackTarget(store, deployment) };
}

/**
 * Runs the previous known-good revision of a deployment again (see `rollbackTarget` for which
 * one): re-applied on a Docker device, placed again in a Margo device's desired state.
 */
export async function rollbackDeployment(
  store: Store,
  id: string,
  onProgress?: (progress: TargetProgress) => void,
  /** `takeOver`: also when another installation deployed it since (see `devices show`). */
  options: { takeOver?: boolean } = {},
): Promise<{ from: number; outcome: DeviceOutcome }> {
  return audited(
    store,
    {
      operation: 'deployments.rollback',
      target: id,
      inputs: { deploymentId: id, takeOver: options.takeOver === true },
    },
    async () => {
      recoverInterruptedOperations(store);
      const { deployment, target } = rollbackPreview(store, id);
      const outcome = await targetOfDeployment(store, deployment).rollback(
        store,
        deployment,
        target,
        onProgress,
        options,
      );
      return { from: deployment.revision, outcome };
    },
    ({ from, outcome }) => ({
      target: outcome.device,
      inputs: {
        deploymentId: outcome.deploymentId ?? id,
        from,
        revision: outcome.revision,
        state: outcome.state,
      },
      ...(outcome.state === 'failed' || outcome.state === 'refused'
        ? {
            outcome: {
              result: outcome.state,
              reason: outcome.error?.message ?? outcome.state,
              error: outcome.error?.code ?? outcome.state,
            },
          }
        : {}),
    }),
  );
}
