import type { DeploymentDetail } from '../../../../shared/contract/deployments';

/**
 * The revision a rollback would restore, as the core chooses it: the last known-good one when
 * the current revision is not it (it failed), else the installed revision before the current
 * one. Null: nothing to roll back to. Shown before asking; the core decides again.
 */
export function rollbackTarget(d: DeploymentDetail): number | null {
  if (d.knownGood !== null && d.knownGood !== d.revision) return d.knownGood;
  const earlier = d.revisions
    .filter(
      (r) => r.revision < d.revision && (r.outcome === 'superseded' || r.outcome === 'installed'),
    )
    .sort((a, b) => a.revision - b.revision)
    .at(-1);
  return earlier ? earlier.revision : null;
}
