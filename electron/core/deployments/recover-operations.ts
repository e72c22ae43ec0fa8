import type { Store } from '../store/store';
import { endInterruptedOperations } from './device-operation';
import { DeploymentJournal, findDeployment } from './deployment-records';

/**
 * After a crash of Commissioner itself: operations whose process is gone are ended, and their
 * deployments marked failed with the reason, so nobody waits for them. Deploying again
 * converges from whatever the device runs (plans compare with the device, not with records).
 */
export function recoverInterruptedOperations(
  store: Store,
): { device: string; deploymentId: string | null }[] {
  const ended = endInterruptedOperations(store);
  for (const op of ended) {
    if (!op.deploymentId) continue;
    const deployment = findDeployment(store, op.deploymentId);
    if (!deployment) continue;
    const journal = new DeploymentJournal(store, op.deploymentId);
    const message = `Commissioner (process ${op.pid}) stopped during the ${op.kind} that started at ${op.startedAt}; the device may be half-way: deploy again to finish (it converges)`;
    journal.event('error', message, { revision: deployment.revision, code: 'interrupted' });
    if (op.kind === 'deploy') {
      store.db
        .prepare(
          "UPDATE deployment_revisions SET outcome = 'failed', error = ? WHERE deployment_id = ? AND revision = ? AND outcome = 'applying'",
        )
        .run(
          JSON.stringify({ code: 'interrupted', message, source: op.deploymentId }),
          op.deploymentId,
          deployment.revision,
        );
    }
    journal.setState('failed', { code: 'interrupted', message, source: op.deploymentId });
  }
  return ended.map((op) => ({ device: op.device, deploymentId: op.deploymentId }));
}
