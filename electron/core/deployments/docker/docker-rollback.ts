import type { Store } from '../../store/store';
import { applyRevision, type RevisionOutcome } from './apply-revision';
import { beginDeviceOperation } from '../device-operation';
import { connectDevice } from './device-docker';
import {
  DeploymentJournal,
  revisionsOf,
  storedRevision,
  type DeploymentRecord,
} from '../deployment-records';
import { RenderedRevision } from './rendered-revision';

export class RollbackError extends Error {
  override name = 'RollbackError';
}

/**
 * The revision a manual rollback restores: the last known-good one when the current revision
 * is not it (it failed), else the installed revision before the current one.
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
    throw new RollbackError(
      `deployment ${deployment.id} has no earlier revision that was installed: nothing to roll back to`,
    );
  }
  return earlier.revision;
}

/** `deployments rollback <id>`: applies the rollback target again and makes it current. */
export async function rollbackDeployment(
  store: Store,
  deployment: DeploymentRecord,
  options: { onProgress?: (message: string) => void } = {},
): Promise<{ target: number; outcome: RevisionOutcome }> {
  const target = rollbackTarget(store, deployment);
  const stored = storedRevision(store, deployment.id, target);
  const current = storedRevision(store, deployment.id, deployment.revision);
  if (!stored) throw new RollbackError(`revision ${target} is not recorded`);
  const { docker, platform } = await connectDevice(store, deployment.device);
  const operation = beginDeviceOperation(store, deployment.device, 'rollback', deployment.id);
  const journal = new DeploymentJournal(store, deployment.id);
  try {
    journal.event(
      'warning',
      `rolling back from revision ${deployment.revision} to revision ${target} (asked for)`,
      {
        revision: target,
      },
    );
    journal.setState('installing');
    const outcome = await applyRevision({
      store,
      docker,
      platform,
      deploymentId: deployment.id,
      revision: target,
      rendered: RenderedRevision.parse(stored.rendered),
      previous: current ? RenderedRevision.parse(current.rendered) : undefined,
      journal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const components = outcome.components.map((c) => ({
      name: c.name,
      state: c.state,
      error: c.error ? { ...c.error, source: c.name } : null,
    }));
    journal.setComponents(components);
    if (outcome.ok) {
      if (deployment.revision !== target && deployment.knownGood === deployment.revision) {
        journal.setRevisionOutcome(deployment.revision, 'rolled-back');
      }
      // The restored revision runs again: it is the installed one, not a superseded one.
      journal.setRevisionOutcome(target, 'installed');
      journal.setCurrent(target, stored.version, stored.profileId, target);
      journal.setState('installed');
      journal.event('info', `revision ${target} runs again`, { revision: target });
      operation.finish('succeeded');
    } else {
      const failure = outcome.failure;
      journal.setState('failed', {
        code: failure?.diagnosis.code ?? 'rollback-failed',
        message: `the rollback to revision ${target} failed: ${failure?.diagnosis.message ?? ''}`,
        source: failure?.component ?? '',
      });
      operation.finish('failed', failure?.diagnosis.message);
    }
    return { target, outcome };
  } catch (e) {
    operation.finish('failed', (e as Error).message);
    throw e;
  }
}
