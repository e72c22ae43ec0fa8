import { CommissionerError } from '../../../../shared/contract/contract-error';
import type { Store } from '../../store/store';
import { applyRevision, type RevisionOutcome } from './apply-revision';
import { beginDeviceOperation } from '../../store/device-locks';
import { connectDevice } from './device-docker';
import {
  DeploymentJournal,
  storedRevision,
  type DeploymentRecord,
} from '../../store/deployment-journal';
import { revisionNotRecorded } from '../rollback-target';
import { RenderedRevision } from './rendered-revision';
import { parse } from 'yaml';
import { ownershipLabels } from '../../../../shared/application-deployment/ownership-labels';
import type { ApplicationDeployment } from '../../../../shared/margo/application-deployment';
import { setTakenOver } from '../../store/deployment-journal';
import { refuseUnlessOurs } from './device-ownership';
import { nextRecord, recordImage, stampFor, storeRecord } from './device-record-update';

/** A rollback on a Docker device: applies the target revision again and makes it current. */
export async function rollbackDockerDeployment(
  store: Store,
  deployment: DeploymentRecord,
  target: number,
  options: { onProgress?: (message: string) => void; takeOver?: boolean } = {},
): Promise<RevisionOutcome> {
  const stored = storedRevision(store, deployment.id, target);
  const current = storedRevision(store, deployment.id, deployment.revision);
  if (!stored) throw revisionNotRecorded(deployment.id, target);
  if (stored.rendered === null) {
    throw new CommissionerError(
      'refused',
      `revision ${target} of ${deployment.appId} was taken from ${deployment.device}'s record, which does not hold its compose files: deploy that version again instead`,
      { reasons: ['adopted revision'] },
    );
  }
  const { docker, platform } = await connectDevice(store, deployment.device);
  const onDevice = await refuseUnlessOurs(
    store,
    docker,
    deployment,
    'roll back',
    options.takeOver === true,
  );
  const stamp = stampFor(store, {
    deploymentId: deployment.id,
    appId: deployment.appId,
    version: stored.version,
    revision: target,
    digest: stored.digest,
    deployment: parse(stored.deployment) as ApplicationDeployment,
  });
  const operation = beginDeviceOperation(store, deployment.device, 'rollback', deployment.id);
  const journal = new DeploymentJournal(store, deployment.id);
  try {
    // Asked for, not a failure: only a rollback after a failed revision is a warning.
    journal.event(
      'info',
      `rolling back from revision ${deployment.revision} to revision ${target} (asked for)`,
      {
        revision: target,
      },
    );
    journal.setState('installing');
    const outcome = await applyRevision({
      store,
      docker,
      device: deployment.device,
      platform,
      deploymentId: deployment.id,
      revision: target,
      rendered: RenderedRevision.parse(stored.rendered),
      previous: current ? RenderedRevision.parse(current.rendered) : undefined,
      journal,
      ownership: ownershipLabels(stamp),
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
      const rendered = RenderedRevision.parse(stored.rendered);
      const problem = await storeRecord(
        docker,
        nextRecord(onDevice?.record, {
          stamp,
          device: deployment.device,
          version: stored.version,
          profile: stored.profileId,
          state: 'installed',
          outcomes: {
            [target]: 'installed',
            ...(deployment.revision !== target ? { [deployment.revision]: 'rolled-back' } : {}),
          },
        }),
        stamp,
        recordImage(rendered),
      );
      if (problem) {
        journal.event(
          'warning',
          `the deployment's record could not be kept on the device: ${problem}`,
          {
            revision: target,
          },
        );
      } else {
        setTakenOver(store, deployment.id, null);
      }
      operation.finish('succeeded');
    } else {
      const failure = outcome.failure;
      journal.setState('failed', {
        code: failure?.diagnosis.code ?? 'rollback-failed',
        message: `the rollback to revision ${target} failed: ${failure?.diagnosis.message ?? ''}`,
        source: failure?.component ?? '',
        ...(failure?.diagnosis.detail !== undefined ? { detail: failure.diagnosis.detail } : {}),
      });
      operation.finish('failed', failure?.diagnosis.message);
    }
    return outcome;
  } catch (e) {
    operation.finish('failed', (e as Error).message);
    throw e;
  }
}
