import { CommissionerError } from '../../../shared/contract/contract-error';
import type { Store } from '../store/store';
import { revisionsOf, type DeploymentRecord } from '../store/deployment-journal';

/**
 * The revision a manual rollback restores, on any kind of device: the last known-good one when
 * the current revision is not it (it failed), else the installed revision before the current
 * one.
 */
export function rollbackTarget(store: Store, deployment: DeploymentRecord): number {
  if (deployment.knownGood !== null && deployment.knownGood !== deployment.revision) {
    return deployment.knownGood;
  }
  const earlier = revisionsOf(store, deployment.id)
    .filter(
      (r) =>
        r.revision < deployment.revision &&
        (r.outcome === 'superseded' || r.outcome === 'installed'),
    )
    .at(-1);
  if (!earlier) {
    throw new CommissionerError(
      'refused',
      `${deployment.appId} on ${deployment.device} has no earlier revision that was installed: there is nothing to roll back to`,
      { reasons: ['no earlier installed revision'] },
    );
  }
  return earlier.revision;
}

export function revisionNotRecorded(deploymentId: string, revision: number): CommissionerError {
  return new CommissionerError(
    'not-found',
    `revision ${revision} of deployment ${deploymentId} is not recorded on this laptop`,
    { thing: 'revision', name: String(revision) },
  );
}
