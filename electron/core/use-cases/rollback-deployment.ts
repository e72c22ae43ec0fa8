import { audited } from '../audit/audited';
import type { DeviceOutcome, TargetProgress } from '../deployments/deployment-target';
import { targetOfDeployment } from '../deployments/deployment-targets';
import { recoverInterruptedOperations } from '../deployments/recover-operations';
import { rollbackTarget } from '../deployments/rollback-target';
import { revisionChanges } from '../deployments/revision-changes';
import { secretsByVersion } from '../deployments/deployment-detail';
import type { Store } from '../store/store';
import { recordedDeployment } from './show-deployment';

/** Whom a rollback concerns and what it changes back, before anything changes (to confirm). */
export function rollbackPreview(store: Store, id: string) {
  const deployment = recordedDeployment(store, id);
  const target = rollbackTarget(store, deployment);
  const { rollbackChanges } = revisionChanges(
    store,
    deployment,
    [],
    target,
    secretsByVersion(store),
  );
  return { deployment, target, changes: rollbackChanges };
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
