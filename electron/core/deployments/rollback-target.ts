import { CommissionerError } from '../../../shared/contract/contract-error';
import type { Store } from '../store/store';
import { revisionsOf, type DeploymentRecord } from '../store/deployment-journal';

/**
 * The revision a manual rollback restores, on any kind of device: the last known-good one when
 * the current revision is not it (it failed), else the installed revision before the current
 * one — always of the current history: what ran before a removal is never restored. Null: none.
 */
export function rollbackCandidate(store: Store, deployment: DeploymentRecord): number | null {
  const revisions = revisionsOf(store, deployment.id).filter(
    (r) => r.history === deployment.history,
  );
  if (
    deployment.knownGood !== null &&
    deployment.knownGood !== deployment.revision &&
    revisions.some((r) => r.revision === deployment.knownGood)
  ) {
    return deployment.knownGood;
  }
  const earlier = revisions
    .filter(
      (r) =>
        r.revision < deployment.revision &&
        (r.outcome === 'superseded' || r.outcome === 'installed'),
    )
    .at(-1);
  return earlier?.revision ?? null;
}

/** `rollbackCandidate`, or the refusal that says why there is none. */
export function rollbackTarget(store: Store, deployment: DeploymentRecord): number {
  const target = rollbackCandidate(store, deployment);
  if (target !== null) return target;
  const where = `${deployment.appId} on ${deployment.device}`;
  if (deployment.state === 'removed' || deployment.state === 'removing') {
    throw new CommissionerError(
      'refused',
      `${where} was removed, and what ran before a removal is never restored: deploy the application again instead`,
      { reasons: ['removed'] },
    );
  }
  throw new CommissionerError(
    'refused',
    `${where} has no earlier revision that was installed${deployment.history > 1 ? ' since it was last removed' : ''}: there is nothing to roll back to`,
    { reasons: ['no earlier installed revision'] },
  );
}

export function revisionNotRecorded(deploymentId: string, revision: number): CommissionerError {
  return new CommissionerError(
    'not-found',
    `revision ${revision} of deployment ${deploymentId} is not recorded on this laptop`,
    { thing: 'revision', name: String(revision) },
  );
}
