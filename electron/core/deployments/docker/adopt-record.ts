import type { DeviceDeploymentRecord } from '../../../../shared/application-deployment/device-record';
import type { MargoState } from '../../../../shared/compose/margo-state';
import { adoptRevisions } from '../../store/deployment-journal';
import type { Store } from '../../store/store';

const STATES: readonly string[] = [
  'installed',
  'failed',
  'installing',
  'pending',
  'removing',
  'removed',
];

/**
 * Takes a device's record of a deployment into this laptop's records: the deployment (under
 * `id`, the record's own by default) and every revision the record lists that ours lacks.
 * Nothing on the device changes. Returns how many revisions were added.
 */
export function adoptRecord(
  store: Store,
  device: string,
  record: DeviceDeploymentRecord,
  id: string = record.deploymentId,
): number {
  return adoptRevisions(store, {
    id,
    appId: record.appId,
    device,
    current: {
      revision: record.revision,
      version: record.version,
      profileId: record.profile,
      state: (STATES.includes(record.state) ? record.state : 'installed') as MargoState,
    },
    revisions: record.revisions.map((r) => ({
      revision: r.revision,
      version: r.version,
      profileId: r.profile,
      deployment: r.deployment,
      digest: r.digest,
      outcome: r.outcome,
      createdAt: r.createdAt,
    })),
  });
}
