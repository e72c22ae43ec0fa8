import type Docker from 'dockerode';
import { CommissionerError } from '../../../../shared/contract/contract-error';
import {
  ownerWords,
  recordedTime,
} from '../../../../shared/application-deployment/ownership-labels';
import type { TakenOver } from '../../../../shared/contract/deployments';
import { installationOwner } from '../../store/installation';
import { setTakenOver, type DeploymentRecord } from '../../store/deployment-journal';
import type { Store } from '../../store/store';
import { helperImage, readDeviceRecords, type FoundRecord } from './device-record-volume';

/** The record of an application on the device, if any Commissioner left one. */
export async function recordOnDevice(
  docker: Docker,
  appId: string,
): Promise<FoundRecord | undefined> {
  const image = await helperImage(docker, appId);
  return (await readDeviceRecords(docker, image)).find((r) => r.stamp.appId === appId);
}

/** Whether another installation (another laptop, another data home) wrote the record. */
export function isForeign(store: Store, found: FoundRecord): boolean {
  return found.stamp.owner.installation !== installationOwner(store).installation;
}

/** "installed by Ana on LAPTOP-7 at 2026-12-06T09:12:00.000Z, revision 3" */
export function installedByWords(found: FoundRecord): string {
  const at = found.record?.deployedAt ?? found.stamp.deployedAt;
  const revision = found.record?.revision ?? found.stamp.revision;
  return `installed by ${ownerWords(found.stamp.owner)}${at ? ` at ${recordedTime(at)}` : ''}, revision ${revision}`;
}

export function takenOverOf(found: FoundRecord): TakenOver {
  return {
    owner: found.stamp.owner,
    deployedAt: found.record?.deployedAt ?? found.stamp.deployedAt,
    revision: found.record?.revision ?? found.stamp.revision,
  };
}

/**
 * Compares our record of a deployment with what the device says: when another installation
 * deployed over it since, ours is marked taken over (and the mark is cleared when the device
 * says we are the owner again). Returns whether the mark changed.
 */
export function noteOwnership(
  store: Store,
  deployment: DeploymentRecord,
  found: FoundRecord | undefined,
): boolean {
  if (!found || found.stamp.appId !== deployment.appId) return false;
  const taken = isForeign(store, found) ? takenOverOf(found) : null;
  const before = deployment.takenOver;
  if (JSON.stringify(before) === JSON.stringify(taken)) return false;
  setTakenOver(store, deployment.id, taken);
  return true;
}

/**
 * Before a rollback or a removal: when the device's record says another installation deployed
 * the application since, ours is marked taken over and nothing is done unless taking it over
 * was asked for. Returns the record read (for the record written afterwards).
 */
export async function refuseUnlessOurs(
  store: Store,
  docker: Docker,
  deployment: DeploymentRecord,
  what: 'roll back' | 'remove',
  takeOver: boolean,
): Promise<FoundRecord | undefined> {
  const found = await recordOnDevice(docker, deployment.appId);
  noteOwnership(store, deployment, found);
  if (found && isForeign(store, found) && !takeOver) {
    throw new CommissionerError(
      'refused',
      `${deployment.appId} on ${deployment.device} was ${installedByWords(found)} since this laptop deployed it: to ${what} would undo that deployment, so nothing was done without taking it over`,
      { reasons: ['take-over'] },
    );
  }
  return found;
}
