import type { Store } from '../store/store';
import { endInterruptedOperations } from '../store/device-locks';
import { DeploymentJournal, findDeployment } from '../store/deployment-journal';

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
      journal.failApplyingRevision(deployment.revision, {
        code: 'interrupted',
        message,
        source: op.deploymentId,
      });
    }
    journal.setState('failed', { code: 'interrupted', message, source: op.deploymentId });
  }
  return ended.map((op) => ({ device: op.device, deploymentId: op.deploymentId }));
}
