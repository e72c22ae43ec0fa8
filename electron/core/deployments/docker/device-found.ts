import { CommissionerError } from '../../../../shared/contract/contract-error';
import {
  deploymentOf,
  findDeployment,
  listDeployments,
  type DeploymentRecord,
} from '../../store/deployment-journal';
import type { DeviceRecord } from '../../store/device-inventory';
import type { Store } from '../../store/store';
import type { Adopted, FoundOnDevice } from '../deployment-target';
import { adoptRecord } from './adopt-record';
import { deploymentsOnDevice, type FoundDeployment } from './device-deployments';
import { connectDevice } from './device-docker';
import { noteOwnership } from './device-ownership';

/**
 * What a Docker device runs of Commissioner's, read from the device (probed and recorded
 * first); our deployments there are compared with its records (taken over or not).
 */
export async function foundOnDockerDevice(
  store: Store,
  device: DeviceRecord,
): Promise<FoundDeployment[]> {
  const { docker } = await connectDevice(store, device.name);
  const found = await deploymentsOnDevice(docker);
  for (const ours of ourDeploymentsOn(store, device.name)) {
    const match = found.find((f) => f.stamp.appId === ours.appId);
    if (match) {
      noteOwnership(store, ours, {
        volume: '',
        stamp: match.stamp,
        ...(match.record ? { record: match.record } : {}),
      });
    }
  }
  return found;
}

export function foundView(f: FoundDeployment): FoundOnDevice {
  return {
    id: f.stamp.deploymentId,
    appId: f.stamp.appId,
    version: f.record?.version ?? f.stamp.version,
    revision: f.record?.revision ?? f.stamp.revision,
    owner: f.record?.owner ?? f.stamp.owner,
    deployedAt: f.record?.deployedAt ?? f.stamp.deployedAt,
    state: f.state,
    hasRecord: f.record !== undefined,
  };
}

/**
 * `deployments adopt <device> [<id>]`: the device's records of its deployments become ours
 * (the deployment under its own id, its revisions with secrets masked); containers, volumes
 * and the record itself stay as they are.
 */
export async function adoptFromDockerDevice(
  store: Store,
  device: DeviceRecord,
  id?: string,
): Promise<Adopted[]> {
  const found = await foundOnDockerDevice(store, device);
  const wanted =
    id === undefined
      ? found.filter((f) => !deploymentOf(store, f.stamp.appId, device.name))
      : found.filter((f) => f.stamp.deploymentId === id || f.stamp.deploymentId.startsWith(id));
  if (id !== undefined && wanted.length !== 1) {
    throw new CommissionerError(
      'not-found',
      wanted.length === 0
        ? `no Commissioner deployment ${id} on ${device.name}: devices show ${device.name} lists what runs there`
        : `${id} names ${wanted.length} deployments on ${device.name}: give more of the id`,
      { thing: 'deployment', name: id },
    );
  }
  const adopted: Adopted[] = [];
  for (const f of wanted) {
    if (!f.record) {
      throw new CommissionerError(
        'refused',
        `${f.stamp.appId} on ${device.name} carries Commissioner's labels but no record of its revisions (it was deployed by an older Commissioner, or its record was deleted): deploy it from this laptop instead`,
        { reasons: ['no record on the device'] },
      );
    }
    const ours = deploymentOf(store, f.stamp.appId, device.name);
    if (ours && ours.id !== f.stamp.deploymentId) {
      throw new CommissionerError(
        'refused',
        `this laptop already records ${f.stamp.appId} on ${device.name} as deployment ${ours.id}, not ${f.stamp.deploymentId}: remove that record first, or deploy over it with a take-over`,
        { reasons: ['another deployment of the application is recorded'] },
      );
    }
    const revisions = adoptRecord(store, device.name, f.record);
    const recorded = findDeployment(store, f.stamp.deploymentId);
    if (recorded) noteOwnership(store, recorded, { volume: '', stamp: f.stamp, record: f.record });
    adopted.push({ id: f.stamp.deploymentId, appId: f.stamp.appId, revisions });
  }
  return adopted;
}

function ourDeploymentsOn(store: Store, device: string): DeploymentRecord[] {
  return listDeployments(store)
    .filter((d) => d.device === device)
    .map((d) => findDeployment(store, d.id))
    .filter((d): d is DeploymentRecord => d !== undefined);
}
